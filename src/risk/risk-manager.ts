// The pre-trade risk check. The engine calls `check` before every placement and `record` when an
// order is accepted; everything else is configuration and questions. A check runs every
// configured rule and reports each one that fails, not only the first. It is pure with respect to
// its inputs (the only state it keeps is the rate limiter's history, written by `record`) and
// cheap: with no limits it returns a shared frozen PASS at once, and with limits it reads only the
// context values a configured rule needs and allocates only when an order is denied.

import { err, type FieldIssue, issuesError, ok, type Result, unwrap } from '../core/errors.ts';
import { type DecimalInput, type Instrument, readPrice, readQty } from '../model/instrument.ts';
import { compileLimits, type InstrumentLimits } from './compile-limits.ts';
import { addDenial, type Denial, PASS, type RiskPass, type RiskVerdict, verdictOf } from './denial.ts';
import { formatPriceOf, formatQtyOf } from './format.ts';
import type { OrderIntent } from './order-intent.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { RiskContext } from './risk-context.ts';
import {
  isUnlimited,
  parseRiskLimits,
  patchRiskLimits,
  type RiskLimits,
  type RiskLimitsPatch,
  type TradingState,
} from './risk-limits.ts';
import { checkDailyLoss } from './rules/check-daily-loss.ts';
import { checkOpenOrders } from './rules/check-open-orders.ts';
import { checkOrderNotional } from './rules/check-order-notional.ts';
import { checkOrderQty } from './rules/check-order-qty.ts';
import { checkPositionNotional } from './rules/check-position-notional.ts';
import { checkPositionQty } from './rules/check-position-qty.ts';
import { checkPriceBand } from './rules/check-price-band.ts';
import { checkRateLimit } from './rules/check-rate-limit.ts';
import { checkReduceOnly } from './rules/check-reduce-only.ts';
import { checkReferencePrice } from './rules/check-reference-price.ts';
import { checkTradingState } from './rules/check-trading-state.ts';

/** A check's verdict with a summary for people: what was checked and why the order failed. */
export interface RiskWhatIf {
  readonly verdict: RiskVerdict;
  /** Names of the limits and states that applied to this order, in the order they were checked. */
  readonly checked: readonly string[];
  readonly summary: string;
}

/** Pre-trade risk limits, the trading state and the rate-limit history of one engine. */
export class RiskManager {
  private current: RiskLimits = {};
  private state: TradingState = 'active';
  private unlimited = true;
  private limiter: RateLimiter | undefined = undefined;
  /** Limits compiled per instrument key, built on first use and dropped when the limits change. */
  private readonly compiled = new Map<string, InstrumentLimits>();

  /** Throws OrdoFailure (code invalid_field) on bad limits; `RiskManager.create` returns them instead. */
  constructor(limits: RiskLimits = {}) {
    this.install(unwrap(parseRiskLimits(limits)));
  }

  static create(limits: unknown): Result<RiskManager> {
    const parsed = parseRiskLimits(limits);
    return parsed.ok ? ok(new RiskManager(parsed.value)) : parsed;
  }

  /** The limits in force, validated and frozen; decimal limits as canonical strings. */
  limits(): RiskLimits {
    return this.current;
  }

  tradingState(): TradingState {
    return this.state;
  }

