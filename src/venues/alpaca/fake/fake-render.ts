// Alpaca's JSON shapes, built from the fake's records: the Order entity (field order of the
// documented example, plus the fields added since: expires_at, cancel_requested_at,
// position_intent), the trade_updates event, the FILL account activity, positions and the account.
// Decimals are strings with trailing zeros dropped; absent values are null, as Alpaca writes them.

import { divRound, pow10 } from '../../../core/decimal.ts';
import { MONEY_SCALE } from '../../../model/instrument.ts';
import { type AssetSpec, positionSymbol } from './fake-assets.ts';
import { activityStamp, dec, isoTime, money, ratio } from './fake-format.ts';
import { type FakeOrder, type Fill, legsOf } from './fake-order.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : isoTime(ms));

function price(o: FakeOrder, units: number | undefined): string | null {
  return units === undefined ? null : dec(units, o.asset.instrument.priceScale);
}

/** Average fill price, exact to 18 decimals (half-even beyond), trailing zeros dropped. */
export function averagePrice(asset: AssetSpec, notional: bigint, qty: number): string | null {
  if (qty === 0) return null;
  const perQtyUnit = pow10(MONEY_SCALE - asset.instrument.qtyScale);
  // notional / (qty units × money per qty unit) = price in money units per whole unit of base.
  return money(divRound(notional * pow10(MONEY_SCALE), BigInt(qty) * perQtyUnit, 'half_even'));
}

/** The Order entity; `nested` puts the legs of a bracket / OCO / OTO parent in `legs`. */
export function orderJson(o: FakeOrder, nested: boolean): Record<string, unknown> {
  const inst = o.asset.instrument;
  const legs = nested ? legsOf(o) : [];
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: isoTime(o.createdAt),
    updated_at: isoTime(o.updatedAt),
    submitted_at: isoTime(o.submittedAt),
    filled_at: iso(o.filledAt),
    expired_at: iso(o.expiredAt),
    cancel_requested_at: iso(o.cancelRequestedAt),
    canceled_at: iso(o.canceledAt),
    failed_at: iso(o.failedAt),
    replaced_at: iso(o.replacedAt),
    replaced_by: o.replacedBy ?? null,
    replaces: o.replaces ?? null,
    asset_id: o.asset.id,
    symbol: o.asset.symbol,
    asset_class: o.asset.cls,
    notional: o.notional === undefined ? null : money(o.notional),
    qty: o.notional === undefined ? dec(o.qty, inst.qtyScale) : null,
    filled_qty: dec(o.filledQty, inst.qtyScale),
    filled_avg_price: averagePrice(o.asset, o.filledNotional, o.filledQty),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.positionIntent ?? null,
    time_in_force: o.tif,
    limit_price: price(o, o.limitPrice),
    stop_price: price(o, o.stopPrice),
    status: o.status,
    extended_hours: o.extendedHours,
    legs: legs.length === 0 ? null : legs.map((l) => orderJson(l, false)),
    trail_percent: o.trail?.kind === 'percent' ? o.trail.text : null,
    trail_price: o.trail?.kind === 'price' ? dec(o.trail.units, inst.priceScale) : null,
    hwm: price(o, o.hwm),
    expires_at: iso(o.dayEndsAt),
  };
}

/** One trade_updates message; fills carry the execution's price and qty and the position after it. */
export function tradeUpdate(
  event: string,
  o: FakeOrder,
  executionId: string,
  time: number,
  fill?: { readonly fill: Fill; readonly positionQty: string },
): Record<string, unknown> {
  const data: Record<string, unknown> = { event, execution_id: executionId, order: orderJson(o, true) };
  if (fill !== undefined) {
    const inst = o.asset.instrument;
    data.position_qty = fill.positionQty;
    data.price = dec(fill.fill.price, inst.priceScale);
    data.qty = dec(fill.fill.qty, inst.qtyScale);
  }
  data.timestamp = isoTime(time);
  return { stream: 'trade_updates', data };
}

export interface FillActivityRecord {
  readonly order: FakeOrder;
  readonly fill: Fill;
  /** Filled and left quantities of the order after this fill. */
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly complete: boolean;
}

