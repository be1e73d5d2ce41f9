// The Journal port: where the engine's events become durable. Events are the source of truth:
// every event is appended before its effect is acknowledged to the caller, and the engine's state
// is rebuilt by replaying them. Implementations (SQLite, PostgreSQL) live in src/journal and pass
// one contract suite.

import type { OrdoEvent } from './events.ts';

/** One durable unit: the events one input produced, and optionally a checkpoint after them. */
export interface JournalBatch {
  readonly events: readonly OrdoEvent[];
  readonly checkpoint?: Checkpoint;
}

/**
 * State outside the engine's events that a session needs to resume exactly: the position in its
 * input stream, and a JSON-serializable snapshot of in-process components (the paper venue).
 */
export interface Checkpoint {
  /** The session's input sequence number after which this state holds. */
  readonly inputSeq: number;
  readonly state: unknown;
  /**
   * True when `state` only extends the checkpoints before it (what changed since the previous
   * one): the journal keeps those, and recovery reads the chain from its last standalone
   * checkpoint (see checkpointChain). Absent or false: the checkpoint stands alone, and the journal
   * drops every older one. A chained checkpoint needs a batch with events, so that no two
   * checkpoints of a chain share a seq.
   */
  readonly chained?: boolean;
}

export interface JournalEntry {
  /** 1-based, gap-free position of the event in the journal. */
  readonly seq: number;
  readonly event: OrdoEvent;
}

export interface StoredCheckpoint {
  /** The journal seq of the last event written with this checkpoint. */
  readonly seq: number;
  readonly checkpoint: Checkpoint;
}

export interface VerifyProblem {
  readonly seq: number;
  readonly code: 'gap' | 'checksum_mismatch' | 'undecodable' | 'checkpoint_orphan';
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly lastSeq: number;
  readonly problems: readonly VerifyProblem[];
}

export interface Journal {
  /** Appends a batch; resolves once it is durable (several batches may share one commit). */
  append(batch: JournalBatch): Promise<void>;
  /** Events with seq > `afterSeq`, in order. */
  read(afterSeq?: number): AsyncIterable<JournalEntry>;
  /** The newest checkpoint, if any. */
  lastCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /**
   * The newest standalone checkpoint and every chained one after it, oldest first: together they
   * are the state at the newest one. Empty when there is no checkpoint.
   */
  checkpointChain(): Promise<StoredCheckpoint[]>;
  lastSeq(): Promise<number>;
  /** Checks the journal's integrity: no gaps, every checksum, every record decodable. */
  verify(): Promise<VerifyReport>;
  close(): Promise<void>;
}

/** A journal that can also write synchronously (an embedded database): for in-process loops. */
export interface SyncJournal extends Journal {
  appendSync(batch: JournalBatch): void;
  readSync(afterSeq?: number): Iterable<JournalEntry>;
  lastCheckpointSync(): StoredCheckpoint | undefined;
  checkpointChainSync(): StoredCheckpoint[];
}
