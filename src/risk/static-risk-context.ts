// A RiskContext held in plain maps: for what-if questions asked outside the engine (the CLI, a
// notebook), for tests, and for `checkPositionSize`. Unknown instruments read as flat, with no
// working orders and no reference price.

import type { TimestampMs } from '../core/ports.ts';
import type { Side } from '../model/order.ts';
import type { RiskContext } from './risk-context.ts';

export interface StaticRiskContextInit {
  nowMs?: TimestampMs;
  /** Signed position per instrument key, in quantity units. */
  positions?: Readonly<Record<string, number>>;
  /** Open quantity per instrument key and side, in quantity units. */
  openQty?: Readonly<Record<string, Partial<Readonly<Record<Side, number>>>>>;
  openOrders?: number;
  /** Reference price per instrument key, in price units. */
  referencePrices?: Readonly<Record<string, number>>;
  /** Realized P&L today per currency, in money units. */
  realizedPnl?: Readonly<Record<string, bigint>>;
}

export class StaticRiskContext implements RiskContext {
  nowMs: TimestampMs;
  openOrders: number;
  readonly positions: Map<string, number>;
  readonly open: Map<string, { buy: number; sell: number }>;
  readonly references: Map<string, number>;
  readonly pnl: Map<string, bigint>;

  constructor(init: StaticRiskContextInit = {}) {
    this.nowMs = init.nowMs ?? 0;
    this.openOrders = init.openOrders ?? 0;
    this.positions = new Map(Object.entries(init.positions ?? {}));
    this.open = new Map(
      Object.entries(init.openQty ?? {}).map(([k, v]) => [k, { buy: v.buy ?? 0, sell: v.sell ?? 0 }]),
    );
    this.references = new Map(Object.entries(init.referencePrices ?? {}));
    this.pnl = new Map(Object.entries(init.realizedPnl ?? {}));
  }

  positionQty(instrumentKey: string): number {
    return this.positions.get(instrumentKey) ?? 0;
  }

  openQty(instrumentKey: string, side: Side): number {
    const o = this.open.get(instrumentKey);
    return o === undefined ? 0 : o[side];
  }

  openOrdersCount(): number {
    return this.openOrders;
  }

  referencePrice(instrumentKey: string): number | undefined {
    return this.references.get(instrumentKey);
  }

  realizedPnlToday(currency: string): bigint {
    return this.pnl.get(currency) ?? 0n;
  }
}
