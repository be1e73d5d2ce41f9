// `explain`: what a placement would do before anything is sent — each order native at the venue or
// held by Ordo, and why; the list linked by the venue or by Ordo. Decided from the capability matrix
// alone, by the same rules placement uses.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import { orderId } from '../src/core/ids.ts';
import { ALL_NATIVE, NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC, market, session } from './fixtures.ts';

const bracket = {
  symbol: 'BTC/USD',
  side: 'buy' as const,
  quantity: '1',
  entry: { type: 'limit' as const, price: '45000' },
  takeProfit: { percent: '10' },
  stopLoss: { percent: '5' },
};

describe('explain', () => {
  it('shows a bracket native when the venue links brackets, emulated when it does not', () => {
    const native = session({ native: ALL_NATIVE }).oms;
    const plan = unwrap(native.explain((o) => o.placeBracketOrder(bracket)));
    assert.equal(plan.kind, 'bracket');
    assert.equal(plan.list?.route, 'native');
    assert.deepEqual(
      plan.orders.map((o) => [o.role, o.type, o.route, o.when]),
      [
        ['entry', 'limit', 'native', 'now'],
        ['take_profit', 'limit', 'native', 'once the entry fills'],
        ['stop_loss', 'stop', 'native', 'once the entry fills'],
      ],
    );
    const emulated = session({ native: NONE_NATIVE }).oms;
    const plan2 = unwrap(emulated.explain((o) => o.placeBracketOrder(bracket)));
    assert.equal(plan2.list?.route, 'emulated');
    assert.match(plan2.list?.reason ?? '', /no native BRACKET lists/);
    const sl = plan2.orders[2]!;
    assert.equal(sl.route, 'emulated');
    assert.equal(sl.sends, 'market order to paper when its trigger holds');
    assert.match(sl.reason, /held by Ordo: paper has no native stop orders/);
  });

  it('places, sends and journals nothing, and does not count as an input', () => {
    const { oms, venue } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    const before = oms.inputCount;
    const events: string[] = [];
    oms.on((e) => events.push(e.type));
    for (const explain of [
      () => oms.explain((o) => o.placeBracketOrder(bracket)),
      () =>
        oms.explain((o) =>
          o.placeOrder({
            symbol: 'BTC/USD',
            side: 'sell',
            type: 'stop',
            quantity: '1',
            triggerPrice: '44000',
          }),
        ),
      () =>
        oms.explain((o) =>
          o.placeScaleOrder({
            symbol: 'BTC/USD',
            side: 'buy',
            totalQuantity: '1',
            levels: 5,
            startPrice: '45000',
            step: '500',
          }),
        ),
    ])
      assert.equal(explain().ok, true);
    assert.deepEqual(events, []);
    assert.equal(oms.getOrders().length, 0);
    assert.equal(oms.inputCount, before);
    assert.equal(venue.matcher.openOrders().length, 0);
  });

  it('gives the placement its own validation errors', () => {
    const { oms } = session();
    const r = oms.explain((o) => o.placeBracketOrder({ ...bracket, takeProfit: { price: '40000' } }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? JSON.stringify(r.error) : '', /takeProfit/);
    const r2 = oms.explain((o) =>
      o.placeOrder({ symbol: 'NOPE/USD', side: 'buy', type: 'market', quantity: '1' }),
    );
    assert.match(!r2.ok ? r2.error.message : '', /unknown symbol NOPE\/USD/);
  });
});

describe('explain with capabilities per kind of instrument', () => {
  it('routes by the matrix of the instrument kind when the venue declares one', async () => {
    const { AdvancedOrderManager } = await import('../src/engine/advanced-order-manager.ts');
    const { PaperVenue } = await import('../src/venues/paper/paper-venue.ts');
    const { Portfolio } = await import('../src/portfolio/index.ts');
    const { XYZ } = await import('./fixtures.ts');
    const inner = new PaperVenue({
      venue: 'paper',
      instruments: [BTC, XYZ],
      balances: { USD: '1000000' },
      native: ALL_NATIVE,
    });
    // Crypto takes only simple orders natively; equities everything (as on Alpaca).
    const crypto = {
      ...inner.capabilities,
      orderTypes: {
        ...inner.capabilities.orderTypes,
        stop: 'emulated' as const,
        trailing_stop: 'emulated' as const,
      },
      contingencies: { bracket: 'emulated' as const, oco: 'emulated' as const, oto: 'emulated' as const },
    };
    const venue = Object.assign(Object.create(inner) as typeof inner, {
      capabilities: { ...inner.capabilities, byKind: { crypto_spot: crypto } },
    });
    const oms = new AdvancedOrderManager(venue, { instruments: [BTC, XYZ], portfolio: new Portfolio() });
    const stop = (symbol: string) =>
      unwrap(
        oms.explain((o) =>
          o.placeOrder({ symbol, side: 'sell', type: 'stop', quantity: '1', triggerPrice: '40' }),
        ),
      );
    assert.equal(stop('XYZ/USD').orders[0]!.route, 'native');
    assert.equal(stop('BTC/USD').orders[0]!.route, 'emulated');
  });
});

describe('explain on the real venues’ matrices', () => {
  it('Alpaca: an equity bracket released on a full fill goes native, a crypto one is emulated; Coinbase emulates trailing stops', async () => {
    const { AdvancedOrderManager } = await import('../src/engine/advanced-order-manager.ts');
    const { Portfolio } = await import('../src/portfolio/index.ts');
    const { defineInstrument } = await import('../src/model/instrument.ts');
    const { ALPACA_CAPABILITIES } = await import('../src/venues/alpaca/capabilities.ts');
    const { COINBASE_CAPABILITIES } = await import('../src/venues/coinbase/requests.ts');
    const inst = (venue: string, symbol: string, kind: 'equity' | 'crypto_spot') =>
      unwrap(
        defineInstrument({
          venue,
          symbol,
          kind,
          priceIncrement: '0.01',
          qtyIncrement: kind === 'equity' ? '1' : '0.0001',
        }),
      );
    /** Routing reads only the matrix: a venue that is only its matrix is enough to explain. */
    const planner = (
      id: string,
      capabilities: typeof ALPACA_CAPABILITIES,
      instruments: ReturnType<typeof inst>[],
    ) =>
      new AdvancedOrderManager(
        { id, capabilities, handle: () => {}, onMarket: () => {}, drainReports: () => [] },
        { instruments, portfolio: new Portfolio() },
      );
    const alpaca = planner('alpaca', ALPACA_CAPABILITIES, [
      inst('alpaca', 'AAPL/USD', 'equity'),
      inst('alpaca', 'BTC/USD', 'crypto_spot'),
    ]);
    const bracket = (symbol: string, release: 'partial' | 'full') =>
      unwrap(
        alpaca.explain((o) =>
          o.placeBracketOrder({
            symbol,
            side: 'buy',
            quantity: '1',
            entry: { type: 'limit', price: '100' },
            takeProfit: { price: '110' },
            stopLoss: { price: '95' },
            release,
          }),
        ),
      );
    assert.equal(bracket('AAPL/USD', 'full').list?.route, 'native');
    assert.match(bracket('AAPL/USD', 'partial').list?.reason ?? '', /only once the parent is filled/);
    assert.equal(bracket('BTC/USD', 'full').list?.route, 'emulated');
    const coinbase = planner('coinbase', COINBASE_CAPABILITIES, [inst('coinbase', 'BTC/USD', 'crypto_spot')]);
    const trailing = unwrap(
      coinbase.explain((o) =>
        o.placeTrailingStop({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '1',
          offsetType: 'percent',
          offset: '2',
        }),
      ),
    );
    assert.equal(trailing.orders[0]!.route, 'emulated');
    assert.match(trailing.orders[0]!.reason, /coinbase has no native trailing stop orders/);
  });

  it('Coinbase: a bracket’s take-profit and stop-loss go native as one trigger bracket; Ordo links the entry', async () => {
    const { AdvancedOrderManager } = await import('../src/engine/advanced-order-manager.ts');
    const { Portfolio } = await import('../src/portfolio/index.ts');
    const { defineInstrument } = await import('../src/model/instrument.ts');
    const { COINBASE_CAPABILITIES } = await import('../src/venues/coinbase/requests.ts');
    const { ALPACA_CAPABILITIES } = await import('../src/venues/alpaca/capabilities.ts');
    const btc = unwrap(
      defineInstrument({
        venue: 'coinbase',
        symbol: 'BTC/USD',
        kind: 'crypto_spot',
        priceIncrement: '0.01',
        qtyIncrement: '0.0001',
      }),
    );
    const portfolio = new Portfolio();
    const oms = new AdvancedOrderManager(
      {
        id: 'coinbase',
        capabilities: COINBASE_CAPABILITIES,
        handle: () => {},
        onMarket: () => {},
        drainReports: () => [],
      },
      { instruments: [btc], portfolio },
    );
    const spec = {
      symbol: 'BTC/USD',
      side: 'buy' as const,
      quantity: '1',
      entry: { type: 'limit' as const, price: '100' },
      takeProfit: { price: '110' },
      stopLoss: { price: '95' },
    };
    const plan = unwrap(oms.explain((o) => o.placeBracketOrder(spec)));
    assert.deepEqual(
      plan.orders.map((o) => [o.role, o.type, o.route, o.when]),
      [
        ['entry', 'limit', 'native', 'now'],
        ['take_profit', 'limit', 'native', 'once the entry fills'],
        ['stop_loss', 'stop', 'native', 'once the entry fills'],
      ],
    );
    for (const exit of plan.orders.slice(1)) {
      assert.match(exit.reason, /coinbase holds the take-profit and stop-loss together as one native order/);
      assert.match(exit.sends, /as one native order/);
    }
    // The entry is its own order: the list is linked by Ordo, and says how.
    assert.equal(plan.list?.route, 'emulated');
    assert.match(
      plan.list?.reason ?? '',
      /as the entry fills, Ordo places its take-profit and stop-loss as one native order/,
    );
    // Released on a full fill too: Ordo places the pair either way.
    const full = unwrap(oms.explain((o) => o.placeBracketOrder({ ...spec, release: 'full' })));
    assert.deepEqual(
      full.orders.map((o) => o.route),
      ['native', 'native', 'native'],
    );
    // A stop-limit stop-loss has its own limit, which a trigger bracket cannot carry: it goes as a
    // stop-limit order of its own, and Ordo links the exits.
    const stopLimit = unwrap(oms.explain((o) => o.placeBracketOrder({ ...spec, stopLossLimitOffset: '1' })));
    assert.equal(stopLimit.orders[2]!.type, 'stop_limit');
    assert.match(stopLimit.orders[2]!.reason, /coinbase takes stop limit orders natively/);
    assert.doesNotMatch(stopLimit.orders[2]!.sends, /one native order/);
    assert.match(stopLimit.list?.reason ?? '', /no native BRACKET lists/);
    // An OCO stays linked by Ordo, its stop emulated (the capability is a bracket's, not any OCO's).
    const oco = unwrap(
      oms.explain((o) =>
        o.placeOcoOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '1',
          legs: [
            { type: 'limit', price: '110' },
            { type: 'stop', triggerPrice: '95' },
          ],
        }),
      ),
    );
    assert.deepEqual(
      oco.orders.map((o) => o.route),
      ['native', 'emulated'],
    );
    // A bracket on a position (no entry) is the one trigger bracket alone: native as a whole.
    portfolio.applyFill(
      {
        orderId: orderId(1),
        instrument: btc.key,
        side: 'buy',
        price: 10_000,
        quantity: 10_000,
        fee: 0n,
        feeCurrency: 'USD',
        liquidity: 'taker',
        tradeId: 't-1',
        ts: 0,
      },
      btc,
    );
    const exits = unwrap(oms.explain((o) => o.placeBracketOrder({ ...spec, entry: undefined })));
    assert.equal(exits.list?.route, 'native');
    assert.deepEqual(
      exits.orders.map((o) => [o.role, o.route, o.when]),
      [
        ['take_profit', 'native', 'now'],
        ['stop_loss', 'native', 'now'],
      ],
    );
    // Routing reads the capability, not the name: Alpaca crypto declares none, and stays emulated.
    assert.equal(ALPACA_CAPABILITIES.bracketExitPair, undefined);
  });
});
