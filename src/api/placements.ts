// One placement of any kind (a single order or a bracket, OCO, OTO or scale list), as the library
// calls it, so placing, explaining, risk what-if and the ticket preview all go through the same
// engine path. Also the ticket preview's computed levels: a bracket's take-profit and stop-loss
// prices, a scale ladder's levels with their rounded quantities, a trailing stop's distance.

import { divRound, parseUnits } from '../core/decimal.ts';
import type { FieldIssue, Result } from '../core/errors.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type {
  AdvancedOrderManager,
  BracketSpec,
  OcoSpec,
  OtoSpec,
  TrailingStopSpec,
} from '../engine/advanced-order-manager.ts';
import { levelPrice } from '../engine/bracket-levels.ts';
import type { OrderSpec } from '../engine/order-spec.ts';
import type { ListView, OrderView } from '../engine/order-view.ts';
import { planScale, type ScaleSpec } from '../engine/scale-ladder.ts';
import {
  decimalText,
  formatPrice,
  formatQty,
  type Instrument,
  RATE_ONE,
  readPrice,
} from '../model/instrument.ts';
import type { PlacementKind } from './contract.ts';

export type Placed =
  | { readonly kind: 'order'; readonly order: OrderView }
  | { readonly kind: 'list'; readonly list: ListView };

/** Places (or, inside `oms.explain`, explains) one placement of the given kind. */
export function place(
  oms: AdvancedOrderManager,
  kind: PlacementKind,
  spec: unknown,
  ts: number,
): Result<Placed> {
  switch (kind) {
    case 'order': {
      const r = oms.placeOrder(spec as OrderSpec, ts);
      return r.ok ? { ok: true, value: { kind: 'order', order: r.value } } : r;
    }
    case 'bracket':
      return asList(oms.placeBracketOrder(spec as BracketSpec, ts));
    case 'oco':
      return asList(oms.placeOcoOrder(spec as OcoSpec, ts));
    case 'oto':
      return asList(oms.placeOtoOrder(spec as OtoSpec, ts));
    case 'scale':
      return asList(oms.placeScaleOrder(spec as ScaleSpec, ts));
    default:
      return kind satisfies never;
  }
}

/** Whether the manager holds order or list `id` (a placement made under an idempotency key). */
export function placedAs(oms: AdvancedOrderManager, kind: 'order' | 'list', id: number): boolean {
  return kind === 'order'
    ? oms.getOrder(id as OrderId) !== undefined
    : oms.getList(id as ListId) !== undefined;
}

function asList(r: Result<ListView>): Result<Placed> {
  return r.ok ? { ok: true, value: { kind: 'list', list: r.value } } : r;
}

/** The engine's own field issues for a request, found without placing anything. */
export function engineIssues(oms: AdvancedOrderManager, kind: PlacementKind, spec: unknown): FieldIssue[] {
  try {
    const r = oms.explain((o) => place(o, kind, spec, o.nowMs));
    return r.ok ? [] : [...r.error.issues];
  } catch {
    // The schema already refused this body; the engine's opinion is a bonus, never a failure.
    return [];
  }
}

export interface PreviewLevels {
  readonly entry?: string | undefined;
  readonly takeProfit?: string | undefined;
  readonly stopLoss?: string | undefined;
  readonly levels?: readonly { readonly price: string; readonly quantity: string }[];
  readonly trailing?: {
    readonly reference: string | undefined;
    readonly distance: string | undefined;
    readonly stop: string | undefined;
  };
}

/** The prices and sizes a placement would compute, for the order ticket. */
export function previewLevels(oms: AdvancedOrderManager, kind: PlacementKind, spec: unknown): PreviewLevels {
  const s = spec as { symbol?: string; venue?: string };
  const inst = oms.engine.instrument(s.symbol as string, s.venue);
  if (inst === undefined) return {};
  const issues: FieldIssue[] = [];
  if (kind === 'bracket') {
    const b = spec as BracketSpec;
    const entry = bracketEntry(oms, inst, b, issues);
    if (entry === undefined) return {};
    const tp = levelPrice(b.takeProfit, entry, b.side, 'takeProfit', inst, issues);
    const sl = levelPrice(b.stopLoss, entry, b.side, 'stopLoss', inst, issues);
    return {
      entry: formatPrice(inst, entry),
      takeProfit: tp === undefined ? undefined : formatPrice(inst, tp),
      stopLoss: sl === undefined ? undefined : formatPrice(inst, sl),
    };
  }
  if (kind === 'scale') {
    const levels = planScale(spec as ScaleSpec, inst, issues);
    return levels === undefined
      ? {}
      : {
          levels: levels.map((l) => ({
            price: formatPrice(inst, l.price),
            quantity: formatQty(inst, l.quantity),
          })),
        };
  }
  if (kind === 'order' && (spec as OrderSpec).type === 'trailing_stop') {
    const t = (spec as OrderSpec).trailing;
    if (t === undefined) return {};
    return { trailing: trailingPreview(oms, inst, { ...(spec as OrderSpec), ...t } as TrailingStopSpec) };
  }
  return {};
}

function lastPrice(oms: AdvancedOrderManager, inst: Instrument): number | undefined {
  const em = oms.engine.state.emulator;
  return em.lastPrice(inst, 'last') ?? em.lastPrice(inst, 'mid');
}

function bracketEntry(
  oms: AdvancedOrderManager,
  inst: Instrument,
  b: BracketSpec,
  issues: FieldIssue[],
): number | undefined {
  const entry = b.entry;
  if (entry === undefined) {
    const avg = oms.portfolio.position(inst.key)?.avgPriceTick;
    const units = avg === undefined ? undefined : parseUnits(avg, inst.priceScale);
    return units === undefined ? undefined : Number(units);
  }
  if (entry.type === 'market') return lastPrice(oms, inst);
  return readPrice(inst, entry.price, 'entry.price', issues);
}

function trailingPreview(
  oms: AdvancedOrderManager,
  inst: Instrument,
  t: TrailingStopSpec,
): NonNullable<PreviewLevels['trailing']> {
  const issues: FieldIssue[] = [];
  const activation =
    t.activationPrice === undefined
      ? undefined
      : readPrice(inst, t.activationPrice, 'activationPrice', issues);
  const ref = activation ?? lastPrice(oms, inst);
  const text = decimalText(t.offset);
  let distance: number | undefined;
  if (ref !== undefined && text !== undefined) {
    if (t.offsetType === 'price') distance = readPrice(inst, t.offset, 'offset', issues);
    else if (t.offsetType === 'ticks') {
      const n = parseUnits(text, 0);
      distance = n === undefined ? undefined : Number(n) * inst.priceIncrement;
    } else {
      // percent or bps of the reference, rounded half-even to the tick, as the trailing book does.
      const scale = t.offsetType === 'percent' ? 6 : 4;
      const rate = parseUnits(text, scale);
      const tick = BigInt(inst.priceIncrement);
      distance =
        rate === undefined
          ? undefined
          : Number(divRound(BigInt(ref) * rate, BigInt(RATE_ONE) * tick, 'half_even') * tick);
    }
  }
  const stop =
    ref === undefined || distance === undefined
      ? undefined
      : t.side === 'sell'
        ? ref - distance
        : ref + distance;
  return {
    reference: ref === undefined ? undefined : formatPrice(inst, ref),
    distance: distance === undefined ? undefined : formatPrice(inst, distance),
    stop: stop === undefined ? undefined : formatPrice(inst, stop),
  };
}
