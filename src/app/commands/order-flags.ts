// Order specs from command-line flags, shared by the commands that take one (`ordo explain`, and
// any command that places orders): one set of flag names for every order type, turned into the
// spec the AdvancedOrderManager takes, and a function that hands it to the right placement method.
// Values stay decimal text; the engine validates them and names the failing field.

import { assertNever } from '../../core/assert.ts';
import type { Result } from '../../core/errors.ts';
import type {
  AdvancedOrderManager,
  BracketSpec,
  OcoSpec,
  OtoSpec,
  TrailingStopSpec,
} from '../../engine/advanced-order-manager.ts';
import type { OrderSpec } from '../../engine/order-spec.ts';
import type { ScaleSpec } from '../../engine/scale-ladder.ts';
import type { OrderType, Side, TimeInForce } from '../../model/order.ts';
import { type FlagSpecs, type UsageProblem, usage } from '../cli-kit.ts';

/** The order flags; a command spreads them into its own flag specs. */
export const ORDER_FLAGS = {
  type: { type: 'string' },
  side: { type: 'string' },
  symbol: { type: 'string' },
  qty: { type: 'string' },
  price: { type: 'string' },
  trigger: { type: 'string' },
  'trail-offset': { type: 'string' },
  'trail-type': { type: 'string' },
  activation: { type: 'string' },
  'limit-offset': { type: 'string' },
  'trigger-basis': { type: 'string' },
  'take-profit': { type: 'string' },
  'stop-loss': { type: 'string' },
  'stop-loss-limit-offset': { type: 'string' },
  release: { type: 'string' },
  levels: { type: 'string' },
  step: { type: 'string' },
  tif: { type: 'string' },
  tag: { type: 'string' },
} as const satisfies FlagSpecs;

type OrderFlagValues = { readonly [K in keyof typeof ORDER_FLAGS]?: string | undefined };

export const ORDER_FLAGS_HELP = `Order flags:
  --type T             market, limit, stop, stop-limit, trailing-stop, bracket, oco, oto, scale
  --side buy|sell      (required)
  --symbol S           e.g. BTC/USD (required)
  --qty D              quantity (for scale: the total)
  --price D            limit price (bracket/OTO: the entry's limit, none = market entry;
                       OCO: the limit leg; scale: the first level)
  --trigger D          stop trigger (OCO: the stop leg)
  --trail-offset D     trailing stop distance, measured by --trail-type price|percent|bps|ticks
                       (default percent)
  --activation D       trailing stop activation price
  --limit-offset D     makes a trailing stop a trailing stop-limit
  --trigger-basis B    last, quote or mid (what a trigger watches)
  --take-profit L      bracket/OTO take-profit: a price (49500) or a percent from the entry (10%)
  --stop-loss L        bracket/OTO stop-loss: a price or a percent
  --stop-loss-limit-offset D  bracket stop-loss as a stop-limit this far beyond the trigger
  --release R          bracket exits follow partial entry fills (partial) or wait (full)
  --levels N --step D  scale ladder: N levels, D apart
  --tif T              gtc, ioc, fok, day
  --tag T              a label kept with the order`;

/** One placement of any kind, ready for the manager. */
export type Placement =
  | { readonly kind: 'single'; readonly spec: OrderSpec }
  | { readonly kind: 'trailing'; readonly spec: TrailingStopSpec }
  | { readonly kind: 'bracket'; readonly spec: BracketSpec }
  | { readonly kind: 'oco'; readonly spec: OcoSpec }
  | { readonly kind: 'oto'; readonly spec: OtoSpec }
  | { readonly kind: 'scale'; readonly spec: ScaleSpec };

const TYPES = ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop', 'bracket', 'oco', 'oto', 'scale'];

/** `10%` is a percent level, anything else a price. */
const level = (text: string) => (text.endsWith('%') ? { percent: text.slice(0, -1) } : { price: text });

