// What the trader does in a simulated history: every order type (market, limit, stop, stop-limit,
// trailing stop), every list (bracket, OCO, OTO, scale ladder), modifies, cancels, risk-limit and
// trading-state changes, and now and then a malformed request. Every random choice is drawn when
// the input is generated, never when it runs: a restart re-runs inputs and must do the same again.
// Each input is exactly one call on the AdvancedOrderManager (one journaled input).

import type { Result } from '../src/core/errors.ts';
import type { Random } from '../src/core/ports.ts';
import type { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { formatPrice, formatQty, type Instrument } from '../src/model/instrument.ts';
import type { RiskLimitsPatch, TradingState } from '../src/risk/index.ts';

/** Configuration in force (not journaled: it is the trader's settings, like a config file). */
export interface RiskConfig {
  readonly limits: RiskLimitsPatch;
  readonly tradingState: TradingState;
}

export type InputKind = 'feed' | 'place' | 'cancel' | 'modify' | 'sync' | 'config';

export interface SimInput {
  readonly kind: InputKind;
  readonly text: string;
  /** Last-trade prices this input feeds (for the trigger model). */
  readonly trades: readonly { key: string; price: number; ts: number }[];
  /** A configuration change made just before the call (re-applied when the input is re-run). */
  readonly config?: RiskConfig;
  readonly run: (m: AdvancedOrderManager) => Result<unknown> | undefined;
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.nextInt(xs.length)]!;

/** A trader's next action at `ts`, with the market's last price per instrument. */
export function traderInput(
  r: Random,
  insts: readonly Instrument[],
  last: ReadonlyMap<string, number>,
  ts: number,
  config: RiskConfig,
): SimInput {
  const inst = pick(r, insts);
  const price = last.get(inst.key)!;
  const tick = inst.priceIncrement;
  const pu = (ticks: number) => Math.max(tick, price + ticks * tick);
  const p = (ticks: number) => formatPrice(inst, pu(ticks));
  const lots = (1 + r.nextInt(r.nextInt(4) === 0 ? 5000 : 400)) * inst.qtyIncrement;
  const qty = formatQty(inst, lots);
  const side = r.nextInt(2) === 0 ? ('buy' as const) : ('sell' as const);
  const exit: 'buy' | 'sell' = side === 'buy' ? 'sell' : 'buy';
  const dir = side === 'buy' ? 1 : -1;
  const symbol = inst.symbol;
  const base = { symbol, side, quantity: qty };
  const place = (text: string, run: SimInput['run']): SimInput => ({ kind: 'place', text, trades: [], run });
  const k = r.nextInt(100);
  if (k < 8) {
    const tif = pick(r, ['gtc', 'ioc', 'fok'] as const);
    return place(`market ${side} ${qty} ${tif}`, (m) => m.placeOrder({ ...base, type: 'market', tif }, ts));
  }
  if (k < 22) {
    const d = r.nextInt(30) - 10;
    const tif = pick(r, ['gtc', 'gtc', 'day', 'gtd', 'ioc'] as const);
    const expireAt = tif === 'gtd' ? ts + (1 + r.nextInt(60)) * 1000 : undefined;
    const postOnly = r.nextInt(8) === 0;
    const px = p(-dir * d);
    return place(`limit ${side} ${qty}@${px} ${tif}${postOnly ? ' post' : ''}`, (m) =>
      m.placeOrder({ ...base, type: 'limit', price: px, tif, expireAt, postOnly }, ts),
    );
  }
  if (k < 32) {
    const stopLimit = r.nextInt(3) === 0;
    const trigUnits = pu(dir * (r.nextInt(40) - 5));
    const trig = formatPrice(inst, trigUnits);
    const gtd = r.nextInt(4) === 0;
    const expireAt = gtd ? ts + (1 + r.nextInt(40)) * 1000 : undefined;
    const tif = gtd ? ('gtd' as const) : ('gtc' as const);
    const spec = stopLimit
      ? {
          ...base,
          type: 'stop_limit' as const,
          triggerPrice: trig,
          price: limitBeyond(inst, trigUnits, side, r),
          tif,
          expireAt,
        }
      : { ...base, type: 'stop' as const, triggerPrice: trig, tif, expireAt };
    return place(`${spec.type} ${side} ${qty} trig ${trig}${gtd ? ` gtd ${expireAt}` : ''}`, (m) =>
      m.placeOrder(spec, ts),
    );
  }
  if (k < 42) {
    const offsetType = pick(r, ['price', 'ticks', 'percent', 'bps'] as const);
    const offset =
      offsetType === 'price'
        ? formatPrice(inst, (5 + r.nextInt(60)) * tick)
        : offsetType === 'ticks'
          ? String(5 + r.nextInt(60))
          : offsetType === 'percent'
            ? pick(r, ['0.1', '0.25', '0.5', '1'])
            : String(5 + r.nextInt(80));
    const activationPrice = r.nextInt(4) === 0 ? p(-dir * (r.nextInt(20) + 1)) : undefined;
    const limitOffset = r.nextInt(4) === 0 ? formatPrice(inst, r.nextInt(20) * tick) : undefined;
    const triggerBasis = pick(r, ['last', 'last', 'quote', 'mid'] as const);
    return place(`trailing ${side} ${qty} ${offset} ${offsetType} ${triggerBasis}`, (m) =>
      m.placeTrailingStop({ ...base, offsetType, offset, activationPrice, limitOffset, triggerBasis }, ts),
    );
  }
  if (k < 54) {
    const entryKind = pick(r, ['market', 'limit', 'limit', 'stop_limit', 'none'] as const);
    const entryPx = p(-dir * r.nextInt(15));
    const entry =
      entryKind === 'market'
        ? { type: 'market' as const }
        : entryKind === 'limit'
          ? { type: 'limit' as const, price: entryPx }
          : entryKind === 'stop_limit'
            ? { type: 'stop_limit' as const, triggerPrice: p(dir * 3), price: p(dir * 8) }
            : undefined;
    const takeProfit =
      r.nextInt(2) === 0
        ? { percent: pick(r, ['0.2', '0.5', '1']) }
        : { price: p(dir * (20 + r.nextInt(60))) };
    const stopLoss =
      r.nextInt(2) === 0
        ? { percent: pick(r, ['0.2', '0.4', '1']) }
        : { price: p(-dir * (20 + r.nextInt(60))) };
    const release = r.nextInt(3) === 0 ? ('full' as const) : ('partial' as const);
    const stopLossLimitOffset =
      r.nextInt(4) === 0 ? formatPrice(inst, (1 + r.nextInt(10)) * tick) : undefined;
    return place(`bracket ${side} ${qty} entry ${entryKind} ${release}`, (m) =>
      m.placeBracketOrder({ ...base, entry, takeProfit, stopLoss, release, stopLossLimitOffset }, ts),
    );
  }
  if (k < 62) {
    const second =
      r.nextInt(2) === 0
        ? { type: 'stop' as const, triggerPrice: p(dir * (5 + r.nextInt(30))) }
        : (() => {
            const trig = pu(dir * (5 + r.nextInt(30)));
            return {
              type: 'stop_limit' as const,
              triggerPrice: formatPrice(inst, trig),
              price: limitBeyond(inst, trig, side, r),
            };
          })();
    const legs = [{ type: 'limit' as const, price: p(-dir * (5 + r.nextInt(30))) }, second] as const;
    return place(`oco ${side} ${qty}`, (m) => m.placeOcoOrder({ ...base, legs }, ts));
  }
  if (k < 70) {
    const parentMarket = r.nextInt(4) === 0;
    const parent = parentMarket
      ? { ...base, type: 'market' as const }
      : { ...base, type: 'limit' as const, price: p(-dir * r.nextInt(10)) };
    const n = 1 + r.nextInt(3);
    const children = Array.from({ length: n }, () => {
      const cq = formatQty(
        inst,
        Math.max(inst.qtyIncrement, Math.floor(lots / n / inst.qtyIncrement) * inst.qtyIncrement),
      );
      const c = r.nextInt(3);
      if (c === 0)
        return {
          symbol,
          side: exit,
          type: 'limit' as const,
          quantity: cq,
          price: p(dir * (10 + r.nextInt(40))),
        };
      if (c === 1)
        return {
          symbol,
          side: exit,
          type: 'stop' as const,
          quantity: cq,
          triggerPrice: p(-dir * (10 + r.nextInt(40))),
        };
      return {
        symbol,
        side: exit,
        type: 'trailing_stop' as const,
        quantity: cq,
        trailing: { offsetType: 'ticks' as const, offset: String(10 + r.nextInt(50)) },
      };
    });
    const trigger = r.nextInt(2) === 0 ? ('partial' as const) : ('full' as const);
    return place(`oto ${side} ${qty} ${n} children ${trigger}`, (m) =>
      m.placeOtoOrder({ parent, children, trigger }, ts),
    );
  }
  if (k < 75) {
    const levels = 2 + r.nextInt(4);
    const startPrice = p(-dir * r.nextInt(10));
    const step = formatPrice(inst, (1 + r.nextInt(10)) * tick);
    const total = formatQty(inst, Math.max(lots, levels * inst.qtyIncrement));
    return place(`scale ${side} ${total} ${levels} levels`, (m) =>
      m.placeScaleOrder({ symbol, side, totalQuantity: total, levels, startPrice, step }, ts),
    );
  }
  if (k < 86) {
    const n = r.nextInt(1000);
    const whole = r.nextInt(4) === 0;
    return {
      kind: 'cancel',
      text: `cancel #${n}${whole ? ' list' : ''}`,
      trades: [],
      run: (m) => {
        const active = m.getActiveOrders();
        const o = active[n % Math.max(1, active.length)];
        if (o === undefined) return m.cancelOrder(0 as never, ts);
        if (whole && o.listId !== undefined) return m.cancelList(o.listId, ts);
        return m.cancelOrder(o.id, ts);
      },
    };
  }
  if (k < 94) {
    const n = r.nextInt(1000);
    const what = r.nextInt(3);
    const d = r.nextInt(20) - 10;
    const f = 1 + r.nextInt(4);
    return {
      kind: 'modify',
      text: `modify #${n} ${['quantity', 'price', 'triggerPrice'][what]} ${d}/${f}`,
      trades: [],
      run: (m) => {
        const active = m.getActiveOrders();
        const o = active[n % Math.max(1, active.length)];
        if (o === undefined) return m.modifyOrder(0 as never, { quantity: '1' }, ts);
        const oi = m.engine.state.order(o.id).instrument;
        if (what === 0)
          return m.modifyOrder(
            o.id,
            {
              quantity: formatQty(
                oi,
                Math.max(
                  oi.qtyIncrement,
                  Math.floor((Number(m.engine.state.order(o.id).quantity) * f) / 2 / oi.qtyIncrement) *
                    oi.qtyIncrement,
                ),
              ),
            },
            ts,
          );
        const lastPx = m.engine.state.emulator.lastPrice(oi, 'last') ?? 0;
        const px = formatPrice(oi, Math.max(oi.priceIncrement, lastPx + d * oi.priceIncrement * 3));
        return m.modifyOrder(o.id, what === 1 ? { price: px } : { triggerPrice: px }, ts);
      },
    };
  }
  if (k < 97) {
    // Malformed requests: off the tick, unknown symbol, zero quantity, a bracket on the wrong side.
    const bad = r.nextInt(4);
    const specs = [
      { ...base, type: 'limit' as const, price: `${p(0)}1` },
      { ...base, symbol: 'NOPE/USD', type: 'market' as const },
      { ...base, type: 'limit' as const, quantity: '0', price: p(0) },
      { ...base, type: 'stop' as const, price: p(1) },
    ];
    return place(`malformed #${bad}`, (m) => m.placeOrder(specs[bad]!, ts));
  }
  // A configuration change, then a sync so that it is one journaled input like any other.
  const next = nextConfig(r, inst, config);
  return {
    kind: 'config',
    text: `config ${next.tradingState} ${JSON.stringify(next.limits)}`,
    trades: [],
    config: next,
    run: (m) => {
      m.sync(ts);
      return undefined;
    },
  };
}

function nextConfig(r: Random, inst: Instrument, c: RiskConfig): RiskConfig {
  switch (r.nextInt(4)) {
    case 0:
      return { ...c, tradingState: pick(r, ['active', 'active', 'reduce_only', 'halted'] as const) };
    case 1:
      return {
        ...c,
        limits: {
          ...c.limits,
          orderQtyMax: { default: formatQty(inst, (100 + r.nextInt(3000)) * inst.qtyIncrement) },
        },
      };
    case 2:
      return { ...c, limits: { ...c.limits, openOrdersMax: 5 + r.nextInt(40) } };
    default:
      return { tradingState: 'active', limits: {} };
  }
}

/** A stop-limit's limit a few ticks beyond its trigger, on the side that lets it fill. */
function limitBeyond(inst: Instrument, units: number, side: 'buy' | 'sell', r: Random): string {
  const d = (1 + r.nextInt(10)) * inst.priceIncrement;
  return formatPrice(inst, Math.max(inst.priceIncrement, side === 'buy' ? units + d : units - d));
}
