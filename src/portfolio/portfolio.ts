// The portfolio: positions, cash, P&L, fees, round trips and an equity curve, folded from fills.
// It is pure and deterministic (time comes only from the fills and marks passed in), so replaying
// the journal's fills rebuilds it exactly; there is no serialize/restore.
//
// Accounting rules, in one place:
// - Positions are per instrument (`venue:symbol`), netted: long or short, and a fill may flip
//   through zero. Realized P&L is FIFO lot matching, in quote money.
// - Cash is per venue and currency. A buy debits the quote by the notional, a sell credits it;
//   the base asset of a traded instrument is the position itself, never cash.
// - A fee in the quote currency, or in any currency other than the base, debits that cash. A fee in
//   the base asset reduces the position instead: it is booked as a disposal of those units at price
//   zero, matched FIFO like a trade, so its cost lands in realized P&L. Realized P&L is therefore
//   net of base-asset fees and gross of all others (those are reported per currency). Base fees
//   finer than one quantity unit are carried as dust until they add up to a whole unit.
// - Unrealized P&L and equity use the newer of the instrument's last mark and its last fill.
// - Equity in a currency is the cash in that currency on every venue plus the value of positions
//   quoted in it. There is no cross-currency conversion: other cash and positions are left out.
// - Fills are assumed de-duplicated by trade id upstream (the engine does it).

import { assert } from '../core/assert.ts';
import { ChunkedList } from '../core/chunked-list.ts';
import { bigProduct } from '../core/decimal.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Fill } from '../model/fill.ts';
import type { Instrument } from '../model/instrument.ts';
import { DailyTotals } from './daily-totals.ts';
import { EquityCurve, type EquityPoint } from './equity-curve.ts';
import { type MoneyCell, moneyCell } from './money-cell.ts';
import { PORTFOLIO_LIMITS, type PortfolioLimits } from './portfolio-limits.ts';
import { CashCell, MarkCell, PositionState } from './position-state.ts';
import { type PositionView, positionView } from './position-view.ts';
import { type RoundTrip, TripState } from './round-trip.ts';
import { unitsText } from './units-text.ts';

export interface PortfolioOptions {
  /** Opening balances: venue → currency → money units. */
  readonly cash?: Readonly<Record<string, Readonly<Record<string, bigint>>>>;
  /** The currency `equitySample` values the portfolio in. Default `USD`. */
  readonly valuationCurrency?: string;
  /** Where a trading day starts, as an offset from UTC midnight (may be negative). Default 0. */
  readonly dayOffsetMs?: number;
  readonly limits?: Partial<PortfolioLimits>;
}

export interface CashBalance {
  readonly venue: string;
  readonly currency: string;
  /** Money units as a decimal string. */
  readonly amount: string;
}

export interface VenueExposure {
  readonly venue: string;
  /** Signed quantity of the asset held on this venue, over all its instruments. */
  readonly quantity: string;
}

export interface AssetExposure {
  /** The base asset, e.g. `BTC`. */
  readonly asset: string;
  /** Signed quantity summed over every venue. */
  readonly quantity: string;
  readonly venues: readonly VenueExposure[];
}

export class Portfolio {
  readonly valuationCurrency: string;
  readonly limits: PortfolioLimits;
  private readonly states = new Map<string, PositionState>();
  private readonly cashCells = new Map<string, CashCell>();
  private readonly marks = new Map<string, MarkCell>();
  private readonly realizedTotals = new Map<string, MoneyCell>();
  private readonly feeTotals = new Map<string, MoneyCell>();
  private readonly realizedDaily: DailyTotals;
  private readonly feesDaily: DailyTotals;
  private readonly curve: EquityCurve;
  private readonly closedTrips = new ChunkedList<TripState>();
  private tripSeq = 0;
  private tripsDropped = 0;

  constructor(options: PortfolioOptions = {}) {
    this.valuationCurrency = options.valuationCurrency ?? 'USD';
    this.limits = Object.freeze({ ...PORTFOLIO_LIMITS, ...options.limits });
    const dayOffsetMs = options.dayOffsetMs ?? 0;
    this.realizedDaily = new DailyTotals(dayOffsetMs, this.limits.dailyBucketsMax);
    this.feesDaily = new DailyTotals(dayOffsetMs, this.limits.dailyBucketsMax);
    this.curve = new EquityCurve(this.limits.equityCurvePointsMax);
    assert(
      Number.isSafeInteger(this.limits.roundTripsMax) && this.limits.roundTripsMax >= 1,
      'roundTripsMax must be >= 1',
    );
    for (const [venue, balances] of Object.entries(options.cash ?? {}))
      for (const [currency, amount] of Object.entries(balances)) this.deposit(venue, currency, amount);
  }

