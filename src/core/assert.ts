// Assertions for states that cannot happen. A failed assertion is a bug in Ordo, never a user
// error: user errors are values (see errors.ts), so these throw and stop the caller.

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** `message` may be a function so that hot paths build the text only when the check fails. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'string' ? message : message());
}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