  /**
   * Every configured rule the order breaks, or PASS. Changes no observable state (it only fills
   * the per-instrument cache of compiled limits): calling it twice gives the same answer, and only
   * `record` counts an order against the rate limit.
   */
  check(intent: OrderIntent, ctx: RiskContext): RiskVerdict {
    if (this.unlimited && !intent.reduceOnly) return PASS;
    const inst = intent.instrument;
    const key = inst.key;
    const lim = this.limitsFor(inst);
    const state = this.state;
    const checksPosition = lim.needsPosition || state === 'reduce_only' || intent.reduceOnly;
    const position = checksPosition ? ctx.positionQty(key) : 0;
    const openSame =
      lim.positionQtyMax !== undefined || lim.positionNotionalMax !== undefined
        ? ctx.openQty(key, intent.side)
        : 0;
    const reference = lim.needsReference ? validPrice(ctx.referencePrice(key)) : undefined;

    const tradingState = checkTradingState(intent, state);
    const reduceOnly = checkReduceOnly(intent, state, position);
    const orderQty = checkOrderQty(intent, lim);
    const orderNotional = checkOrderNotional(intent, lim, reference);
    const positionQty = checkPositionQty(intent, lim, position, openSame);
    const positionNotional = checkPositionNotional(intent, lim, position, openSame, reference);
    const openOrders =
      lim.openOrdersMax === undefined ? undefined : checkOpenOrders(intent, lim, ctx.openOrdersCount());
    const referencePrice = checkReferencePrice(intent, lim, reference, position, openSame);
    const priceBand = checkPriceBand(intent, lim, reference, 'price');
    const triggerBand = checkPriceBand(intent, lim, reference, 'triggerPrice');
    const dailyLoss =
      lim.dailyLossMax === undefined
        ? undefined
        : checkDailyLoss(intent, lim, position, ctx.realizedPnlToday(inst.quote));
    const rateLimit = checkRateLimit(intent, this.limiter, ctx.nowMs);
    // Most orders pass every rule. The denials are gathered only when one failed, so that the
    // passing path stays small enough for the compiler to inline every rule into this method.
    if (
      tradingState === undefined &&
      reduceOnly === undefined &&
      orderQty === undefined &&
      orderNotional === undefined &&
      positionQty === undefined &&
      positionNotional === undefined &&
      openOrders === undefined &&
      referencePrice === undefined &&
      priceBand === undefined &&
      triggerBand === undefined &&
      dailyLoss === undefined &&
      rateLimit === undefined
    )
      return PASS;
    // In the order the rules ran.
    return verdictOf(
      gather([
        tradingState,
        reduceOnly,
        orderQty,
        orderNotional,
        positionQty,
        positionNotional,
        openOrders,
        referencePrice,
        priceBand,
        triggerBand,
        dailyLoss,
        rateLimit,
      ]),
    );
  }

  /**
   * Cancels are always allowed, in every trading state and whatever the limits: a cancel can only
   * remove risk, and refusing one would trap a trader in orders they want gone. It exists so that
   * callers route every command through risk and the rule is written down in one place.
   */
  checkCancel(): RiskPass {
    return PASS;
  }

  /** Called by the engine when an order is accepted: it counts against ordersPerSecondMax. */
  record(_intent: OrderIntent, ctx: RiskContext): void {
    this.limiter?.record(ctx.nowMs);
  }

  /** `check` with a readable summary. Like `check`, it changes nothing (the rate limit included). */
  whatIf(intent: OrderIntent, ctx: RiskContext): RiskWhatIf {
    const verdict = this.check(intent, ctx);
    const checked = this.checkedFor(intent);
    const inst = intent.instrument;
    const prices = [
      intent.price === undefined ? '' : ` @ ${formatPriceOf(inst, intent.price)}`,
      intent.triggerPrice === undefined ? '' : ` trigger ${formatPriceOf(inst, intent.triggerPrice)}`,
    ].join('');
    const order = `${intent.type} ${intent.side} ${formatQtyOf(inst, intent.quantity)} ${inst.key}${prices}${intent.reduceOnly ? ' reduce-only' : ''}`;
    const scope = checked.length === 0 ? 'no limits apply' : `checked ${checked.join(', ')}`;
    const summary = verdict.ok
      ? `${order}: allowed (${scope})`
      : [
          `${order}: denied by ${verdict.denials.length} ${verdict.denials.length === 1 ? 'rule' : 'rules'} (${scope})`,
          ...verdict.denials.map((d) => `  ${d.code}: ${d.message}`),
        ].join('\n');
    return { verdict, checked, summary };
  }

  /**
   * Changes some limits: each key given replaces that limit, `null` removes it, absent keys stay.
   * Invalid input changes nothing and returns every field issue. Returns the limits now in force.
   */
  setLimits(patch: RiskLimitsPatch): Result<RiskLimits> {
    const next = patchRiskLimits(this.current, patch);
    if (!next.ok) return next;
    this.install(next.value);
    return next;
  }

  /** Sets the trading state; anything but active, reduce_only or halted is a field issue. */
  setTradingState(state: TradingState): Result<TradingState> {
    const next = patchRiskLimits(this.current, { tradingState: state });
    if (!next.ok) return next;
    this.install(next.value);
    return ok(this.state);
  }

