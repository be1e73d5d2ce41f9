// Assertions for states that cannot happen. A failed assertion is a bug in Ordo, never a user
// error: user errors are values (see errors.ts), so these throw and stop the caller.

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