/** Builds the placement the flags describe; a usage problem names a missing or unknown flag value. */
export function placementFromFlags(
  f: OrderFlagValues,
): { ok: true; value: Placement } | { ok: false; problem: UsageProblem } {
  const bad = (message: string) => ({ ok: false as const, problem: usage(message) });
  const type = f.type ?? (f.price !== undefined ? 'limit' : 'market');
  if (!TYPES.includes(type)) return bad(`--type ${type} is not one of ${TYPES.join(', ')}`);
  if (f.side !== 'buy' && f.side !== 'sell') return bad('--side buy|sell is required');
  if (f.symbol === undefined) return bad('--symbol is required');
  if (f.qty === undefined) return bad('--qty is required');
  const side: Side = f.side;
  const exit: Side = side === 'buy' ? 'sell' : 'buy';
  const base = { symbol: f.symbol, side, quantity: f.qty, tag: f.tag };
  const tif = f.tif as TimeInForce | undefined;
  const triggerBasis = f['trigger-basis'] as OrderSpec['triggerBasis'];
  switch (type) {
    case 'market':
    case 'limit':
    case 'stop':
    case 'stop-limit':
      return {
        ok: true,
        value: {
          kind: 'single',
          spec: {
            ...base,
            type: type.replace('-', '_') as OrderType,
            price: f.price,
            triggerPrice: f.trigger,
            tif,
            triggerBasis,
          },
        },
      };
    case 'trailing-stop':
      if (f['trail-offset'] === undefined) return bad('--trail-offset is required for a trailing stop');
      return {
        ok: true,
        value: {
          kind: 'trailing',
          spec: {
            ...base,
            offsetType: (f['trail-type'] ?? 'percent') as TrailingStopSpec['offsetType'],
            offset: f['trail-offset'],
            activationPrice: f.activation,
            limitOffset: f['limit-offset'],
            triggerBasis,
          },
        },
      };
    case 'bracket':
      if (f['take-profit'] === undefined || f['stop-loss'] === undefined)
        return bad('--take-profit and --stop-loss are required for a bracket');
      return {
        ok: true,
        value: {
          kind: 'bracket',
          spec: {
            ...base,
            entry: f.price === undefined ? { type: 'market' } : { type: 'limit', price: f.price },
            takeProfit: level(f['take-profit']),
            stopLoss: level(f['stop-loss']),
            stopLossLimitOffset: f['stop-loss-limit-offset'],
            release: f.release as BracketSpec['release'],
            tif,
          },
        },
      };
    case 'oco':
      if (f.price === undefined || f.trigger === undefined)
        return bad('--price (the limit leg) and --trigger (the stop leg) are required for an OCO');
      return {
        ok: true,
        value: {
          kind: 'oco',
          spec: {
            ...base,
            legs: [
              { type: 'limit', price: f.price },
              { type: 'stop', triggerPrice: f.trigger },
            ],
          },
        },
      };
    case 'oto': {
      const children: OrderSpec[] = [];
      if (f['take-profit'] !== undefined)
        children.push({ ...base, side: exit, type: 'limit', price: f['take-profit'] });
      if (f['stop-loss'] !== undefined)
        children.push({ ...base, side: exit, type: 'stop', triggerPrice: f['stop-loss'] });
      if (children.length === 0)
        return bad('an OTO needs --take-profit PRICE and/or --stop-loss PRICE children');
      return {
        ok: true,
        value: {
          kind: 'oto',
          spec: {
            parent: { ...base, type: f.price === undefined ? 'market' : 'limit', price: f.price, tif },
            children,
            trigger: f.release as OtoSpec['trigger'],
          },
        },
      };
    }
    case 'scale': {
      const levels = Number(f.levels);
      if (f.levels === undefined || !Number.isSafeInteger(levels))
        return bad('--levels N is required for a scale order');
      if (f.price === undefined || f.step === undefined)
        return bad('--price (first level) and --step are required for a scale order');
      return {
        ok: true,
        value: {
          kind: 'scale',
          spec: {
            symbol: f.symbol,
            side,
            totalQuantity: f.qty,
            levels,
            startPrice: f.price,
            step: f.step,
            tag: f.tag,
          },
        },
      };
    }
    default:
      return bad(`--type ${type} is not supported`);
  }
}

/** Hands a placement to the manager's method for its kind. */
export function place(oms: AdvancedOrderManager, p: Placement): Result<unknown> {
  switch (p.kind) {
    case 'single':
      return oms.placeOrder(p.spec);
    case 'trailing':
      return oms.placeTrailingStop(p.spec);
    case 'bracket':
      return oms.placeBracketOrder(p.spec);
    case 'oco':
      return oms.placeOcoOrder(p.spec);
    case 'oto':
      return oms.placeOtoOrder(p.spec);
    case 'scale':
      return oms.placeScaleOrder(p.spec);
    default:
      return assertNever(p, 'placement');
  }
}
