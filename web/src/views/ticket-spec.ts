// Turns the order ticket's fields (flat strings, named by the request's field paths such as
// `takeProfit.price` or `legs.1.triggerPrice`) into the request body of the matching POST route.
// Values stay decimal strings; an empty field is left out so the server names it if required.

import type { PlacementKind } from '../api-types.ts';

export type TicketType =
  | 'market'
  | 'limit'
  | 'stop'
  | 'stop_limit'
  | 'trailing_stop'
  | 'bracket'
  | 'oco'
  | 'oto'
  | 'scale';

export const TICKET_TYPES: readonly { readonly id: TicketType; readonly label: string }[] = [
  { id: 'market', label: 'Market' },
  { id: 'limit', label: 'Limit' },
  { id: 'stop', label: 'Stop' },
  { id: 'stop_limit', label: 'Stop-limit' },
  { id: 'trailing_stop', label: 'Trailing stop' },
  { id: 'bracket', label: 'Bracket (entry + take-profit + stop-loss)' },
  { id: 'oco', label: 'OCO (one cancels other)' },
  { id: 'oto', label: 'OTO (one triggers other)' },
  { id: 'scale', label: 'Scale ladder' },
];

export type Values = Readonly<Record<string, string>>;

export interface Placement {
  readonly kind: PlacementKind;
  readonly path: string;
  readonly spec: Record<string, unknown>;
}

function put(target: Record<string, unknown>, key: string, value: string | undefined): void {
  if (value !== undefined && value.trim() !== '') target[key] = value.trim();
}

function single(v: Values, prefix: string, type: string): Record<string, unknown> {
  const get = (k: string): string | undefined => v[`${prefix}${k}`];
  const spec: Record<string, unknown> = {
    symbol: v.symbol ?? '',
    side: get('side') ?? v.side ?? 'buy',
    type,
  };
  put(spec, 'venue', v.venue);
  put(spec, 'quantity', get('quantity'));
  if (type === 'limit' || type === 'stop_limit') put(spec, 'price', get('price'));
  if (type === 'stop' || type === 'stop_limit') put(spec, 'triggerPrice', get('triggerPrice'));
  if (type === 'trailing_stop') {
    const t: Record<string, unknown> = { offsetType: get('trailing.offsetType') ?? 'percent' };
    put(t, 'offset', get('trailing.offset'));
    put(t, 'activationPrice', get('trailing.activationPrice'));
    put(t, 'limitOffset', get('trailing.limitOffset'));
    spec.trailing = t;
  }
  if (type !== 'market') put(spec, 'tif', get('tif'));
  return spec;
}

function level(v: Values, name: string): Record<string, string> {
  const mode = v[`${name}.mode`] === 'price' ? 'price' : 'percent';
  return { [mode]: (v[`${name}.${mode}`] ?? '').trim() };
}

function ocoLeg(v: Values, i: number): Record<string, string> {
  const type = v[`legs[${i}].type`] ?? (i === 0 ? 'limit' : 'stop');
  const leg: Record<string, string> = { type };
  if (type === 'limit' || type === 'stop_limit') leg.price = (v[`legs[${i}].price`] ?? '').trim();
  if (type === 'stop' || type === 'stop_limit')
    leg.triggerPrice = (v[`legs[${i}].triggerPrice`] ?? '').trim();
  return leg;
}

/** The request for the ticket's current fields. */
export function placementOf(type: TicketType, v: Values, otoChildren: number): Placement {
  const withTag = (spec: Record<string, unknown>): Record<string, unknown> => {
    put(spec, 'tag', v.tag);
    return spec;
  };
  switch (type) {
    case 'market':
    case 'limit':
    case 'stop':
    case 'stop_limit':
    case 'trailing_stop':
      return { kind: 'order', path: '/v1/orders', spec: withTag(single(v, '', type)) };
    case 'bracket': {
      const spec: Record<string, unknown> = { symbol: v.symbol ?? '', side: v.side ?? 'buy' };
      put(spec, 'venue', v.venue);
      put(spec, 'quantity', v.quantity);
      const entryType = v['entry.type'] ?? 'limit';
      const entry: Record<string, string> = { type: entryType };
      if (entryType !== 'market') put(entry, 'price', v['entry.price']);
      if (entryType === 'stop_limit') put(entry, 'triggerPrice', v['entry.triggerPrice']);
      spec.entry = entry;
      spec.takeProfit = level(v, 'takeProfit');
      spec.stopLoss = level(v, 'stopLoss');
      put(spec, 'stopLossLimitOffset', v.stopLossLimitOffset);
      if (v.release === 'full') spec.release = 'full';
      return { kind: 'bracket', path: '/v1/orders/bracket', spec: withTag(spec) };
    }
    case 'oco': {
      const spec: Record<string, unknown> = { symbol: v.symbol ?? '', side: v.side ?? 'sell' };
      put(spec, 'venue', v.venue);
      put(spec, 'quantity', v.quantity);
      spec.legs = [ocoLeg(v, 0), ocoLeg(v, 1)];
      return { kind: 'oco', path: '/v1/orders/oco', spec: withTag(spec) };
    }
    case 'oto': {
      const parent = withTag(single(v, 'parent.', v['parent.type'] ?? 'limit'));
      const children = Array.from({ length: otoChildren }, (_, i) =>
        single(v, `children[${i}].`, v[`children[${i}].type`] ?? 'stop'),
      );
      const spec: Record<string, unknown> = { parent, children };
      if (v.trigger === 'full') spec.trigger = 'full';
      return { kind: 'oto', path: '/v1/orders/oto', spec };
    }
    case 'scale': {
      const spec: Record<string, unknown> = { symbol: v.symbol ?? '', side: v.side ?? 'buy' };
      put(spec, 'venue', v.venue);
      put(spec, 'totalQuantity', v.totalQuantity);
      const n = Number.parseInt(v.levels ?? '', 10);
      spec.levels = Number.isNaN(n) ? (v.levels ?? '') : n;
      put(spec, 'startPrice', v.startPrice);
      put(spec, 'step', v.step);
      const w = (v.weights ?? '')
        .split(/[\s,]+/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
      if (w.length > 0) spec.weights = w;
      return { kind: 'scale', path: '/v1/orders/scale', spec: withTag(spec) };
    }
    default:
      return assertNever(type);
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown ticket type ${String(x)}`);
}