  // ---- cash movements -------------------------------------------------------------------------

  deposit(venue: string, currency: string, amount: bigint): void {
    assert(amount >= 0n, 'a deposit must be >= 0');
    this.cashCell(venue, currency).amount += amount;
  }

  withdraw(venue: string, currency: string, amount: bigint): void {
    assert(amount >= 0n, 'a withdrawal must be >= 0');
    this.cashCell(venue, currency).amount -= amount;
  }

  // ---- the fast path --------------------------------------------------------------------------

  /** Folds one fill into positions, cash, P&L, fees and round trips. */
  applyFill(fill: Fill, instrument: Instrument): void {
    const { price, quantity } = fill;
    assert(fill.instrument === instrument.key, 'fill and instrument disagree');
    assert(Number.isSafeInteger(quantity) && quantity > 0, 'fill quantity must be a positive safe integer');
    assert(Number.isSafeInteger(price) && price > 0, 'fill price must be a positive safe integer');
    const s = this.stateFor(instrument);
    const dir = fill.side === 'buy' ? 1 : -1;
    const notionalPQ = bigProduct(price, quantity);
    const notional = notionalPQ * s.moneyPerPQ;
    // A subtraction, not the addition of a negated notional: one bigint result instead of two.
    if (dir > 0) s.quoteCash.amount -= notional;
    else s.quoteCash.amount += notional;
    this.trade(s, dir, quantity, price, notionalPQ, fill, fill.fee);
    if (fill.fee !== 0n) this.chargeFee(s, fill);
    if (fill.ts >= s.lastTs) {
      s.lastPrice = price;
      s.lastTs = fill.ts;
    }
  }

  /** Records the latest price of an instrument; a mark older than the current one is ignored. */
  mark(instrumentKey: string, price: number, ts: TimestampMs): void {
    assert(Number.isSafeInteger(price) && price > 0, 'mark price must be a positive safe integer');
    const cell = this.markCell(instrumentKey);
    if (ts < cell.ts) return;
    cell.price = price;
    cell.ts = ts;
  }

  // ---- queries --------------------------------------------------------------------------------

  position(instrumentKey: string): PositionView | undefined {
    const s = this.states.get(instrumentKey);
    return s === undefined ? undefined : positionView(s);
  }

  /** Every instrument ever filled (flat ones included: they carry realized P&L), by key. */
  positions(): PositionView[] {
    return [...this.states.keys()].sort().map((key) => positionView(this.states.get(key) as PositionState));
  }

  /** Signed position in the instrument's quantity units; 0 when never filled. */
  positionQty(instrumentKey: string): number {
    // Asked by every risk check, mostly for the instrument of the check before (see lastState).
    const last = this.lastState;
    if (last !== undefined && last.inst.key === instrumentKey) return last.qty;
    const s = this.states.get(instrumentKey);
    if (s === undefined) return 0;
    this.lastState = s;
    return s.qty;
  }

  /**
   * The position state last asked for or filled (one object per instrument, never replaced): risk
   * checks and fills mostly come for the instrument of the one before, and skip the map.
   */
  private lastState: PositionState | undefined = undefined;

  /** Unrealized P&L in quote money units at the newer of the last mark and the last fill. */
  unrealizedPnl(instrumentKey: string): bigint {
    return this.states.get(instrumentKey)?.unrealized() ?? 0n;
  }

  /** Realized P&L of every instrument quoted in `currency`, in money units. */
  realizedPnl(currency: string): bigint {
    return this.realizedTotals.get(currency)?.value ?? 0n;
  }

  /** Realized P&L of fills on the trading day that starts at `dayStartMs` (a day start). */
  realizedPnlToday(currency: string, dayStartMs: TimestampMs): bigint {
    return this.realizedDaily.onDay(currency, dayStartMs);
  }

  /** Fees paid in `currency` over the whole history, in money units. */
  feesPaid(currency: string): bigint {
    return this.feeTotals.get(currency)?.value ?? 0n;
  }

  /** Fees paid in `currency` by fills on the trading day that starts at `dayStartMs`. */
  feesToday(currency: string, dayStartMs: TimestampMs): bigint {
    return this.feesDaily.onDay(currency, dayStartMs);
  }

  cash(venue: string, currency: string): bigint {
    return this.cashCells.get(cashKey(venue, currency))?.amount ?? 0n;
  }

