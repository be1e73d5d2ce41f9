// The errors a journal raises for a caller's mistake or a store it cannot use, each with a stable
// snake_case code so that callers branch on the code and people read the message. A failure of
// the database itself (disk full, lost connection) is passed on as the driver raised it.

export type JournalErrorCode =
  /** The store was written by a newer Ordo: its schema version is above the one this code knows. */
  | 'schema_too_new'
  /** The store's `ordo_meta.schema_version` is not a version number. */
  | 'schema_invalid'
  /** A batch that cannot be written (a non-integer timestamp, state JSON cannot hold). */
  | 'invalid_batch'
  /** A stored record that does not decode; `verify()` says where and why. */
  | 'undecodable'
  /** The journal was used after close(). */
  | 'journal_closed'
  | 'invalid_options';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    readonly code: JournalErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
