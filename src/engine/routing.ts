// Routing: whether an order, or a list of linked orders, goes to its venue natively or is held and
// emulated by Ordo, decided from the venue's capability matrix alone (never from its name). The
// engine places orders by these decisions, and `explain` reports them with their reasons before
// anything is sent, so both read the same rules.

import type { LegRole, OrderType, Route, TimeInForce } from '../model/order.ts';
import type { ListKind } from './events.ts';
import type { ValidSpec } from './order-spec.ts';
import type { Capabilities, Support } from './venue-port.ts';

export interface RouteDecision {
  /** Undefined when the venue can neither take nor Ordo emulate the order. */
  readonly route: Route | undefined;
  /** Why, in words a trader reads (`explain` shows it; a refusal's message is it). */
  readonly reason: string;
}

const EMULABLE: ReadonlySet<OrderType> = new Set(['stop', 'stop_limit', 'trailing_stop']);

/** What keeps a venue that lists the order type as native from taking this order natively. */
function nativeObstacle(spec: ValidSpec, caps: Capabilities): string | undefined {
  const t = spec.trailing;
  if (spec.type === 'trailing_stop' && t !== undefined) {
    if (caps.trailingOffsets !== undefined && !caps.trailingOffsets.includes(t.offsetKind))
      return `takes native trailing offsets in ${caps.trailingOffsets.join(' or ')}, not ${t.offsetKind}`;
    if (t.activationPrice !== undefined && caps.trailingActivation === false)
      return 'takes no activation price on native trailing stops';
    if (t.limitOffset !== undefined && caps.trailingLimit === false)
      return 'cannot release a limit order from a native trailing stop';
    const step = caps.trailingRelativeStep;
    if (step !== undefined && (t.offsetKind === 'bps' || t.offsetKind === 'percent') && t.offset % step !== 0)
      return `takes native trailing offsets only in whole multiples of ${step / 10_000} bps`;
  }
  if (
    (spec.type === 'stop' || spec.type === 'stop_limit' || spec.type === 'trailing_stop') &&
    caps.triggerBases !== undefined &&
    !caps.triggerBases.includes(spec.triggerBasis)
  )
    return `triggers native stops on ${caps.triggerBases.join(' or ')} prices, not ${spec.triggerBasis}`;
  return undefined;
}

/** Native or emulated for one order on a venue with these capabilities. */
export function routeOrder(spec: ValidSpec, caps: Capabilities): RouteDecision {
  const venue = spec.instrument.venue;
  const tif = tifProblem(spec.tif, caps);
  if (tif !== undefined) return { route: undefined, reason: tif };
  const support = caps.orderTypes[spec.type];
  const type = spec.type.replace('_', ' ');
  const emulable = EMULABLE.has(spec.type);
  if (support === 'native') {
    const obstacle = nativeObstacle(spec, caps);
    if (obstacle === undefined) return { route: 'native', reason: `${venue} takes ${type} orders natively` };
    if (emulable) return { route: 'emulated', reason: `held by Ordo: ${venue} ${obstacle}` };
    return { route: undefined, reason: `${venue} ${obstacle}` };
  }
  if (support === 'emulated' && emulable)
    return {
      route: 'emulated',
      reason: `held by Ordo: ${venue} has no native ${type} orders; Ordo sends a ${releasedType(spec)} order when the trigger holds`,
    };
  return { route: undefined, reason: `${type} orders are not supported on ${venue}` };
}

/**
 * The route alone, on the placement path: plain market and limit orders, which have no native
 * obstacle, skip the reasons (built only for refusals and `explain`).
 */
export function quickRoute(spec: ValidSpec, caps: Capabilities): Route | undefined {
  // Named reads: a read keyed by the order's type or time in force is a megamorphic lookup.
  const type =
    spec.type === 'limit'
      ? caps.orderTypes.limit
      : spec.type === 'market'
        ? caps.orderTypes.market
        : undefined;
  if (type === 'native') return tifSupport(caps, spec.tif) === 'unsupported' ? undefined : 'native';
  return routeOrder(spec, caps).route;
}

function tifSupport(caps: Capabilities, tif: TimeInForce): Support {
  const t = caps.timeInForce;
  switch (tif) {
    case 'gtc':
      return t.gtc;
    case 'ioc':
      return t.ioc;
    case 'fok':
      return t.fok;
    case 'day':
      return t.day;
    case 'gtd':
      return t.gtd;
  }
}

