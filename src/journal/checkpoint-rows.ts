// Checkpoint rows as both journals (SQLite, PostgreSQL) write and read them: a batch's checkpoint
// checked and encoded, which of a commit's checkpoints are stored (a standalone one supersedes
// everything before it; a chained one extends it), the chain recovery reads back, and a stored
// row decoded. See docs/decisions/0006 (checkpoint chains).

import type { Checkpoint, StoredCheckpoint } from '../engine/journal-port.ts';
import { decodeCheckpointState, encodeCheckpointState } from './event-codec.ts';
import { JournalError } from './journal-error.ts';

/** A batch's checkpoint, checked and encoded as both journals store it. */
export function encodeBatchCheckpoint(
  checkpoint: Checkpoint | undefined,
  eventCount: number,
): EncodedCheckpoint | undefined {
  if (checkpoint === undefined) return undefined;
  if (!Number.isSafeInteger(checkpoint.inputSeq))
    throw new JournalError(
      'invalid_batch',
      `checkpoint.inputSeq must be an integer, got ${checkpoint.inputSeq}`,
    );
  const chained = checkpoint.chained ?? false;
  if (typeof chained !== 'boolean')
    throw new JournalError('invalid_batch', `checkpoint.chained must be a boolean, got ${typeof chained}`);
  // Checkpoints are keyed by the seq of their batch's last event: a chained one without events
  // would take the place of the one before it, and the chain would lose a link.
  if (chained && eventCount === 0)
    throw new JournalError('invalid_batch', 'a chained checkpoint needs a batch with events');
  try {
    return { inputSeq: checkpoint.inputSeq, payload: encodeCheckpointState(checkpoint.state), chained };
  } catch (e) {
    throw new JournalError('invalid_batch', `checkpoint.state is not serializable: ${(e as Error).message}`);
  }
}

export interface EncodedCheckpoint {
  readonly inputSeq: number;
  readonly payload: string;
  readonly chained: boolean;
}

/**
 * Of the checkpoints one commit writes, oldest first, the ones to store: from the last
 * standalone one on (it supersedes everything before it), or all of them when every one is
 * chained. `standalone` says whether the first kept one replaces the stored rows.
 */
export function checkpointsToWrite<T extends { readonly chained: boolean }>(
  all: readonly T[],
): { readonly rows: readonly T[]; readonly standalone: boolean } {
  const at = lastStandalone(all);
  return at < 0 ? { rows: all, standalone: false } : { rows: all.slice(at), standalone: true };
}

/** The index of the last standalone (not chained) checkpoint, or -1 when every one is chained. */
function lastStandalone(rows: readonly { readonly chained: boolean }[]): number {
  let i = rows.length - 1;
  while (i >= 0 && rows[i]!.chained) i--;
  return i;
}

/** Stored checkpoint rows (oldest first) cut to the chain recovery reads: the last standalone row on. */
export function chainFromRows<T extends { readonly chained: boolean; readonly seq: number }>(
  rows: readonly T[],
  where: string,
): readonly T[] {
  if (rows.length === 0) return rows;
  const at = lastStandalone(rows);
  if (at < 0)
    throw new JournalError(
      'undecodable',
      `${where}: the checkpoint chain ending at ${rows[rows.length - 1]!.seq} has no standalone checkpoint to start from`,
    );
  return rows.slice(at);
}

/** A stored row decoded into a StoredCheckpoint; `where` names the journal in the error. */
export function storedCheckpoint(
  seq: number,
  inputSeq: number,
  payload: string,
  chained: boolean,
  where: string,
): StoredCheckpoint {
  let state: unknown;
  try {
    state = decodeCheckpointState(payload);
  } catch (e) {
    throw new JournalError('undecodable', `${where}: checkpoint at ${seq}: ${(e as Error).message}`);
  }
  return { seq, checkpoint: chained ? { inputSeq, state, chained: true } : { inputSeq, state } };
}
