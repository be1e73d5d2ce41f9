// The fake's trading core: Alpaca orders, advanced orders, positions and the account on top of
// Ordo's paper matcher.
//
// The PaperMatcher (venues/paper/paper-matcher.ts) matches market and limit orders exactly against
// the market fed in and keeps the cash and asset balances. This module adds what Alpaca does:
// - Order records with Alpaca ids (UUIDs) and statuses; client_order_id unique for ever (a reuse,
//   even of a canceled order's id, is 422 `client_order_id must be unique`). A new order is
//   answered as received (`accepted`, as in Alpaca's documented examples), then goes to work at once
//   (`new` on trade_updates, before or after the HTTP answer reaches the client).
// - Buying power and position checks on entry (403), against the matcher's available balance less
//   what held orders keep aside: a cash account, long only (no shorting, no margin).
// - Stop, stop_limit and trailing_stop orders wait here (status `new`) until the last trade meets
//   the stop (buy: trade ≥ stop; sell: trade ≤ stop); then they go to the matcher as market
//   (stop, trailing_stop) or limit (stop_limit) orders under the same id. A trailing stop tracks
//   the high-water mark (`hwm`: highest trade for a sell, lowest for a buy) and moves its
//   stop_price: hwm ∓ trail_price, or hwm × (1 ∓ trail_percent/100) rounded to the tick away from
//   the market.
// - Bracket: the entry works; the take-profit (limit) and stop-loss (stop / stop_limit) legs are
//   `held` until the entry is completely filled, then both become `new`. One leg executing (the
//   take-profit filling completely, or the stop-loss triggering) cancels the other; a partial
//   take-profit fill reduces the stop-loss to what is left. OTO: the same with one leg. OCO: the
//   take-profit (the parent) and the stop-loss leg are `new` at once. Canceling the parent cancels
//   the legs; canceling a leg cancels its sibling; an entry that ends unfilled cancels its legs.
// - Replace (PATCH) ends the order as `replaced` and creates a new order (new id, `replaces` /
//   `replaced_by` linking them) for the quantity left, with the changed fields.
// - Time: DAY (and opg/cls) orders expire at the end of the UTC day; market orders wait for a
//   market like any other order; IOC/FOK remainders are `canceled`.
//
// Every operation runs synchronously on the injected clock and reports trade_updates messages
// through `onEvent` as they happen.

import { divRound, maxBig, pow10 } from '../../../core/decimal.ts';
import type { VenueReport } from '../../../engine/venue-port.ts';
import { MONEY_SCALE, notionalOf } from '../../../model/instrument.ts';
import type { MarketData } from '../../../model/market.ts';
import { DAY_MS, PaperMatcher } from '../../paper/paper-matcher.ts';
import type { AssetSpec, AssetTable } from './fake-assets.ts';
import { errors } from './fake-errors.ts';
import { dec, money, type UuidSource } from './fake-format.ts';
import {
  type AlpacaSide,
  type FakeOrder,
  type Fill,
  isFinal,
  isOpen,
  type LegRole,
  type OrderGroup,
  type Reservation,
} from './fake-order.ts';
import {
  buyCost,
  matcherTif,
  maxRate,
  qtyMoney,
  sameTrail,
  stopMet,
  trailOffset,
  trailStop,
} from './fake-order-math.ts';
import type { NewOrder, ReplaceRequest } from './fake-order-request.ts';
import {
  type AccountView,
  type FillActivityRecord,
  type PositionView,
  tradeUpdate,
  valueAt,
} from './fake-render.ts';

/** $0.01 in money units: the least distance of a bracket leg from its base price. */
const CENT = pow10(MONEY_SCALE - 2);

export interface BrokerOptions {
  readonly assets: AssetTable;
  /** Currency or asset → decimal string, e.g. `{ USD: '100000', BTC: '1' }`. */
  readonly balances: Readonly<Record<string, string>>;
  readonly now: () => number;
  readonly ids: UuidSource;
  readonly touchFills: boolean;
  /** Also send pending_new, pending_cancel and pending_replace events. */
  readonly pendingEvents: boolean;
  readonly onEvent: (frame: Record<string, unknown>) => void;
}

/** What a trade or quote did to the market, for the market data stream. */
export type MarketPrint =
  | {
      readonly kind: 'trade';
      readonly asset: AssetSpec;
      readonly price: number;
      readonly size: number;
      readonly id: number;
    }
  | {
      readonly kind: 'quote';
      readonly asset: AssetSpec;
      readonly bid: number;
      readonly bidSize: number;
      readonly ask: number;
      readonly askSize: number;
    };

interface AssetState {
  last: number | undefined;
  tradeId: number;
  /** Money units of USD paid for the position still held (proportionally reduced by sells). */
  costBasis: bigint;
}

