// JSON views the API adds to the engine's own (OrderView, ListView, PositionView, FillRecord,
// RoundTripRecord): the account summary and the equity curve. Money is a decimal string.

import { formatUnits } from '../core/decimal.ts';
import type { ListId } from '../core/ids.ts';
import type { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import type { ListView } from '../engine/order-view.ts';
import { MONEY_SCALE } from '../model/instrument.ts';
import { isTerminal } from '../model/status.ts';
import type { AccountView } from './contract.ts';

const DAY_MS = 86_400_000;

export function money(units: bigint): string {
  return formatUnits(units, MONEY_SCALE, true);
}

/** Cash, equity, P&L and exposure, in the portfolio's valuation currency; `now` picks "today". */
export function accountView(oms: AdvancedOrderManager, now: number): AccountView {
  const p = oms.portfolio;
  const currency = p.valuationCurrency;
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  let unrealized = 0n;
  for (const pos of p.positions()) if (pos.quote === currency) unrealized += p.unrealizedPnl(pos.instrument);
  return {
    currency,
    cash: p.cashAll(),
    equity: money(p.equity(currency)),
    realizedToday: money(p.realizedPnlToday(currency, dayStart)),
    realizedTotal: money(p.realizedPnl(currency)),
    unrealized: money(unrealized),
    feesToday: money(p.feesToday(currency, dayStart)),
    feesTotal: money(p.feesPaid(currency)),
    exposure: p.exposureByAsset(),
    ts: now,
  };
}

export function equityView(oms: AdvancedOrderManager): {
  currency: string;
  points: { ts: number; equity: string }[];
} {
  const p = oms.portfolio;
  return {
    currency: p.valuationCurrency,
    points: p.equityCurve().map((pt) => ({ ts: pt.ts, equity: money(pt.equity) })),
  };
}

/** Every list (order tree), newest first; `open` keeps those with an order still working. */
export function listViews(oms: AdvancedOrderManager, open: boolean): ListView[] {
  const out: ListView[] = [];
  for (const id of oms.engine.state.lists.keys()) {
    const v = oms.getList(id as ListId);
    if (v === undefined) continue;
    if (open && v.orders.every((o) => isTerminal(o.status))) continue;
    out.push(v);
  }
  return out.reverse();
}
