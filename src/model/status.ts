// The one order status table. Every status change of every order, emulated or native, passes
// through `transition`; a pair not in the table is a coded error, never a silent overwrite.
// docs/decisions/0002-order-status-table.md explains each status and maps the seed's names.

import { codedError, err, ok, type Result } from '../core/errors.ts';

export const ORDER_STATUSES = [
  'initialized',
  'denied',
  'held',
  'triggered',
  'submitted',
  'accepted',
  'pending_modify',
  'pending_cancel',
  'partially_filled',
  'filled',
  'cancelled',
  'expired',
  'rejected',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

const TABLE: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  initialized: ['denied', 'held', 'submitted', 'rejected'],
  denied: [],
  // Held locally: an emulated trigger order, or a contingent child waiting for its parent.
  held: ['triggered', 'submitted', 'cancelled', 'expired', 'rejected'],
  // An emulated trigger fired; the released market or limit order goes out next.
  // An emulated trigger fired and the released order goes out next; or a native stop reported
  // that its venue triggered it and it now works as a market or limit order there.
  triggered: [
    'submitted',
    'partially_filled',
    'filled',
    'pending_cancel',
    'cancelled',
    'expired',
    'rejected',
  ],
  submitted: [
    'accepted',
    'rejected',
    'partially_filled',
    'filled',
    'cancelled',
    'expired',
    'pending_cancel',
    'triggered',
  ],
  // A venue may refuse an order after acknowledging it (a venue-held conditional that cannot be
  // placed when it triggers, an asynchronous check), so an accepted order can still be rejected.
  accepted: [
    'triggered',
    'partially_filled',
    'filled',
    'pending_modify',
    'pending_cancel',
    'cancelled',
    'expired',
    'rejected',
  ],
  pending_modify: ['accepted', 'partially_filled', 'filled', 'pending_cancel', 'cancelled', 'expired'],
  pending_cancel: ['accepted', 'partially_filled', 'filled', 'cancelled', 'expired'],
  partially_filled: [
    'partially_filled',
    'filled',
    'pending_modify',
    'pending_cancel',
    'cancelled',
    'expired',
  ],
  filled: [],
  cancelled: [],
  expired: [],
  rejected: [],
};

// The table as a matrix of booleans indexed by status code (the status's position in
// ORDER_STATUSES, which is how an Order stores it): a transition check is an array read, with no
// string built or hashed on the hot path.
const N = ORDER_STATUSES.length;
const INDEX = new Map<OrderStatus, number>(ORDER_STATUSES.map((st, i) => [st, i]));
const ALLOWED: boolean[] = new Array(N * N).fill(false);
for (const from of ORDER_STATUSES)
  for (const to of TABLE[from]) ALLOWED[INDEX.get(from)! * N + INDEX.get(to)!] = true;

/** Each status's code: its position in ORDER_STATUSES. */
export const STATUS_CODE: Readonly<Record<OrderStatus, number>> = Object.freeze(
  Object.fromEntries(ORDER_STATUSES.map((st, i) => [st, i])) as Record<OrderStatus, number>,
);

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  const f = INDEX.get(from);
  const t = INDEX.get(to);
  return f !== undefined && t !== undefined && ALLOWED[f * N + t] === true;
}

/** canTransition on status codes. */
export function canTransitionCode(from: number, to: number): boolean {
  return ALLOWED[from * N + to] === true;
}

export function transition(from: OrderStatus, to: OrderStatus): Result<OrderStatus> {
  if (canTransition(from, to)) return ok(to);
  return err(codedError('illegal_transition', `order status cannot go from ${from} to ${to}`, { from, to }));
}

export function allowedFrom(from: OrderStatus): readonly OrderStatus[] {
  return TABLE[from];
}

const TERMINAL = new Set<OrderStatus>(['denied', 'filled', 'cancelled', 'expired', 'rejected']);
const TERMINAL_CODE: readonly boolean[] = ORDER_STATUSES.map((st) => TERMINAL.has(st));

export function isTerminal(s: OrderStatus): boolean {
  return TERMINAL.has(s);
}

/** isTerminal on a status code. */
export function isTerminalCode(code: number): boolean {
  return TERMINAL_CODE[code] === true;
}

/** Orders at the venue (or on their way) that can still fill. */
export function isWorkingAtVenue(s: OrderStatus): boolean {
  return (
    s === 'submitted' ||
    s === 'accepted' ||
    s === 'pending_modify' ||
    s === 'pending_cancel' ||
    s === 'partially_filled'
  );
}

/** The seed's five-status vocabulary, for users coming from it. */
export function seedStatus(s: OrderStatus): 'pending' | 'active' | 'filled' | 'cancelled' | 'rejected' {
  switch (s) {
    case 'initialized':
    case 'submitted':
      return 'pending';
    case 'held':
    case 'triggered':
    case 'accepted':
    case 'pending_modify':
    case 'pending_cancel':
    case 'partially_filled':
      return 'active';
    case 'filled':
      return 'filled';
    case 'cancelled':
    case 'expired':
      return 'cancelled';
    case 'denied':
    case 'rejected':
      return 'rejected';
  }
}