  /** Every balance ever touched, by venue then currency. */
  cashAll(): CashBalance[] {
    return [...this.cashCells.values()]
      .sort((a, b) => compareText(a.venue, b.venue) || compareText(a.currency, b.currency))
      .map((c) => Object.freeze({ venue: c.venue, currency: c.currency, amount: unitsText(c.amount) }));
  }

  /** Cash in `currency` on every venue plus the value of positions quoted in it; no conversion. */
  equity(currency: string): bigint {
    let total = 0n;
    for (const c of this.cashCells.values()) if (c.currency === currency) total += c.amount;
    for (const s of this.states.values()) if (s.inst.quote === currency) total += s.value();
    return total;
  }

  /** Appends equity in the valuation currency to the bounded equity curve and returns it. */
  equitySample(ts: TimestampMs): bigint {
    const equity = this.equity(this.valuationCurrency);
    this.curve.add(ts, equity);
    return equity;
  }

  /** The kept points of the equity curve, oldest first (see equity-curve.ts for the spacing). */
  equityCurve(): readonly EquityPoint[] {
    return this.curve.points();
  }

  /** The latest equity sample, whether or not the curve kept it. */
  equityLatest(): EquityPoint | undefined {
    return this.curve.latest();
  }

  /** Closed round trips, oldest first (the oldest are dropped past `roundTripsMax`). */
  roundTrips(): readonly RoundTrip[] {
    return this.closedTrips.map((trip) => trip.record());
  }

  /** How many closed round trips were dropped to stay within `roundTripsMax`. */
  get roundTripsDropped(): number {
    return this.tripsDropped;
  }

  /** The round trip in progress on an instrument, if its position is not flat. */
  openRoundTrip(instrumentKey: string): RoundTrip | undefined {
    const s = this.states.get(instrumentKey);
    return s?.trip?.record();
  }

