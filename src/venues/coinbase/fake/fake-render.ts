// The fake's orders, fills and accounts as Coinbase writes them: the REST order object (venues.md
// 3.5, get_order_limit_gtc_open.json, list_orders_filled_market_ioc.json), the user channel's
// cumulative order state (ws_user_snapshot.json and the docs' example: `cumulative_quantity`,
// `leaves_quantity`, `avg_price`, `order_type` written "Limit"/"Market", `post_only` as a
// string), a fill of `/orders/historical/fills` (list_fills_spot.json) and an account of `/accounts`.
// Every number is a decimal string computed exactly from integer units.

import { divRound, formatUnits, pow10 } from '../../../core/decimal.ts';
import { MONEY_SCALE } from '../../../model/instrument.ts';
import type { Tif } from './fake-config.ts';
import { type CbFill, type CbOrder, isFinal } from './fake-order.ts';
import { FIAT, isoMicros, moneyText, priceText, qtyText } from './fake-products.ts';

/** What rendering needs beyond the order itself. */
export interface RenderContext {
  readonly userId: string;
  readonly portfolioId: string;
  readonly holdOf: (order: CbOrder) => { currency: string; amount: bigint };
}

const TIF_NAMES: Readonly<Record<Tif, string>> = {
  GTC: 'GOOD_UNTIL_CANCELLED',
  GTD: 'GOOD_UNTIL_DATE_TIME',
  IOC: 'IMMEDIATE_OR_CANCEL',
  FOK: 'FILL_OR_KILL',
};

const REST_TYPES = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop_limit: 'STOP_LIMIT',
  bracket: 'BRACKET',
} as const;
/** The user channel writes order types in the docs' style (ws_user_snapshot.json: "Limit"). */
const WS_TYPES = { market: 'Market', limit: 'Limit', stop_limit: 'Stop Limit', bracket: 'Bracket' } as const;

/** Coinbase's "no time" in the user channel. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** filled / size × 100 with two decimals (rounded down), e.g. "50.00". */
function completion(o: CbOrder): string {
  if (o.qty <= 0) return '0.00';
  return formatUnits((BigInt(o.filled) * 10_000n) / BigInt(o.qty), 2);
}

/** Average fill price: filled value / filled size, half-even at price + quantity decimals. */
export function averagePrice(o: CbOrder): string {
  if (o.filled === 0) return '0';
  const inst = o.spec.instrument;
  const places = inst.priceScale + inst.qtyScale;
  const avg = divRound(
    o.filledValue * pow10(inst.qtyScale) * pow10(places),
    BigInt(o.filled) * pow10(MONEY_SCALE),
    'half_even',
  );
  return formatUnits(avg, places, true);
}

/** Value after fees: a buy pays them on top, a sell receives the value less them. */
function valueAfterFees(o: CbOrder): bigint {
  return o.side === 'BUY' ? o.filledValue + o.fees : o.filledValue - o.fees;
}

/** The REST order object (`GET /orders/historical/{order_id}` → `order`, list entries). */
export function orderJson(o: CbOrder, ctx: RenderContext): Record<string, unknown> {
  return {
    order_id: o.id,
    product_id: o.productId,
    user_id: ctx.userId,
    order_configuration: o.configuration,
    side: o.side,
    client_order_id: o.clientOrderId,
    status: o.status,
    time_in_force: TIF_NAMES[o.tif],
    created_time: isoMicros(o.createdMs),
    completion_percentage: completion(o),
    filled_size: qtyText(o.spec, o.filled),
    average_filled_price: averagePrice(o),
    fee: '',
    number_of_fills: String(o.fills.length),
    filled_value: moneyText(o.filledValue),
    pending_cancel: o.pendingCancel,
    size_in_quote: o.sizeInQuote,
    total_fees: moneyText(o.fees),
    size_inclusive_of_fees: false,
    total_value_after_fees: moneyText(valueAfterFees(o)),
    trigger_status: o.triggerStatus,
    order_type: REST_TYPES[o.kind],
    reject_reason: o.rejectReason,
    settled: isFinal(o.status),
    product_type: 'SPOT',
    reject_message: o.rejectMessage,
    cancel_message: o.cancelMessage,
    order_placement_source: 'RETAIL_ADVANCED',
    outstanding_hold_amount: moneyText(ctx.holdOf(o).amount),
    is_liquidation: false,
    last_fill_time: o.lastFillMs === undefined ? null : isoMicros(o.lastFillMs),
    edit_history: [...o.editHistory],
    leverage: '',
    margin_type: 'UNKNOWN_MARGIN_TYPE',
    retail_portfolio_id: ctx.portfolioId,
    originating_order_id: '',
    attached_order_id: '',
    cursor: String(o.seq),
  };
}