export class FakeBroker {
  private readonly matcher: PaperMatcher;
  readonly orders: FakeOrder[] = [];
  private readonly byId = new Map<string, FakeOrder>();
  private readonly byClientId = new Map<string, FakeOrder>();
  readonly activities: FillActivityRecord[] = [];
  private readonly states = new Map<string, AssetState>();
  private readonly reserved = new Map<string, bigint>();
  /** Orders waiting for their stop, in placement order. */
  private stops: FakeOrder[] = [];
  private readonly later: (() => void)[] = [];
  private pumping = false;
  readonly accountId: string;
  readonly createdAt: number;

  constructor(private readonly options: BrokerOptions) {
    const balances: Record<string, string> = { USD: '0', ...options.balances };
    this.matcher = new PaperMatcher({
      venue: 'alpaca',
      instruments: options.assets.list.map((a) => a.instrument),
      balances,
      touchFills: options.touchFills,
      slippage: { kind: 'none' },
      latencyMs: 0,
      allowShort: false,
    });
    for (const a of options.assets.list)
      this.states.set(a.symbol, { last: undefined, tradeId: 0, costBasis: 0n });
    this.accountId = options.ids.next();
    this.createdAt = options.now();
  }

  private now(): number {
    return this.options.now();
  }

  private state(a: AssetSpec): AssetState {
    return this.states.get(a.symbol)!;
  }

  // ---- lookups --------------------------------------------------------------------------------

  find(id: string): FakeOrder | undefined {
    return this.op(() => this.byId.get(id));
  }

  findByClientId(clientOrderId: string): FakeOrder | undefined {
    return this.op(() => this.byClientId.get(clientOrderId));
  }

  /** Brings time-driven changes up to now (DAY expiries) before a read. */
  sync(): void {
    this.op(() => undefined);
  }

  quote(a: AssetSpec): { bid: number; bidSize: number; ask: number; askSize: number } | undefined {
    return this.matcher.quote(a.instrument.key);
  }

  // ---- balances -------------------------------------------------------------------------------

  private reservedOf(asset: string): bigint {
    return this.reserved.get(asset) ?? 0n;
  }

  /** Money units of `asset` free for a new order: the matcher's available less held reservations. */
  available(asset: string): bigint {
    return this.matcher.balance(asset).available - this.reservedOf(asset);
  }

  private reserve(r: Reservation | undefined): void {
    if (r !== undefined && r.amount !== 0n) this.reserved.set(r.asset, this.reservedOf(r.asset) + r.amount);
  }

  private release(r: Reservation | undefined): void {
    if (r !== undefined && r.amount !== 0n) this.reserved.set(r.asset, this.reservedOf(r.asset) - r.amount);
  }