  /** Position quantity per base asset summed over venues, with the per-venue breakdown. */
  exposureByAsset(): AssetExposure[] {
    // Instruments differ in quantity scale, so amounts are summed at MONEY_SCALE.
    const byAsset = new Map<string, Map<string, bigint>>();
    for (const s of this.states.values()) {
      if (s.qty === 0) continue;
      let venues = byAsset.get(s.inst.base);
      if (venues === undefined) byAsset.set(s.inst.base, (venues = new Map()));
      venues.set(s.inst.venue, (venues.get(s.inst.venue) ?? 0n) + BigInt(s.qty) * s.moneyPerQty);
    }
    return [...byAsset.keys()].sort().map((asset) => {
      const venues = byAsset.get(asset) as Map<string, bigint>;
      let total = 0n;
      for (const amount of venues.values()) total += amount;
      const perVenue = [...venues.keys()]
        .sort()
        .map((venue) => Object.freeze({ venue, quantity: unitsText(venues.get(venue) as bigint) }));
      return Object.freeze({ asset, quantity: unitsText(total), venues: Object.freeze(perVenue) });
    });
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Moves the position by `qty` on side `dir` at `price`: close what it nets against, open the rest. */
  private trade(
    s: PositionState,
    dir: 1 | -1,
    qty: number,
    price: number,
    pq: bigint,
    fill: Fill,
    fee: bigint,
  ): void {
    const closeQty = Math.sign(s.qty) === -dir ? Math.min(Math.abs(s.qty), qty) : 0;
    if (closeQty === qty) {
      this.closePart(s, qty, pq, fill, fee);
      return;
    }
    if (closeQty === 0) {
      this.openPart(s, dir, qty, price, pq, fill, fee);
      return;
    }
    // A flip: the fee is shared by quantity, the remainder of the division going to the new trip.
    const feeClose = (fee * BigInt(closeQty)) / BigInt(qty);
    this.closePart(s, closeQty, bigProduct(price, closeQty), fill, feeClose);
    const openQty = qty - closeQty;
    this.openPart(s, dir, openQty, price, bigProduct(price, openQty), fill, fee - feeClose);
  }

  /** Closes `qty` for proceeds `pq` (price × quantity, in price × quantity units). */
  private closePart(s: PositionState, qty: number, pq: bigint, fill: Fill, fee: bigint): void {
    const trip = s.trip;
    assert(trip !== undefined, 'a non-flat position has an open round trip');
    const pnl = s.close(qty, pq);
    trip.exitQty += qty;
    trip.exitPQ += pq;
    trip.realized += pnl;
    trip.touch(fill, fee);
    if (pnl !== 0n) {
      (s.realizedTotal ??= moneyCell(this.realizedTotals, s.inst.quote)).value += pnl;
      this.realizedDaily.add(s.inst.quote, fill.ts, pnl);
    }
    if (s.qty === 0) {
      trip.close(fill.ts);
      this.keepTrip(trip);
      s.trip = undefined;
    }
  }

  private openPart(
    s: PositionState,
    dir: 1 | -1,
    qty: number,
    price: number,
    pq: bigint,
    fill: Fill,
    fee: bigint,
  ): void {
    let trip = s.trip;
    if (trip === undefined) {
      const side = dir > 0 ? 'long' : 'short';
      trip = new TripState(++this.tripSeq, side, fill.ts, s.inst, this.limits.roundTripFillIdsMax);
      s.trip = trip;
    }
    s.open(dir, qty, price, pq);
    trip.entryQty += qty;
    assert(Number.isSafeInteger(trip.entryQty), 'round trip quantity exceeds the safe range');
    trip.entryPQ += pq;
    const absQty = dir > 0 ? s.qty : -s.qty;
    if (absQty > trip.maxQty) trip.maxQty = absQty;
    trip.touch(fill, fee);
  }

  private chargeFee(s: PositionState, fill: Fill): void {
    const { fee, feeCurrency } = fill;
    this.feesDaily.add(feeCurrency, fill.ts, fee);
    if (feeCurrency === s.inst.quote) {
      (s.quoteFees ??= moneyCell(s.fees, feeCurrency)).value += fee;
      (s.quoteFeesTotal ??= moneyCell(this.feeTotals, feeCurrency)).value += fee;
      s.quoteCash.amount -= fee;
      return;
    }
    moneyCell(s.fees, feeCurrency).value += fee;
    moneyCell(this.feeTotals, feeCurrency).value += fee;
    if (feeCurrency === s.inst.base) this.takeBaseFee(s, fill);
    else this.cashCell(s.inst.venue, feeCurrency).amount -= fee;
  }

  /** A base-asset fee leaves the position as a disposal at price zero (a rebate: a receipt). */
  private takeBaseFee(s: PositionState, fill: Fill): void {
    s.feeDust += fill.fee;
    const units = s.feeDust / s.moneyPerQty; // truncates toward zero: dust keeps the fee's sign
    if (units === 0n) return;
    s.feeDust -= units * s.moneyPerQty;
    const qty = Number(units < 0n ? -units : units);
    assert(Number.isSafeInteger(qty), 'base-asset fee exceeds the safe range');
    this.trade(s, units > 0n ? -1 : 1, qty, 0, 0n, fill, 0n);
  }

  private keepTrip(trip: TripState): void {
    this.closedTrips.push(trip);
    const max = this.limits.roundTripsMax;
    if (this.closedTrips.length <= max) return;
    const drop = Math.max(1, Math.floor(max / 4));
    this.closedTrips.dropFirst(drop);
    this.tripsDropped += drop;
  }

  private stateFor(inst: Instrument): PositionState {
    const last = this.lastState;
    if (last !== undefined && last.inst === inst) return last;
    const s = this.states.get(inst.key);
    if (s !== undefined) {
      // The same instrument redefined: checked every time, so not kept as the last state.
      if (s.inst !== inst) assertSameUnits(s.inst, inst);
      else this.lastState = s;
      return s;
    }
    const created = new PositionState(inst, this.cashCell(inst.venue, inst.quote), this.markCell(inst.key));
    this.states.set(inst.key, created);
    this.lastState = created;
    return created;
  }

  private cashCell(venue: string, currency: string): CashCell {
    const key = cashKey(venue, currency);
    let cell = this.cashCells.get(key);
    if (cell === undefined) this.cashCells.set(key, (cell = new CashCell(venue, currency, 0n)));
    return cell;
  }

  private markCell(instrumentKey: string): MarkCell {
    let cell = this.marks.get(instrumentKey);
    if (cell === undefined) this.marks.set(instrumentKey, (cell = new MarkCell()));
    return cell;
  }
}

function cashKey(venue: string, currency: string): string {
  return `${venue}|${currency}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An instrument redefined between fills must keep its units, or every stored number changes meaning. */
function assertSameUnits(a: Instrument, b: Instrument): void {
  assert(
    a.priceScale === b.priceScale &&
      a.qtyScale === b.qtyScale &&
      a.base === b.base &&
      a.quote === b.quote &&
      a.venue === b.venue,
    () => `${a.key}: instrument units changed between fills`,
  );
}