/** An order of the user channel: cumulative state, not the last fill. */
export function wsOrderJson(o: CbOrder, ctx: RenderContext): Record<string, unknown> {
  const leaves = isFinal(o.status) ? 0 : o.qty - o.filled;
  return {
    avg_price: averagePrice(o),
    cancel_reason: o.cancelMessage,
    client_order_id: o.clientOrderId,
    completion_percentage: completion(o),
    contract_expiry_type: 'UNKNOWN_CONTRACT_EXPIRY_TYPE',
    cumulative_quantity: qtyText(o.spec, o.filled),
    filled_value: moneyText(o.filledValue),
    leaves_quantity: qtyText(o.spec, leaves),
    limit_price: o.limit === undefined ? '' : priceText(o.spec, o.limit),
    number_of_fills: String(o.fills.length),
    order_id: o.id,
    order_side: o.side,
    order_type: WS_TYPES[o.kind],
    outstanding_hold_amount: moneyText(ctx.holdOf(o).amount),
    post_only: String(o.postOnly),
    product_id: o.productId,
    product_type: 'SPOT',
    reject_reason: o.rejectMessage,
    retail_portfolio_id: ctx.portfolioId,
    risk_managed_by: 'UNKNOWN_RISK_MANAGEMENT_TYPE',
    status: o.status,
    stop_price: o.stop === undefined ? '' : priceText(o.spec, o.stop),
    time_in_force: TIF_NAMES[o.tif],
    total_fees: moneyText(o.fees),
    total_value_after_fees: moneyText(valueAfterFees(o)),
    trigger_status: o.triggerStatus,
    creation_time: isoMicros(o.createdMs),
    end_time: o.endMs === undefined ? ZERO_TIME : isoMicros(o.endMs),
    start_time: ZERO_TIME,
  };
}

/** A fill of `/orders/historical/fills`. */
export function fillJson(f: CbFill, ctx: RenderContext): Record<string, unknown> {
  const o = f.order;
  return {
    entry_id: f.entryId,
    trade_id: f.tradeId,
    order_id: o.id,
    trade_time: isoMicros(f.timeMs),
    trade_type: 'FILL',
    price: priceText(o.spec, f.price),
    size: qtyText(o.spec, f.qty),
    commission: moneyText(f.commission),
    product_id: o.productId,
    sequence_timestamp: f.sequenceTimestamp,
    liquidity_indicator: f.liquidity,
    size_in_quote: false,
    user_id: ctx.userId,
    side: o.side,
    retail_portfolio_id: ctx.portfolioId,
    cursor: String(f.seq),
  };
}

/** An account of `/accounts` (one per currency). */
export function accountJson(
  a: { uuid: string; currency: string; available: bigint; hold: bigint; createdMs: number },
  ctx: { portfolioId: string; nowMs: number },
): Record<string, unknown> {
  return {
    uuid: a.uuid,
    name: `${a.currency} Wallet`,
    currency: a.currency,
    available_balance: { value: moneyText(a.available), currency: a.currency },
    default: false,
    active: true,
    created_at: isoMicros(a.createdMs),
    updated_at: isoMicros(ctx.nowMs),
    deleted_at: null,
    type: FIAT.has(a.currency) ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
    ready: true,
    hold: { value: moneyText(a.hold), currency: a.currency },
    retail_portfolio_id: ctx.portfolioId,
    platform: 'ACCOUNT_PLATFORM_CONSUMER',
  };
}