  account(): AccountView {
    return this.op(() => {
      let longMarketValue = 0n;
      for (const p of this.positionViews())
        longMarketValue += p.mark === undefined ? p.costBasis : valueAt(p.asset, p.qty, p.mark);
      return {
        id: this.accountId,
        accountNumber: `PA${this.accountId.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        createdAt: this.createdAt,
        cash: this.matcher.balance('USD').total,
        buyingPower: this.available('USD'),
        longMarketValue,
      };
    });
  }

  /** Open positions (a non-zero balance of an asset's base), in the asset table's order. */
  positionViews(): PositionView[] {
    const out: PositionView[] = [];
    for (const a of this.options.assets.list) {
      const b = this.matcher.balance(a.base);
      if (b.total === 0n) continue;
      const q = this.quote(a);
      const mark = this.state(a).last ?? (q !== undefined && q.bid > 0 ? q.bid : undefined);
      out.push({
        asset: a,
        qty: b.total,
        held: b.locked + this.reservedOf(a.base),
        costBasis: this.state(a).costBasis,
        mark,
      });
    }
    return out;
  }

  /** Every balance of the ledger (money units): total, and free after locks and reservations. */
  balances(): Record<string, { total: string; available: string }> {
    const out: Record<string, { total: string; available: string }> = {};
    for (const [asset, b] of this.matcher.balances())
      out[asset] = { total: money(b.total), available: money(b.available - this.reservedOf(asset)) };
    return out;
  }

  // ---- market data ----------------------------------------------------------------------------

  /** Applies market data; returns what the market data stream publishes (a bar as its four trades). */
  feed(md: MarketData): MarketPrint[] {
    return this.op(() => {
      const asset =
        this.options.assets.byInstrument(md.instrument) ?? this.options.assets.find(md.instrument);
      if (asset === undefined) throw new Error(`feed: unknown instrument ${md.instrument}`);
      const key = asset.instrument.key;
      const now = this.now();
      if (md.kind === 'quote') {
        this.matcher.onMarket({ ...md, instrument: key, ts: now });
        this.pump();
        return [{ kind: 'quote', asset, bid: md.bid, bidSize: md.bidSize, ask: md.ask, askSize: md.askSize }];
      }
      if (md.kind === 'trade') return [this.trade(asset, md.price, md.size)];
      const lot = asset.instrument.qtyIncrement;
      const part = Math.floor(md.volume / 4 / lot) * lot;
      const path = [
        md.open,
        md.close >= md.open ? md.low : md.high,
        md.close >= md.open ? md.high : md.low,
        md.close,
      ];
      return path.map((p, i) => this.trade(asset, p, i < 3 ? part : md.volume - 3 * part));
    });
  }

  private trade(asset: AssetSpec, price: number, size: number): MarketPrint {
    const st = this.state(asset);
    const id = ++st.tradeId;
    this.matcher.onMarket({
      kind: 'trade',
      instrument: asset.instrument.key,
      ts: this.now(),
      price,
      size,
      aggressor: undefined,
      tradeId: String(id),
    });
    this.pump();
    st.last = price;
    for (const o of [...this.stops]) if (o.phase === 'stop' && o.asset === asset) this.onTrade(o, price);
    this.pump();
    return { kind: 'trade', asset, price, size, id };
  }

  // ---- operations -----------------------------------------------------------------------------

  /** One operation: time-driven changes first (expiries), then `fn`, then every consequence. */
  private op<T>(fn: () => T): T {
    const now = this.now();
    this.matcher.advanceTo(now);
    this.pump();
    for (const o of this.orders)
      if (o.dayEndsAt !== undefined && o.dayEndsAt <= now && !o.inMatcher && isOpen(o.status))
        this.finish(o, 'expired');
    this.pump();
    const out = fn();
    this.pump();
    return out;
  }

  /** Sends a trade_updates message; a fill's execution_id is the fill's (as in its FILL activity id). */
  private emit(event: string, o: FakeOrder, fill?: { fill: Fill; positionQty: string }): void {
    const executionId = fill?.fill.executionId ?? this.options.ids.next();
    this.options.onEvent(tradeUpdate(event, o, executionId, this.now(), fill));
  }

  /** Handles matcher reports, then queued work, until nothing is left. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const reports = this.matcher.drainReports();
        if (reports.length > 0) {
          for (const r of reports) this.onReport(r);
          continue;
        }
        const task = this.later.shift();
        if (task === undefined) return;
        task();
      }
    } finally {
      this.pumping = false;
    }
  }

  // ---- placing --------------------------------------------------------------------------------

  /**
   * Places an order (with its legs); throws an AlpacaError when Alpaca would refuse it, creating
   * nothing. `snapshot` sees the order as received (`accepted`, legs `held`), before it works.
   */
  place<R>(req: NewOrder, snapshot: (o: FakeOrder) => R): R {
    return this.op(() => {
      const cid = req.clientOrderId ?? this.options.ids.next();
      if (this.byClientId.has(cid)) throw errors.duplicateClientId();
      // An OCO only exits a position, and the fake holds long positions only.
      if (req.orderClass === 'oco' && req.side === 'buy')
        throw errors.unprocessable('oco orders must be exit orders');
      const qty = req.qty ?? this.notionalQty(req.asset, req.side, req.notional!);
      this.checkLegPrices(req);
      this.checkFunds(req, qty);
      const parentType = req.orderClass === 'oco' ? 'limit' : req.type;
      const parentRole: LegRole =
        req.orderClass === 'simple' ? 'single' : req.orderClass === 'oco' ? 'take_profit' : 'entry';
      const parent = this.create(
        req,
        cid,
        qty,
        parentType,
        parentRole,
        req.limitPrice,
        req.stopPrice,
        undefined,
      );
      if (req.orderClass !== 'simple') {
        const group: OrderGroup = {
          kind: req.orderClass,
          parent,
          legs: [],
          active: req.orderClass === 'oco',
          resolved: false,
          reservation: undefined,
        };
        parent.group = group;
        const exitSide: AlpacaSide = req.side === 'buy' ? 'sell' : 'buy';
        const legSide = req.orderClass === 'oco' ? req.side : exitSide;
        if (req.takeProfit !== undefined && req.orderClass !== 'oco')
          group.legs.push(
            this.create(
              req,
              this.options.ids.next(),
              qty,
              'limit',
              'take_profit',
              req.takeProfit.limitPrice,
              undefined,
              group,
              legSide,
            ),
          );
        if (req.stopLoss !== undefined) {
          const sl = req.stopLoss;
          group.legs.push(
            this.create(
              req,
              this.options.ids.next(),
              qty,
              sl.limitPrice === undefined ? 'stop' : 'stop_limit',
              'stop_loss',
              sl.limitPrice,
              sl.stopPrice,
              group,
              legSide,
            ),
          );
        }
        for (const leg of group.legs) leg.status = group.active ? 'accepted' : 'held';
      }
      const result = snapshot(parent);
      this.later.push(() => this.activate(parent));
      return result;
    });
  }

  private create(
    req: NewOrder,
    cid: string,
    qty: number,
    type: FakeOrder['type'],
    role: LegRole,
    limitPrice: number | undefined,
    stopPrice: number | undefined,
    group: OrderGroup | undefined,
    side: AlpacaSide = req.side,
    replaces?: FakeOrder,
  ): FakeOrder {
    const now = this.now();
    const day = req.tif === 'day' || req.tif === 'opg' || req.tif === 'cls';
    const o: FakeOrder = {
      id: this.options.ids.next(),
      clientOrderId: cid,
      asset: req.asset,
      side,
      type,
      tif: req.tif,
      orderClass: req.orderClassText,
      qty,
      notional: role === 'single' ? req.notional : undefined,
      limitPrice,
      stopPrice,
      trail: role === 'single' ? req.trail : undefined,
      hwm: replaces?.hwm,
      extendedHours: req.extendedHours,
      positionIntent: req.positionIntent,
      status: 'accepted',
      phase: 'held',
      role,
      group,
      filledQty: 0,
      filledNotional: 0n,
      fills: [],
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      filledAt: undefined,
      expiredAt: undefined,
      canceledAt: undefined,
      failedAt: undefined,
      replacedAt: undefined,
      cancelRequestedAt: undefined,
      replacedBy: undefined,
      replaces: replaces?.id,
      dayEndsAt: day ? (Math.floor(now / DAY_MS) + 1) * DAY_MS : undefined,
      reservation: undefined,
      inMatcher: false,
      endReason: undefined,
    };
    this.orders.push(o);
    this.byId.set(o.id, o);
    this.byClientId.set(cid, o);
    return o;
  }

  /** A new order (or an active group's legs) goes to work: `new`, then the matcher or the stop list. */
  private activate(o: FakeOrder): void {
    if (o.status !== 'accepted') return;
    const group = o.group;
    if (group?.kind === 'oco') {
      for (const leg of [o, ...group.legs]) this.announce(leg);
      this.refreshGroupReservation(group);
      for (const leg of [o, ...group.legs]) if (leg.status === 'new') this.work(leg);
      return;
    }
    this.announce(o);
    this.work(o);
  }

  private announce(o: FakeOrder): void {
    if (this.options.pendingEvents) {
      o.status = 'pending_new';
      this.emit('pending_new', o);
    }
    o.status = 'new';
    o.updatedAt = this.now();
    this.emit('new', o);
  }

  /** Sends a `new` order to the matcher, or holds it for its stop. */
  private work(o: FakeOrder): void {
    if (o.type === 'market' || o.type === 'limit') this.submit(o, o.type);
    else this.holdForStop(o);
  }

  private submit(o: FakeOrder, type: 'market' | 'limit'): void {
    o.phase = 'working';
    o.inMatcher = true;
    this.matcher.submit(
      {
        clientOrderId: o.id,
        instrument: o.asset.instrument.key,
        side: o.side,
        type,
        tif: matcherTif(o),
        expireAtMs: undefined,
        quantity: o.qty - o.filledQty,
        price: type === 'limit' ? o.limitPrice : undefined,
        triggerPrice: undefined,
        trailing: undefined,
        postOnly: false,
        reduceOnly: false,
      },
      this.now(),
    );
  }

  private holdForStop(o: FakeOrder): void {
    o.phase = 'stop';
    // The stop-loss of an active bracket / OCO shares the pair's reservation.
    const shared = o.group !== undefined && o.group.kind !== 'oto' && o.role === 'stop_loss';
    if (o.trail !== undefined) {
      const last = this.state(o.asset).last;
      if (o.hwm === undefined && last !== undefined) o.hwm = last;
      if (o.hwm !== undefined) o.stopPrice = trailStop(o, o.hwm);
    }
    if (!shared) {
      o.reservation = this.stopNeed(o);
      this.reserve(o.reservation);
    }
    this.stops.push(o);
    const last = this.state(o.asset).last;
    if (last !== undefined && o.trail === undefined && stopMet(o, last)) this.trigger(o);
  }

  // ---- entry checks ---------------------------------------------------------------------------

  /** The quantity a notional market order trades: the amount at the touch, down to the lot. */
  private notionalQty(asset: AssetSpec, side: AlpacaSide, notional: bigint): number {
    const inst = asset.instrument;
    const q = this.quote(asset);
    const touch = q !== undefined ? (side === 'buy' ? q.ask : q.bid) : undefined;
    const ref = touch !== undefined && touch > 0 ? touch : this.state(asset).last;
    if (ref === undefined)
      throw errors.unprocessable(`no market price for ${asset.symbol} to size the notional order`);
    if (asset.cls === 'us_equity' && notional < pow10(MONEY_SCALE))
      throw errors.invalid('notional must be at least 1');
    const perUnit = BigInt(ref) * pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
    const lot = BigInt(inst.qtyIncrement);
    const units = (notional / perUnit / lot) * lot;
    if (units < BigInt(asset.minQty))
      throw errors.invalid(
        `notional is below the minimum order size ${asset.minOrderSize ?? dec(asset.minQty, inst.qtyScale)}`,
      );
    return Number(units);
  }

  /** Bracket / OTO / OCO legs at least $0.01 from their base price, on the exit side of it. */
  private checkLegPrices(req: NewOrder): void {
    if (req.orderClass === 'simple') return;
    const inst = req.asset.instrument;
    const cent = Number(CENT / pow10(MONEY_SCALE - inst.priceScale));
    let base: number | undefined;
    if (req.orderClass === 'oco') base = req.takeProfit!.limitPrice;
    else if (req.type === 'limit') base = req.limitPrice;
    else {
      const q = this.quote(req.asset);
      const touch = q === undefined ? undefined : req.side === 'buy' ? q.ask : q.bid;
      base = touch !== undefined && touch > 0 ? touch : this.state(req.asset).last;
    }
    if (base === undefined) return;
    // A buy entry exits by selling: take-profit above the base, stop-loss below; a sell the reverse.
    // An OCO is itself the exit: its side is the exit side.
    const exitSells = req.orderClass === 'oco' ? req.side === 'sell' : req.side === 'buy';
    const tp = req.orderClass === 'oco' ? undefined : req.takeProfit?.limitPrice;
    const sl = req.stopLoss?.stopPrice;
    if (exitSells) {
      if (tp !== undefined && tp < base + cent)
        throw errors.unprocessable('take_profit.limit_price must be >= base_price + 0.01');
      if (sl !== undefined && sl > base - cent)
        throw errors.unprocessable('stop price must be less than base_price - 0.01');
    } else {
      if (tp !== undefined && tp > base - cent)
        throw errors.unprocessable('take_profit.limit_price must be <= base_price - 0.01');
      if (sl !== undefined && sl < base + cent)
        throw errors.unprocessable('stop price must be greater than base_price + 0.01');
    }
  }

  /** 403 when the account cannot pay for (buy) or deliver (sell) the order. */
  private checkFunds(req: NewOrder, qty: number): void {
    const asset = req.asset;
    if (req.orderClass === 'bracket' || req.orderClass === 'oto') {
      // A sell bracket on a long position is an exit, not an entry; the fake does not short.
      if (req.side === 'sell') {
        if (this.matcher.balance(asset.base).total > 0n)
          throw errors.unprocessable('bracket orders must be entry orders');
        this.refuseSell(asset, qty);
      }
    }
    const need = this.entryNeed(req, qty);
    if (need === undefined || need.amount <= this.available(need.asset)) return;
    if (req.side === 'sell' || need.asset !== 'USD') this.refuseSell(asset, qty);
    if (asset.cls === 'crypto')
      throw errors.insufficientBalance(asset.quote, money(need.amount), money(this.available(asset.quote)));
    throw errors.insufficientBuyingPower(money(this.available('USD')), money(need.amount));
  }

  private refuseSell(asset: AssetSpec, qty: number): never {
    const inst = asset.instrument;
    const b = this.matcher.balance(asset.base);
    const available = this.available(asset.base);
    const requested = dec(qty, inst.qtyScale);
    if (asset.cls === 'crypto') throw errors.insufficientBalance(asset.base, requested, money(available));
    throw errors.insufficientQty(
      asset.symbol,
      requested,
      money(available),
      money(b.total),
      money(b.locked + this.reservedOf(asset.base)),
    );
  }

  /** What the order (an OCO: its pair) needs free on entry; undefined when no price can value it. */
  private entryNeed(req: NewOrder, qty: number): Reservation | undefined {
    const a = req.asset;
    if (req.side === 'sell') return { asset: a.base, amount: qtyMoney(a, qty) };
    if (req.orderClass === 'oco') {
      const tp = buyCost(a, req.takeProfit!.limitPrice, qty, maxRate(a));
      const sl = buyCost(a, req.stopLoss!.limitPrice ?? req.stopLoss!.stopPrice, qty, maxRate(a));
      return { asset: a.quote, amount: maxBig(tp, sl) };
    }
    let price: number | undefined;
    switch (req.type) {
      case 'limit':
      case 'stop_limit':
        price = req.limitPrice;
        break;
      case 'stop':
        price = req.stopPrice;
        break;
      default: {
        const q = this.quote(a);
        const ref = q !== undefined && q.ask > 0 ? q.ask : this.state(a).last;
        price =
          ref === undefined
            ? undefined
            : req.type === 'trailing_stop'
              ? ref + trailOffset(req.trail!, ref)
              : ref;
      }
    }
    return price === undefined ? undefined : { asset: a.quote, amount: buyCost(a, price, qty, maxRate(a)) };
  }

  /** A sell needs the quantity; a buy its cost at `price` with the larger fee (0 when unpriced). */
  private need(a: AssetSpec, side: AlpacaSide, price: number | undefined, qty: number): Reservation {
    if (side === 'sell') return { asset: a.base, amount: qtyMoney(a, qty) };
    return { asset: a.quote, amount: price === undefined ? 0n : buyCost(a, price, qty, maxRate(a)) };
  }

  /** Funds a stop order keeps aside while it waits: valued at its limit, else its stop. */
  private stopNeed(o: FakeOrder): Reservation {
    return this.need(
      o.asset,
      o.side,
      o.limitPrice ?? o.stopPrice ?? this.state(o.asset).last,
      o.qty - o.filledQty,
    );
  }

  /** What a working limit order locks in the matcher (the matcher's rule, rounded up). */
  private workingNeed(o: FakeOrder): Reservation {
    return this.need(o.asset, o.side, o.limitPrice, o.qty - o.filledQty);
  }

  /** An active exit pair shares funds: the stop-loss keeps aside only what the working leg does not lock. */
  private refreshGroupReservation(group: OrderGroup): void {
    this.release(group.reservation);
    group.reservation = undefined;
    if (!group.active || group.resolved) return;
    const sl = [group.parent, ...group.legs].find(
      (o) => o.role === 'stop_loss' && o.phase !== 'done' && o.phase !== 'working',
    );
    const tp = [group.parent, ...group.legs].find((o) => o.role === 'take_profit' && isOpen(o.status));
    if (sl === undefined || tp === undefined || group.kind === 'oto') return;
    const need = this.stopNeed(sl);
    const locked = this.workingNeed(tp);
    const extra = locked.asset === need.asset ? need.amount - locked.amount : need.amount;
    group.reservation = { asset: need.asset, amount: extra > 0n ? extra : 0n };
    this.reserve(group.reservation);
  }

  // ---- matcher reports ------------------------------------------------------------------------

  private onReport(r: VenueReport): void {
    const o = this.byId.get(r.clientOrderId);
    if (o === undefined) return;
    switch (r.kind) {
      case 'fill':
        this.applyFill(o, r.price, r.quantity, r.fee, r.liquidity);
        return;
      case 'cancelled':
        o.inMatcher = false;
        if (o.endReason === 'replaced') return;
        this.finish(o, 'canceled');
        return;
      case 'expired':
        o.inMatcher = false;
        this.finish(o, 'expired');
        return;
      case 'rejected':
        o.inMatcher = false;
        // A FOK the market cannot fill at once is canceled by Alpaca, not rejected.
        this.finish(o, r.code === 'fok_unfillable' ? 'canceled' : 'rejected');
        return;
      default:
        return;
    }
  }

  private applyFill(
    o: FakeOrder,
    price: number,
    qty: number,
    fee: bigint,
    liquidity: 'maker' | 'taker',
  ): void {
    const a = o.asset;
    const st = this.state(a);
    const now = this.now();
    const value = notionalOf(a.instrument, price, qty);
    o.filledQty += qty;
    o.filledNotional += value;
    o.updatedAt = now;
    const complete = o.filledQty === o.qty;
    o.status = complete ? 'filled' : 'partially_filled';
    if (complete) {
      o.filledAt = now;
      o.phase = 'done';
      o.inMatcher = false;
    }
    const fill: Fill = {
      executionId: this.options.ids.next(),
      price,
      qty,
      notional: value,
      fee,
      time: now,
      liquidity,
    };
    o.fills.push(fill);
    // Cost basis: buys add what they paid; sells take away their share of it.
    const held = this.matcher.balance(a.base).total;
    if (o.side === 'buy') st.costBasis += value;
    else {
      const before = held + qtyMoney(a, qty);
      st.costBasis =
        held <= 0n ? 0n : st.costBasis - divRound(st.costBasis * qtyMoney(a, qty), before, 'half_even');
    }
    this.activities.push({ order: o, fill, cumQty: o.filledQty, leavesQty: o.qty - o.filledQty, complete });
    this.emit(complete ? 'fill' : 'partial_fill', o, { fill, positionQty: money(held) });
    const group = o.group;
    if (group === undefined) return;
    if (o.role === 'entry' && complete) this.later.push(() => this.activateLegs(group));
    if (o.role === 'take_profit' && group.active && !group.resolved) {
      if (complete) this.resolve(group, o);
      else {
        // A partial take-profit leaves the stop-loss for what is left.
        for (const sl of group.legs)
          if (sl.role === 'stop_loss' && sl.phase === 'stop') sl.qty = o.qty - o.filledQty;
        this.refreshGroupReservation(group);
      }
    }
  }

  /** The entry of a bracket / OTO filled completely: its legs become `new` and go to work. */
  private activateLegs(group: OrderGroup): void {
    if (group.active) return;
    group.active = true;
    const legs = group.legs.filter((l) => l.status === 'held');
    for (const leg of legs) {
      this.announce(leg);
    }
    this.refreshGroupReservation(group);
    for (const leg of legs) if (leg.status === 'new') this.work(leg);
  }

  /** One exit leg executed: the others are canceled. */
  private resolve(group: OrderGroup, winner: FakeOrder): void {
    if (group.resolved) return;
    group.resolved = true;
    this.release(group.reservation);
    group.reservation = undefined;
    for (const o of [group.parent, ...group.legs])
      if (o !== winner && o.role !== 'entry' && isOpen(o.status)) this.cancelOne(o);
  }

  /** Ends an order with a final status (not filled, not replaced) and tells the stream. */
  private finish(o: FakeOrder, status: 'canceled' | 'expired' | 'rejected'): void {
    if (isFinal(o.status)) return;
    const now = this.now();
    o.status = status;
    o.phase = 'done';
    o.updatedAt = now;
    if (status === 'canceled') o.canceledAt = now;
    else if (status === 'expired') o.expiredAt = now;
    else o.failedAt = now;
    this.release(o.reservation);
    o.reservation = undefined;
    this.stops = this.stops.filter((s) => s !== o);
    if (o.inMatcher) {
      o.endReason = 'canceled';
      o.inMatcher = false;
      this.matcher.cancel(o.id, now);
    }
    this.emit(status, o);
    const group = o.group;
    if (group === undefined) return;
    if (o.role === 'entry') {
      // An entry that ends without filling completely takes its held legs with it.
      for (const leg of group.legs)
        if (isOpen(leg.status)) this.finish(leg, status === 'expired' ? 'expired' : 'canceled');
      return;
    }
    if (!group.resolved) {
      group.resolved = true;
      this.release(group.reservation);
      group.reservation = undefined;
      for (const s of [group.parent, ...group.legs])
        if (s !== o && s.role !== 'entry' && isOpen(s.status))
          this.finish(s, status === 'expired' ? 'expired' : 'canceled');
    }
  }

  // ---- stops ----------------------------------------------------------------------------------

  private onTrade(o: FakeOrder, price: number): void {
    if (o.trail !== undefined) {
      const better = o.hwm === undefined || (o.side === 'sell' ? price > o.hwm : price < o.hwm);
      if (better) {
        o.hwm = price;
        o.stopPrice = trailStop(o, price);
      }
    }
    if (stopMet(o, price)) this.trigger(o);
  }

  /** The stop is met: the order goes to the matcher (a stop-loss leg first cancels its sibling). */
  private trigger(o: FakeOrder): void {
    this.stops = this.stops.filter((s) => s !== o);
    this.release(o.reservation);
    o.reservation = undefined;
    o.updatedAt = this.now();
    const group = o.group;
    if (group !== undefined && o.role === 'stop_loss') this.resolve(group, o);
    this.submit(o, o.type === 'stop_limit' ? 'limit' : 'market');
  }

  // ---- cancel and replace ---------------------------------------------------------------------

  /** DELETE /v2/orders/{id}: 404 unknown, 422 ended; a bracket's parent takes its legs along. */
  cancel(id: string): FakeOrder {
    return this.op(() => {
      const o = this.byId.get(id);
      if (o === undefined) throw errors.orderNotFound();
      if (isFinal(o.status)) throw errors.orderEnded(o.status);
      this.cancelWithGroup(o);
      return o;
    });
  }

  /** DELETE /v2/orders: every open order, each with its HTTP status and the order after the cancel. */
  cancelAll(): { order: FakeOrder; status: number }[] {
    return this.op(() => {
      const open = this.orders.filter((o) => isOpen(o.status));
      for (const o of open) if (isOpen(o.status)) this.cancelWithGroup(o);
      return open.map((order) => ({ order, status: 200 }));
    });
  }

  private cancelWithGroup(o: FakeOrder): void {
    const group = o.group;
    if (group === undefined) {
      this.cancelOne(o);
      return;
    }
    const parentFirst = group.parent === o && o.role === 'entry';
    const targets = parentFirst
      ? [group.parent, ...group.legs]
      : [group.parent, ...group.legs].filter((x) => x.role !== 'entry');
    group.resolved = true;
    this.release(group.reservation);
    group.reservation = undefined;
    for (const t of targets) if (isOpen(t.status)) this.cancelOne(t);
  }

  private cancelOne(o: FakeOrder): void {
    const now = this.now();
    o.cancelRequestedAt = now;
    if (this.options.pendingEvents) {
      o.status = 'pending_cancel';
      this.emit('pending_cancel', o);
    }
    if (o.inMatcher) {
      o.endReason = 'canceled';
      this.matcher.cancel(o.id, now);
      this.pump();
      // The matcher may have had nothing open left (a fill raced the cancel): nothing more to do.
      return;
    }
    this.finish(o, 'canceled');
  }

  /**
   * PATCH /v2/orders/{id}: the order ends `replaced`; a new order (new id) takes the quantity left
   * and the changed fields. `snapshot` sees the new order as received.
   */
  replace<R>(id: string, change: ReplaceRequest, snapshot: (o: FakeOrder) => R): R {
    return this.op(() => {
      const o = this.byId.get(id);
      if (o === undefined) throw errors.orderNotFound();
      if (isFinal(o.status)) throw errors.orderEnded(o.status);
      if (o.type === 'market') throw errors.unprocessable('market orders cannot be replaced');
      if (o.notional !== undefined) throw errors.unprocessable('notional orders cannot be replaced');
      if (o.group !== undefined && (o.group.kind === 'oto' || o.role === 'entry'))
        throw errors.unprocessable(
          `replacing the ${o.role === 'entry' ? 'entry' : 'legs'} of ${o.group.kind === 'bracket' ? 'a' : 'an'} ${o.group.kind} order is not supported`,
        );
      const total = change.qty ?? o.qty;
      const tif = change.tif ?? o.tif;
      const limitPrice = change.limitPrice ?? o.limitPrice;
      const stopPrice = o.trail !== undefined ? undefined : (change.stopPrice ?? o.stopPrice);
      const trail = change.trail ?? o.trail;
      const unchanged =
        total === o.qty &&
        tif === o.tif &&
        limitPrice === o.limitPrice &&
        stopPrice === (o.trail !== undefined ? undefined : o.stopPrice) &&
        sameTrail(trail, o.trail);
      if (unchanged) throw errors.notChanged();
      if (total <= o.filledQty) throw errors.invalid('qty must be greater than filled_qty');
      const cid = change.clientOrderId ?? this.options.ids.next();
      if (this.byClientId.has(cid)) throw errors.duplicateClientId();
      const req: NewOrder = {
        asset: o.asset,
        side: o.side,
        type: o.type,
        tif,
        orderClassText: o.orderClass,
        orderClass: o.group?.kind ?? 'simple',
        qty: total - o.filledQty,
        notional: undefined,
        limitPrice,
        stopPrice,
        trail,
        extendedHours: o.extendedHours,
        clientOrderId: cid,
        takeProfit: undefined,
        stopLoss: undefined,
        positionIntent: o.positionIntent,
      };
      // Funds: what the old order holds comes back to pay for the new one.
      if (o.group === undefined) {
        const holding = o.inMatcher ? this.workingNeed(o) : (o.reservation ?? { asset: '', amount: 0n });
        const price = limitPrice ?? stopPrice ?? o.stopPrice ?? this.state(o.asset).last;
        const need = this.need(o.asset, o.side, price, total - o.filledQty);
        const free = this.available(need.asset) + (holding.asset === need.asset ? holding.amount : 0n);
        if (need.amount > free) {
          if (o.side === 'sell') this.refuseSell(o.asset, total - o.filledQty);
          if (o.asset.cls === 'crypto')
            throw errors.insufficientBalance(o.asset.quote, money(need.amount), money(free));
          throw errors.insufficientBuyingPower(money(free), money(need.amount));
        }
      }
      const now = this.now();
      if (this.options.pendingEvents) {
        o.status = 'pending_replace';
        this.emit('pending_replace', o);
      }
      // Take the old order off the book (or the stop list) without a `canceled` event.
      this.stops = this.stops.filter((s) => s !== o);
      this.release(o.reservation);
      o.reservation = undefined;
      if (o.inMatcher) {
        o.endReason = 'replaced';
        this.matcher.cancel(o.id, now);
        this.pump();
      }
      const group = o.group;
      const next = this.create(
        req,
        cid,
        total - o.filledQty,
        o.type,
        o.role,
        limitPrice,
        stopPrice,
        group,
        o.side,
        o,
      );
      if (group !== undefined) {
        if (group.parent === o) group.parent = next;
        else group.legs[group.legs.indexOf(o)] = next;
      }
      o.status = 'replaced';
      o.phase = 'done';
      o.inMatcher = false;
      o.replacedAt = now;
      o.replacedBy = next.id;
      o.updatedAt = now;
      if (group !== undefined && !group.active) next.status = 'held';
      const result = snapshot(next);
      this.emit('replaced', o);
      this.later.push(() => {
        if (group?.active) {
          this.announce(next);
          this.refreshGroupReservation(group);
          this.work(next);
        } else if (group === undefined) this.activate(next);
      });
      return result;
    });
  }
}