/** A FILL account activity (GET /v2/account/activities/FILL). */
export function fillActivity(a: FillActivityRecord): Record<string, unknown> {
  const inst = a.order.asset.instrument;
  return {
    id: activityId(a),
    activity_type: 'FILL',
    transaction_time: isoTime(a.fill.time),
    type: a.complete ? 'fill' : 'partial_fill',
    price: dec(a.fill.price, inst.priceScale),
    qty: dec(a.fill.qty, inst.qtyScale),
    side: a.order.side,
    symbol: a.order.asset.symbol,
    leaves_qty: dec(a.leavesQty, inst.qtyScale),
    order_id: a.order.id,
    cum_qty: dec(a.cumQty, inst.qtyScale),
    order_status: a.complete ? 'filled' : 'partially_filled',
  };
}

export function activityId(a: FillActivityRecord): string {
  return `${activityStamp(a.fill.time)}::${a.fill.executionId}`;
}

export interface PositionView {
  readonly asset: AssetSpec;
  /** Money units of the base asset (as the ledger holds it). */
  readonly qty: bigint;
  /** Money units of the base held for open sell orders. */
  readonly held: bigint;
  /** Money units of USD. */
  readonly costBasis: bigint;
  /** Price units of the mark, or undefined when the fake has seen no price. */
  readonly mark: number | undefined;
}

/** Value of `qty` (base money units) at `mark` (price units), in money units. */
export function valueAt(asset: AssetSpec, qty: bigint, mark: number): bigint {
  return divRound(qty * BigInt(mark), pow10(asset.instrument.priceScale), 'half_even');
}

/** A position (GET /v2/positions); long only, as the fake does not short. */
export function positionJson(p: PositionView): Record<string, unknown> {
  const a = p.asset;
  const avg = p.qty === 0n ? 0n : divRound(p.costBasis * pow10(MONEY_SCALE), p.qty, 'half_even');
  const markMoney =
    p.mark === undefined ? avg : BigInt(p.mark) * pow10(MONEY_SCALE - a.instrument.priceScale);
  const value = p.mark === undefined ? p.costBasis : valueAt(a, p.qty, p.mark);
  const pl = value - p.costBasis;
  return {
    asset_id: a.id,
    symbol: positionSymbol(a),
    exchange: a.exchange,
    asset_class: a.cls,
    asset_marginable: a.cls === 'us_equity',
    qty: money(p.qty),
    qty_available: money(p.qty - p.held),
    avg_entry_price: money(avg),
    side: 'long',
    market_value: money(value),
    cost_basis: money(p.costBasis),
    unrealized_pl: money(pl),
    unrealized_plpc: ratio(pl, p.costBasis, 10),
    unrealized_intraday_pl: money(pl),
    unrealized_intraday_plpc: ratio(pl, p.costBasis, 10),
    current_price: money(markMoney),
    lastday_price: money(markMoney),
    change_today: '0',
  };
}

export interface AccountView {
  readonly id: string;
  readonly accountNumber: string;
  readonly createdAt: number;
  /** Money units of USD. */
  readonly cash: bigint;
  readonly buyingPower: bigint;
  readonly longMarketValue: bigint;
}

/** The account (GET /v2/account): a cash account (multiplier 1), no margin, no shorting. */
export function accountJson(v: AccountView): Record<string, unknown> {
  const equity = v.cash + v.longMarketValue;
  return {
    id: v.id,
    account_number: v.accountNumber,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: 'USD',
    buying_power: money(v.buyingPower),
    regt_buying_power: money(v.buyingPower),
    daytrading_buying_power: '0',
    effective_buying_power: money(v.buyingPower),
    non_marginable_buying_power: money(v.buyingPower),
    options_buying_power: '0',
    cash: money(v.cash),
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    portfolio_value: money(equity),
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: isoTime(v.createdAt),
    trade_suspended_by_user: false,
    multiplier: '1',
    shorting_enabled: false,
    equity: money(equity),
    last_equity: money(equity),
    long_market_value: money(v.longMarketValue),
    short_market_value: '0',
    position_market_value: money(v.longMarketValue),
    initial_margin: '0',
    maintenance_margin: '0',
    last_maintenance_margin: '0',
    sma: '0',
    daytrade_count: 0,
  };
}
