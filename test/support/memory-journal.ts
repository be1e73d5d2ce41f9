// An in-memory SyncJournal for engine-level tests that need a journal but not a database: the
// same batch semantics (events and checkpoint together), no durability.

import type {
  JournalBatch,
  JournalEntry,
  StoredCheckpoint,
  SyncJournal,
  VerifyReport,
} from '../../src/engine/journal-port.ts';
import { decodeEvent, encodeEvent, RECORD_VERSION } from '../../src/journal/event-codec.ts';

export class MemoryJournal implements SyncJournal {
  /** Encoded like a real journal, so what is read back went through the codec. */
  private readonly rows: string[] = [];
  /** The checkpoint chain: the last standalone checkpoint and the chained ones after it. */
  private chain: StoredCheckpoint[] = [];

  appendSync(batch: JournalBatch): void {
    for (const e of batch.events) this.rows.push(encodeEvent(e));
    if (batch.checkpoint !== undefined) {
      const stored = { seq: this.rows.length, checkpoint: JSON.parse(JSON.stringify(batch.checkpoint)) };
      if (batch.checkpoint.chained === true) this.chain.push(stored);
      else this.chain = [stored];
    }
  }

  async append(batch: JournalBatch): Promise<void> {
    this.appendSync(batch);
  }

  *readSync(afterSeq = 0): Iterable<JournalEntry> {
    for (let i = afterSeq; i < this.rows.length; i++) {
      const d = decodeEvent(this.rows[i]!, RECORD_VERSION);
      if (!d.ok) throw new Error(d.message);
      yield { seq: i + 1, event: d.event };
    }
  }

  async *read(afterSeq = 0): AsyncIterable<JournalEntry> {
    yield* this.readSync(afterSeq);
  }

  lastCheckpointSync(): StoredCheckpoint | undefined {
    return this.chain[this.chain.length - 1];
  }

  async lastCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.lastCheckpointSync();
  }

  checkpointChainSync(): StoredCheckpoint[] {
    return [...this.chain];
  }

  async checkpointChain(): Promise<StoredCheckpoint[]> {
    return this.checkpointChainSync();
  }

  async lastSeq(): Promise<number> {
    return this.rows.length;
  }

  async verify(): Promise<VerifyReport> {
    return { ok: true, events: this.rows.length, lastSeq: this.rows.length, problems: [] };
  }

  async close(): Promise<void> {}

  /** A copy holding only the first `events` events (a journal as of an earlier moment). */
  prefix(events: number): MemoryJournal {
    const j = new MemoryJournal();
    j.rows.push(...this.rows.slice(0, events));
    return j;
  }
}