function tifProblem(tif: TimeInForce, caps: Capabilities): string | undefined {
  return tifSupport(caps, tif) === 'unsupported' ? `time in force ${tif} is not supported` : undefined;
}

/** The order an emulated trigger order becomes when it fires. */
export function releasedType(spec: Pick<ValidSpec, 'type' | 'trailing'>): 'market' | 'limit' {
  if (spec.type === 'stop_limit') return 'limit';
  if (spec.type === 'trailing_stop' && spec.trailing?.limitOffset !== undefined) return 'limit';
  return 'market';
}

/**
 * Whether a list goes to the venue as one native list: the venue links lists of this kind, every
 * order of it can go native, and the venue's release rule is the list's.
 */
export function routeList(
  kind: ListKind,
  hasParent: boolean,
  trigger: 'partial' | 'full',
  legRoutes: readonly (Route | undefined)[],
  caps: Capabilities,
): RouteDecision {
  if (kind === 'scale')
    return { route: 'emulated', reason: 'scale legs are independent orders, linked by Ordo' };
  // A bracket without an entry is an OCO of its exits.
  const asKind = kind === 'bracket' && !hasParent ? 'oco' : kind;
  if (caps.contingencies[asKind] !== 'native')
    return {
      route: 'emulated',
      reason: `linked by Ordo: the venue has no native ${asKind.toUpperCase()} lists`,
    };
  if (asKind === 'oto' && caps.otoMaxChildren !== undefined && legRoutes.length - 1 > caps.otoMaxChildren)
    return {
      route: 'emulated',
      reason: `linked by Ordo: a native OTO releases at most ${caps.otoMaxChildren} order(s)`,
    };
  if (legRoutes.some((r) => r !== 'native'))
    return { route: 'emulated', reason: 'linked by Ordo: not every order of the list can go native' };
  if (hasParent && trigger === 'partial' && caps.listsReleaseOnFullFill === true)
    return {
      route: 'emulated',
      reason:
        'linked by Ordo: the venue releases children only once the parent is filled, and this list protects partial fills',
    };
  return { route: 'native', reason: `the venue links ${asKind.toUpperCase()} lists natively` };
}

/**
 * Whether a bracket's exits go to the venue as one native exit pair (the venue's
 * `bracketExitPair`): one take-profit limit and one stop-loss stop (a stop-limit's own limit, a
 * trailing stop or a post-only take-profit have no place in it) of one quantity, one resting time
 * in force and expiry, the stop on a price stream the venue's stops trigger on. Asked only when
 * the list itself cannot go native.
 */
export function isExitPair(
  kind: ListKind,
  legs: readonly { readonly role: LegRole; readonly spec: ValidSpec }[],
  caps: Capabilities,
): boolean {
  if (kind !== 'bracket' || caps.bracketExitPair !== true || legs.length !== 2) return false;
  const tp = legs.find((l) => l.role === 'take_profit')?.spec;
  const sl = legs.find((l) => l.role === 'stop_loss')?.spec;
  if (tp === undefined || sl === undefined || tp.type !== 'limit' || sl.type !== 'stop') return false;
  if (tp.postOnly || tp.quantity !== sl.quantity) return false;
  if (tp.tif !== sl.tif || tp.expireAtMs !== sl.expireAtMs) return false;
  if ((tp.tif !== 'gtc' && tp.tif !== 'gtd') || caps.timeInForce[tp.tif] !== 'native') return false;
  if (caps.orderTypes.limit !== 'native') return false;
  return caps.triggerBases === undefined || caps.triggerBases.includes(sl.triggerBasis);
}

/** The list decision of a native exit pair: with an entry, Ordo links the entry to the pair. */
export function exitPairDecision(hasParent: boolean): RouteDecision {
  return hasParent
    ? {
        route: 'emulated',
        reason:
          'linked by Ordo: the venue takes no bracket with an entry; as the entry fills, Ordo places its take-profit and stop-loss as one native order the venue holds',
      }
    : { route: 'native', reason: 'the venue holds the take-profit and stop-loss as one native order' };
}

/** Why a take-profit or stop-loss of a native exit pair goes native. */
export function exitPairLegReason(venue: string): string {
  return `${venue} holds the take-profit and stop-loss together as one native order: when one fills, the other ends`;
}