  /**
   * The seed's question "may I hold this much?", asked of an instrument with decimal strings (or
   * numbers, read through their shortest text): would a single order of `quantity` at `price`,
   * starting from a flat position with nothing working, pass orderQtyMax, orderNotionalMax,
   * positionQtyMax and positionNotionalMax? Only size limits are judged: the trading state, price
   * band, daily loss, open-order count and rate limit depend on the moment, so use `whatIf` with a
   * context for those. Input that is not a positive decimal on the instrument's lot or tick grid
   * is a field issue (`quantity` or `price`), not a denial.
   */
  checkPositionSize(
    instrument: Instrument,
    quantity: DecimalInput,
    price: DecimalInput,
  ): Result<RiskVerdict> {
    const issues: FieldIssue[] = [];
    const qty = readQty(instrument, quantity, 'quantity', issues);
    const px = readPrice(instrument, price, 'price', issues);
    if (qty === undefined || px === undefined) return err(issuesError(issues));
    const intent: OrderIntent = {
      instrument,
      side: 'buy',
      type: 'limit',
      quantity: qty,
      price: px,
      triggerPrice: undefined,
      reduceOnly: false,
    };
    const lim = this.limitsFor(instrument);
    let out: Denial[] | undefined;
    out = addDenial(out, checkOrderQty(intent, lim));
    out = addDenial(out, checkOrderNotional(intent, lim, undefined));
    out = addDenial(out, checkPositionQty(intent, lim, 0, 0));
    out = addDenial(out, checkPositionNotional(intent, lim, 0, 0, undefined));
    return ok(verdictOf(out));
  }

  private limitsFor(inst: Instrument): InstrumentLimits {
    // The same instrument object as last time: its compiled limits, without the Map lookup.
    const last = this.lastCompiled;
    if (last !== undefined && last.instrument === inst) return last;
    return this.lookUpLimits(inst);
  }

  private lookUpLimits(inst: Instrument): InstrumentLimits {
    const hit = this.compiled.get(inst.key);
    if (hit !== undefined && (hit.instrument === inst || sameUnits(hit.instrument, inst))) {
      if (hit.instrument === inst) this.lastCompiled = hit;
      return hit;
    }
    const lim = compileLimits(this.current, inst);
    this.compiled.set(inst.key, lim);
    this.lastCompiled = lim;
    return lim;
  }

  /** The compiled limits last used, by their instrument object; dropped with `compiled`. */
  private lastCompiled: InstrumentLimits | undefined = undefined;

  private checkedFor(intent: OrderIntent): string[] {
    const checked: string[] = [];
    if (this.state !== 'active') checked.push(`tradingState ${this.state}`);
    if (intent.reduceOnly && this.state !== 'reduce_only') checked.push('reduceOnly');
    if (!this.unlimited) checked.push(...this.limitsFor(intent.instrument).ruleNames);
    return checked;
  }

  private install(limits: RiskLimits): void {
    const rate = limits.ordersPerSecondMax;
    if (rate === undefined) this.limiter = undefined;
    else if (this.limiter === undefined) this.limiter = new RateLimiter(rate);
    else if (this.limiter.capacity !== rate) this.limiter = this.limiter.resized(rate);
    this.current = limits;
    this.state = limits.tradingState ?? 'active';
    this.unlimited = isUnlimited(limits);
    this.compiled.clear();
    this.lastCompiled = undefined;
  }
}

/** The denials among rule results, in order (undefined when there are none). */
function gather(results: readonly (Denial | undefined)[]): Denial[] | undefined {
  let out: Denial[] | undefined;
  for (const d of results) out = addDenial(out, d);
  return out;
}

/** A reference price is usable only as a positive integer number of price units. */
function validPrice(p: number | undefined): number | undefined {
  return p !== undefined && p > 0 && Number.isSafeInteger(p) ? p : undefined;
}

/** Two instrument objects for one key that count in the same units can share compiled limits. */
function sameUnits(a: Instrument, b: Instrument): boolean {
  return a.priceScale === b.priceScale && a.qtyScale === b.qtyScale && a.quote === b.quote;
}
