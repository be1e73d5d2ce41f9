// The strategy runner (src/engine/strategy.ts) that backtest and paper both drive: bars built from
// trade ticks on a fixed grid, hooks called after the manager has taken each item, fills handed
// over only once the input that made them has finished (so a hook may place orders), and the bar
// in progress closed when the session stops.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { type Strategy, type StrategyFill, StrategyRunner } from '../src/engine/strategy.ts';
import { defineInstrument } from '../src/model/instrument.ts';
import type { Bar, TradeTick } from '../src/model/market.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { PaperVenue } from '../src/venues/paper/paper-venue.ts';

const BTC = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);

function setup(strategy: Strategy, barMs = 1000) {
  const venue = new PaperVenue({
    venue: 'paper',
    instruments: [BTC],
    balances: { USD: '1000000', BTC: '0' },
  });
  const oms = new AdvancedOrderManager(venue, { instruments: [BTC], portfolio: new Portfolio() });
  const logs: string[] = [];
  const runner = new StrategyRunner(strategy, oms, {
    instrument: BTC,
    barMs,
    params: { size: '0.5' },
    log: (m, ts) => logs.push(`${ts} ${m}`),
  });
  return { oms, runner, logs };
}

const trade = (dollars: number, ts: number, size = 10_000): TradeTick => ({
  kind: 'trade',
  instrument: BTC.key,
  ts,
  price: dollars * 100,
  size,
  aggressor: undefined,
  tradeId: undefined,
});

describe('StrategyRunner', () => {
  it('builds bars on the time grid and closes the last one on stop', () => {
    const bars: Bar[] = [];
    const { runner } = setup({ name: 'bars', onBar: (b) => bars.push(b) });
    for (const [p, ts] of [
      [100, 1000],
      [105, 1500],
      [95, 1999],
      [101, 2000],
      [102, 4100],
    ] as const)
      runner.feed(trade(p, ts));
    assert.deepEqual(
      bars.map((b) => [b.ts, b.open, b.high, b.low, b.close, b.volume]),
      [
        [2000, 10000, 10500, 9500, 9500, 30_000],
        [3000, 10100, 10100, 10100, 10100, 10_000],
      ],
      'a bar closes when a trade lands past its end; empty intervals make no bar',
    );
    runner.stop();
    assert.deepEqual(bars.at(-1)?.ts, 5000);
    assert.equal(bars.length, 3);
  });

  it('passes bars from the data straight to onBar', () => {
    const bars: Bar[] = [];
    const { runner } = setup({ name: 'bars', onBar: (b) => bars.push(b) });
    const bar: Bar = {
      kind: 'bar',
      instrument: BTC.key,
      ts: 60_000,
      open: 10_000,
      high: 10_100,
      low: 9_900,
      close: 10_050,
      volume: 100,
      durationMs: 60_000,
    };
    runner.feed(bar);
    assert.deepEqual(bars, [bar]);
  });

  it('hands fills to onFill after the input, so a hook can place the next order', () => {
    const fills: StrategyFill[] = [];
    const strategy: Strategy = {
      name: 'chain',
      onStart(ctx) {
        ctx.log(`start ${ctx.params.size}`);
      },
      onTick(tick, ctx) {
        if (tick.kind === 'trade' && ctx.oms.getOrders().length === 0)
          ctx.oms.placeOrder({
            symbol: ctx.symbol,
            side: 'buy',
            type: 'market',
            quantity: ctx.params.size ?? '0',
          });
      },
      onFill(fill, ctx) {
        fills.push(fill);
        // Protect the position from inside the hook: a trailing stop on what was bought.
        if (fill.side === 'buy')
          ctx.oms.placeTrailingStop({
            symbol: ctx.symbol,
            side: 'sell',
            quantity: fill.quantity,
            offsetType: 'percent',
            offset: '1',
            tag: 'trail',
          });
      },
    };
    const { oms, runner, logs } = setup(strategy);
    runner.feed(trade(100, 1000));
    runner.feed(trade(100, 1100));
    assert.equal(fills.length, 1);
    assert.deepEqual(
      [fills[0]?.side, fills[0]?.quantity, fills[0]?.price, fills[0]?.role],
      ['buy', '0.5000', '100.00', 'single'],
    );
    const trail = oms.getActiveOrders().find((o) => o.tag === 'trail');
    assert.equal(trail?.type, 'trailing_stop');
    // The market falls through the stop: the exit fill reaches the strategy too.
    runner.feed(trade(120, 1200));
    runner.feed(trade(110, 1300));
    assert.equal(fills.length, 2);
    assert.equal(fills[1]?.side, 'sell');
    assert.ok(runner.ctx.flat());
    assert.deepEqual(logs, ['1000 start 0.5']);
  });

  it('calls onStop once, and nothing after it', () => {
    let stops = 0;
    let ticks = 0;
    const { runner } = setup({ name: 'stop', onStop: () => stops++, onTick: () => ticks++ });
    runner.feed(trade(100, 1000));
    runner.stop();
    runner.stop();
    runner.feed(trade(100, 2000));
    assert.equal(stops, 1);
    assert.equal(ticks, 1);
  });
});
