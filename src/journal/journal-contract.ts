// The one contract every implementation of the Journal port passes (SQLite, PostgreSQL): a test
// file calls `journalContract(name, open)` and node:test runs the same checks on each. Events come
// back exactly as appended (bigints, nested objects, every kind of unicode), numbered 1..n without
// a gap; a batch and its checkpoint are written together or not at all; concurrent appends keep
// their call order; a reopened journal carries on; verify() finds an edited record, a missing one
// and one that does not decode; a store from a newer Ordo is refused; accounts do not see each
// other; a closed journal says so.
//
// `open({ account })` opens a new handle on the one store under test (a file, a database) for
// that account; the suite gives every test fresh accounts, so one store serves the whole run.
// What the suite checks on damaged rows it does through the `tamper` hooks of the journal `open`
// returns, which edit the store behind the journal's back (a test without them is skipped, and
// says so). The suite closes every journal it opened after each test, then calls `destroy`.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { listId, orderId } from '../core/ids.ts';
import type { OrdoEvent } from '../engine/events.ts';
import type { Journal, JournalEntry, SyncJournal, VerifyReport } from '../engine/journal-port.ts';
import { encodeEvent } from './event-codec.ts';
import { JournalError } from './journal-error.ts';
import { SCHEMA_VERSION } from './schema.ts';

/** Edits of the stored rows, for the verify checks. Each acts on the journal's own account. */
export interface JournalTamper {
  /** Overwrites the stored record of event `seq` with `payload`, leaving its checksum as it was. */
  rewritePayload(seq: number, payload: string): Promise<void>;
  /** Deletes the stored event `seq` (its checkpoint, if any, stays). */
  deleteRow(seq: number): Promise<void>;
  /** Overwrites `ordo_meta.schema_version` of the whole store; must work after the journal closed. */
  setSchemaVersion(version: number): Promise<void>;
  /** The seqs of the checkpoint rows the store holds for the account (a read, for the size check). */
  checkpointSeqs(): Promise<number[]>;
}

export type ContractJournal = Journal & {
  /** Called once after each test, after close(): drops what the journal stored, if it wants to. */
  destroy?(): Promise<void>;
  tamper?: JournalTamper;
};

export type OpenContractJournal = (opts: { account?: string }) => Promise<ContractJournal>;

export interface JournalContractOptions {
  /** The journal is a SyncJournal: check appendSync, readSync and lastCheckpointSync as well. */
  readonly sync?: boolean;
}

const TS0 = 1_700_000_000_000;

/** Strings that break naive encoders: quotes, escapes, NUL, astral and lone surrogates, RTL. */
const AWKWARD_TEXT =
  'Ünïcødé ✓ 注文 🚀👩‍💻 e\u0301 \u202Eltr\u202C "quoted" \\ back\\slash \n\t \u0000 nul \ud800 lone \u2028';

/** One of each shape of event: nested objects, arrays, bigints large and negative, unicode. */
function sampleEvents(): OrdoEvent[] {
  return [
    {
      type: 'order_created',
      ts: TS0,
      order: {
        id: orderId(1),
        instrument: 'paper:BTC-USD',
        side: 'sell',
        type: 'trailing_stop',
        tif: 'gtc',
        expireAtMs: undefined,
        quantity: 3,
        price: undefined,
        triggerPrice: 6_500_000,
        trailing: { offsetKind: 'bps', offset: 50, activationPrice: 6_600_000, limitOffset: undefined },
        triggerBasis: 'last',
        route: 'emulated',
        role: 'single',
        listId: undefined,
        reduceOnly: false,
        postOnly: false,
        tag: AWKWARD_TEXT,
      },
    },
    {
      type: 'list_created',
      ts: TS0 + 1,
      list: {
        id: listId(7),
        kind: 'bracket',
        parentId: orderId(1),
        legIds: [orderId(2), orderId(3)],
        oco: true,
        trigger: 'partial',
        quantity: 3,
        native: false,
      },
    },
    {
      type: 'order_denied',
      ts: TS0 + 2,
      id: orderId(4),
      denials: [
        {
          code: 'notional_exceeds_max',
          message: AWKWARD_TEXT,
          instrument: 'paper:ETH-USD',
          price: '2500.5',
          notional: '1000000000000000000000',
          notionalMax: '1000',
        },
        {
          code: 'no_reference_price',
          message: 'none',
          instrument: 'paper:ETH-USD',
          neededBy: ['price_band'],
        },
      ],
    },
    fill(1, 123_456_789_012_345_678_901_234_567_890n),
    fill(2, -5n),
    fill(3, 0n),
    { type: 'order_rejected', ts: TS0 + 6, id: orderId(5), code: 'venue_rejected', reason: AWKWARD_TEXT },
    {
      type: 'watermark_moved',
      ts: TS0 + 7,
      instrument: 'paper:BTC-USD',
      stream: 'mid',
      price: Number.MAX_SAFE_INTEGER,
    },
    {
      type: 'order_modify_requested',
      ts: TS0 + 8,
      id: orderId(1),
      quantity: 2,
      price: undefined,
      triggerPrice: -1,
    },
  ];
}

function fill(i: number, fee: bigint): OrdoEvent {
  return {
    type: 'order_filled',
    ts: TS0 + 2 + i,
    id: orderId(1),
    tradeId: `t-${i}`,
    price: 6_500_000 + i,
    quantity: 1,
    fee,
    feeCurrency: 'USD',
    liquidity: 'taker',
  };
}

/** A small event that says where it came from, for checking order. */
function numbered(i: number): OrdoEvent {
  return { type: 'order_submitted', ts: TS0 + i, id: orderId(i), clientOrderId: `c-${i}` };
}

function numberedRange(from: number, count: number): OrdoEvent[] {
  return Array.from({ length: count }, (_, k) => numbered(from + k));
}

/**
 * What a record reads back as: JSON has no `undefined`, so a field set to undefined comes back
 * absent (which reads the same). Everything else must come back exactly.
 */
function asStored<T>(value: T): T {
  if (Array.isArray(value)) return value.map(asStored) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = asStored(v);
  return out as T;
}

async function readAll(journal: Journal, afterSeq?: number): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const entry of journal.read(afterSeq)) out.push(entry);
  return out;
}

function assertEntries(entries: readonly JournalEntry[], events: readonly OrdoEvent[], firstSeq = 1): void {
  assert.deepEqual(
    entries.map((e) => e.seq),
    events.map((_, i) => firstSeq + i),
    'seqs are gap-free, in order',
  );
  assert.deepEqual(
    entries.map((e) => e.event),
    asStored(events),
  );
}

function problemsOf(report: VerifyReport): string[] {
  return report.problems.map((p) => `${p.code}@${p.seq}`).sort();
}

/** A value JSON.stringify throws on. */
function circular(): unknown {
  const state: Record<string, unknown> = { ok: 1 };
  state.self = state;
  return state;
}

export function journalContract(
  name: string,
  open: OpenContractJournal,
  options: JournalContractOptions = {},
): void {
  describe(`Journal contract: ${name}`, () => {
    const run = randomUUID().slice(0, 8);
    let accounts = 0;
    let opened: ContractJournal[] = [];

    const newAccount = (): string => `contract-${run}-${++accounts}`;
    const openJournal = async (account: string): Promise<ContractJournal> => {
      const journal = await open({ account });
      opened.push(journal);
      return journal;
    };
    const fresh = async (): Promise<ContractJournal> => openJournal(newAccount());

    afterEach(async () => {
      const journals = opened;
      opened = [];
      for (const journal of journals) {
        await journal.close().catch(() => {});
        await journal.destroy?.();
      }
    });

    it('a new journal is empty and sound', async () => {
      const j = await fresh();
      assert.equal(await j.lastSeq(), 0);
      assert.deepEqual(await readAll(j), []);
      assert.equal(await j.lastCheckpoint(), undefined);
      assert.deepEqual(await j.verify(), { ok: true, events: 0, lastSeq: 0, problems: [] });
    });

    it('reads back exactly what was appended, numbered 1..n in order', async () => {
      const j = await fresh();
      const events = sampleEvents();
      await j.append({ events: events.slice(0, 4) });
      await j.append({ events: events.slice(4) });
      const entries = await readAll(j);
      assertEntries(entries, events);
      const fee = entries[3]?.event.type === 'order_filled' ? entries[3].event.fee : undefined;
      assert.equal(fee, 123_456_789_012_345_678_901_234_567_890n);
      assert.equal(await j.lastSeq(), events.length);
      assert.deepEqual(await j.verify(), {
        ok: true,
        events: events.length,
        lastSeq: events.length,
        problems: [],
      });
    });

    it('read(afterSeq) returns only the events after it', async () => {
      const j = await fresh();
      const events = numberedRange(1, 10);
      await j.append({ events: events.slice(0, 6) });
      await j.append({ events: events.slice(6) });
      assertEntries(await readAll(j, 0), events);
      assertEntries(await readAll(j, 3), events.slice(3), 4);
      assert.deepEqual(await readAll(j, 10), []);
      assert.deepEqual(await readAll(j, 25), []);
    });

    it('an empty batch writes nothing', async () => {
      const j = await fresh();
      await j.append({ events: [] });
      assert.equal(await j.lastSeq(), 0);
      assert.equal(await j.lastCheckpoint(), undefined);
    });

    it('a batch that cannot be written fails whole and alone', async () => {
      const j = await fresh();
      // The checkpoint cannot be serialized: its events must not be written either.
      await assert.rejects(
        j.append({ events: numberedRange(1, 2), checkpoint: { inputSeq: 1, state: circular() } }),
      );
      // One event of the batch cannot be encoded: the others must not be written.
      await assert.rejects(j.append({ events: [numbered(1), circular() as OrdoEvent] }));
      assert.equal(await j.lastSeq(), 0);
      assert.deepEqual(await readAll(j), []);
      assert.equal(await j.lastCheckpoint(), undefined);
      // A bad batch among concurrent good ones fails alone; no seq is burnt.
      const a = j.append({ events: numberedRange(1, 2) });
      const bad = j.append({ events: [numbered(90)], checkpoint: { inputSeq: 9, state: circular() } });
      const c = j.append({ events: numberedRange(3, 2), checkpoint: { inputSeq: 3, state: 'c' } });
      await assert.rejects(bad);
      await Promise.all([a, c]);
      assertEntries(await readAll(j), numberedRange(1, 4));
      assert.deepEqual(await j.lastCheckpoint(), { seq: 4, checkpoint: { inputSeq: 3, state: 'c' } });
      assert.equal((await j.verify()).ok, true);
    });

    it('lastCheckpoint is the newest, at the seq of its batch’s last event', async () => {
      const j = await fresh();
      const state = {
        venue: { cash: 10n ** 20n, debt: -1n, orders: [1, 2, 3], note: AWKWARD_TEXT },
        halted: false,
      };
      await j.append({ events: numberedRange(1, 3), checkpoint: { inputSeq: 10, state } });
      assert.deepEqual(await j.lastCheckpoint(), { seq: 3, checkpoint: { inputSeq: 10, state } });
      await j.append({ events: numberedRange(4, 2) });
      assert.deepEqual(await j.lastCheckpoint(), { seq: 3, checkpoint: { inputSeq: 10, state } });
      await j.append({ events: numberedRange(6, 1), checkpoint: { inputSeq: 11, state: [1] } });
      assert.deepEqual(await j.lastCheckpoint(), { seq: 6, checkpoint: { inputSeq: 11, state: [1] } });
      // A checkpoint alone takes the seq of the last event written before it.
      await j.append({ events: [], checkpoint: { inputSeq: 12, state: null } });
      assert.deepEqual(await j.lastCheckpoint(), { seq: 6, checkpoint: { inputSeq: 12, state: null } });
      assert.equal(await j.lastSeq(), 6);
      assert.equal((await j.verify()).ok, true);
    });

    it('keeps only the newest checkpoint, so the store does not grow by a state per input', async (t) => {
      const j = await fresh();
      if (j.tamper === undefined) {
        t.skip(`${name} gives no tamper hooks: stored checkpoints are not counted`);
        return;
      }
      const big = 'x'.repeat(10_000);
      for (let i = 1; i <= 20; i++)
        await j.append({ events: numberedRange(i, 1), checkpoint: { inputSeq: i, state: { big, i } } });
      // Several batches in one write: only the last one's checkpoint is stored.
      await Promise.all([
        j.append({ events: numberedRange(21, 1), checkpoint: { inputSeq: 21, state: 21 } }),
        j.append({ events: numberedRange(22, 1), checkpoint: { inputSeq: 22, state: 22 } }),
        j.append({ events: numberedRange(23, 1) }),
      ]);
      assert.deepEqual(await j.tamper.checkpointSeqs(), [22]);
      assert.deepEqual(await j.lastCheckpoint(), { seq: 22, checkpoint: { inputSeq: 22, state: 22 } });
      assert.equal((await j.verify()).ok, true);
    });

    it('keeps a chain: the last standalone checkpoint and every chained one after it', async (t) => {
      const j = await fresh();
      assert.deepEqual(await j.checkpointChain(), []);
      const standalone = (seq: number, inputSeq: number, state: unknown) => ({
        seq,
        checkpoint: { inputSeq, state },
      });
      const chained = (seq: number, inputSeq: number, state: unknown) => ({
        seq,
        checkpoint: { inputSeq, state, chained: true },
      });
      await j.append({ events: numberedRange(1, 2), checkpoint: { inputSeq: 1, state: { base: 1n } } });
      await j.append({
        events: numberedRange(3, 1),
        checkpoint: { inputSeq: 2, state: ['a'], chained: true },
      });
      await j.append({ events: numberedRange(4, 1) });
      // Several batches in one write: each chained checkpoint is a link of its own.
      await Promise.all([
        j.append({ events: numberedRange(5, 1), checkpoint: { inputSeq: 4, state: ['b'], chained: true } }),
        j.append({ events: numberedRange(6, 2), checkpoint: { inputSeq: 5, state: ['c'], chained: true } }),
      ]);
      const chain = [
        standalone(2, 1, { base: 1n }),
        chained(3, 2, ['a']),
        chained(5, 4, ['b']),
        chained(7, 5, ['c']),
      ];
      assert.deepEqual(await j.checkpointChain(), chain);
      assert.deepEqual(await j.lastCheckpoint(), chain[3]);
      if (j.tamper !== undefined) assert.deepEqual(await j.tamper.checkpointSeqs(), [2, 3, 5, 7]);
      assert.equal((await j.verify()).ok, true);
      // A standalone checkpoint starts a new chain, also in the middle of one write: what came
      // before it is dropped, the chained ones after it are kept.
      await Promise.all([
        j.append({ events: numberedRange(8, 1), checkpoint: { inputSeq: 6, state: ['d'], chained: true } }),
        j.append({ events: numberedRange(9, 1), checkpoint: { inputSeq: 7, state: { base: 2n } } }),
        j.append({ events: numberedRange(10, 1), checkpoint: { inputSeq: 8, state: ['e'], chained: true } }),
      ]);
      assert.deepEqual(await j.checkpointChain(), [standalone(9, 7, { base: 2n }), chained(10, 8, ['e'])]);
      if (j.tamper === undefined) t.diagnostic(`${name} gives no tamper hooks: stored rows not counted`);
      else assert.deepEqual(await j.tamper.checkpointSeqs(), [9, 10]);
      assert.equal((await j.verify()).ok, true);
    });

    it('a chained checkpoint without events is refused and writes nothing', async () => {
      const j = await fresh();
      await j.append({ events: numberedRange(1, 1), checkpoint: { inputSeq: 1, state: 1 } });
      await assert.rejects(
        j.append({ events: [], checkpoint: { inputSeq: 2, state: 2, chained: true } }),
        (e: Error) =>
          e instanceof JournalError && e.message.includes('a chained checkpoint needs a batch with events'),
      );
      await assert.rejects(
        j.append({
          events: numberedRange(2, 1),
          checkpoint: { inputSeq: 2, state: 2, chained: 'yes' as never },
        }),
        /checkpoint.chained must be a boolean/,
      );
      assert.equal(await j.lastSeq(), 1);
      assert.deepEqual(await j.checkpointChain(), [{ seq: 1, checkpoint: { inputSeq: 1, state: 1 } }]);
    });

    it('concurrent appends are all durable, in call order', async () => {
      const account = newAccount();
      const j = await openJournal(account);
      const expected: OrdoEvent[] = [];
      const wave = (): Promise<void>[] => {
        const pending: Promise<void>[] = [];
        for (let i = 0; i < 150; i++) {
          const events = numberedRange(expected.length + 1, 1 + (i % 3));
          expected.push(...events);
          pending.push(j.append({ events }));
        }
        return pending;
      };
      const first = wave();
      await Promise.all([...first, ...wave()]);
      assert.equal(await j.lastSeq(), expected.length);
      assertEntries(await readAll(j), expected);
      // Resolved means written: a second handle on the same account reads it all.
      const other = await openJournal(account);
      assertEntries(await readAll(other), expected);
      assert.deepEqual(await other.verify(), {
        ok: true,
        events: expected.length,
        lastSeq: expected.length,
        problems: [],
      });
    });

    it('a reopened journal carries on where it left off', async () => {
      const account = newAccount();
      const first = await openJournal(account);
      await first.append({ events: sampleEvents().slice(0, 3) });
      await first.append({
        events: sampleEvents().slice(3, 5),
        checkpoint: { inputSeq: 2, state: { n: 2n } },
      });
      await first.close();
      const again = await openJournal(account);
      assert.equal(await again.lastSeq(), 5);
      assert.deepEqual(await again.lastCheckpoint(), {
        seq: 5,
        checkpoint: { inputSeq: 2, state: { n: 2n } },
      });
      await again.append({ events: sampleEvents().slice(5) });
      const events = sampleEvents();
      assertEntries(await readAll(again), events);
      // The checksum chain carries on across the reopen.
      assert.deepEqual(await again.verify(), {
        ok: true,
        events: events.length,
        lastSeq: events.length,
        problems: [],
      });
    });

    it('appending while a read is in progress works', async () => {
      const j = await fresh();
      await j.append({ events: numberedRange(1, 10) });
      const seen: JournalEntry[] = [];
      for await (const entry of j.read()) {
        seen.push(entry);
        if (entry.seq <= 3) await j.append({ events: [numbered(10 + entry.seq)] });
      }
      assertEntries(seen.slice(0, 10), numberedRange(1, 10));
      assertEntries(await readAll(j), numberedRange(1, 13));
      assert.equal((await j.verify()).ok, true);
    });

    describe('verify on damaged rows', () => {
      const damaged = async (t: { skip(message: string): void }): Promise<ContractJournal | undefined> => {
        const j = await fresh();
        if (j.tamper === undefined) {
          t.skip(`${name} gives no tamper hooks: damaged rows are not checked`);
          return undefined;
        }
        await j.append({ events: numberedRange(1, 2) });
        await j.append({ events: numberedRange(3, 3) });
        return j;
      };

      it('an edited record is a checksum_mismatch, and only that record', async (t) => {
        const j = await damaged(t);
        if (j === undefined) return;
        await j.tamper!.rewritePayload(
          3,
          encodeEvent({ ...numbered(3), clientOrderId: 'edited' } as OrdoEvent),
        );
        const report = await j.verify();
        assert.equal(report.ok, false);
        assert.deepEqual(problemsOf(report), ['checksum_mismatch@3']);
        assert.equal(report.events, 5);
        assert.equal(report.lastSeq, 5);
      });

      it('a missing record is a gap, reported at the seq after it', async (t) => {
        const j = await damaged(t);
        if (j === undefined) return;
        await j.tamper!.deleteRow(3);
        const report = await j.verify();
        assert.equal(report.ok, false);
        assert.deepEqual(problemsOf(report), ['gap@4']);
        assert.match(report.problems[0]!.message, /\b3\b/);
        assert.equal(report.events, 4);
        assert.equal(report.lastSeq, 5);
      });

      it('a record that does not decode is undecodable, and read() stops there', async (t) => {
        const j = await damaged(t);
        if (j === undefined) return;
        await j.tamper!.rewritePayload(3, '{"type":"order_submitted","ts":');
        const report = await j.verify();
        assert.equal(report.ok, false);
        assert.deepEqual(problemsOf(report), ['checksum_mismatch@3', 'undecodable@3']);
        await assert.rejects(readAll(j), /undecodable.*event 3\b/s);
      });

      it('a checkpoint whose event is gone is a checkpoint_orphan', async (t) => {
        const j = await damaged(t);
        if (j === undefined) return;
        await j.append({ events: numberedRange(6, 2), checkpoint: { inputSeq: 1, state: 1 } });
        await j.tamper!.deleteRow(7);
        const report = await j.verify();
        assert.deepEqual(problemsOf(report), ['checkpoint_orphan@7']);
      });
    });

    it('a store from a newer Ordo is refused, naming both schema versions', async (t) => {
      const account = newAccount();
      const j = await openJournal(account);
      const tamper = j.tamper;
      if (tamper === undefined) {
        t.skip(`${name} gives no tamper hooks: the schema version check is not run`);
        return;
      }
      await j.append({ events: [numbered(1)] });
      await j.close();
      const newer = SCHEMA_VERSION + 1;
      await tamper.setSchemaVersion(newer);
      try {
        await assert.rejects(open({ account }), (e: Error) => {
          assert.match(e.message, new RegExp(`\\b${newer}\\b`));
          assert.match(e.message, new RegExp(`\\b${SCHEMA_VERSION}\\b`));
          return true;
        });
      } finally {
        await tamper.setSchemaVersion(SCHEMA_VERSION);
      }
      // The refusal changed nothing.
      const again = await openJournal(account);
      assertEntries(await readAll(again), [numbered(1)]);
    });

    it('accounts are isolated', async () => {
      const a = await fresh();
      const b = await fresh();
      await Promise.all([
        a.append({ events: numberedRange(1, 3) }),
        b.append({ events: numberedRange(100, 2), checkpoint: { inputSeq: 5, state: 'b' } }),
        a.append({ events: numberedRange(4, 1) }),
      ]);
      assertEntries(await readAll(a), numberedRange(1, 4));
      assertEntries(await readAll(b), numberedRange(100, 2));
      assert.equal(await a.lastSeq(), 4);
      assert.equal(await b.lastSeq(), 2);
      assert.equal(await a.lastCheckpoint(), undefined);
      assert.deepEqual(await b.lastCheckpoint(), { seq: 2, checkpoint: { inputSeq: 5, state: 'b' } });
      if (a.tamper !== undefined) await a.tamper.deleteRow(1);
      assert.equal((await b.verify()).ok, true);
    });

    it('a closed journal refuses appends, and close() waits for the ones already made', async () => {
      const account = newAccount();
      const j = await openJournal(account);
      const pending = j.append({ events: numberedRange(1, 2) });
      await j.close();
      await pending;
      await j.close();
      await assert.rejects(j.append({ events: [numbered(3)] }), /closed/);
      const again = await openJournal(account);
      assertEntries(await readAll(again), numberedRange(1, 2));
    });

    if (options.sync === true) syncContract(fresh, newAccount, openJournal);
  });
}

/** The extra promises of a SyncJournal: synchronous writes and reads that agree with the async ones. */
function syncContract(
  fresh: () => Promise<ContractJournal>,
  newAccount: () => string,
  openJournal: (account: string) => Promise<ContractJournal>,
): void {
  const asSync = (j: Journal): SyncJournal => {
    const s = j as SyncJournal;
    assert.equal(typeof s.appendSync, 'function', 'a sync journal has appendSync');
    return s;
  };

  describe('SyncJournal', () => {
    it('appendSync writes at once; readSync and lastCheckpointSync read it', async () => {
      const s = asSync(await fresh());
      const events = sampleEvents();
      s.appendSync({ events: events.slice(0, 5), checkpoint: { inputSeq: 1, state: { x: 1n } } });
      s.appendSync({ events: events.slice(5) });
      assertEntries([...s.readSync()], events);
      assertEntries([...s.readSync(4)], events.slice(4), 5);
      assert.deepEqual(s.lastCheckpointSync(), { seq: 5, checkpoint: { inputSeq: 1, state: { x: 1n } } });
      assertEntries(await readAll(s), events);
    });

    it('appendSync keeps the call order with async appends not yet committed', async () => {
      const s = asSync(await fresh());
      const before = s.append({ events: numberedRange(1, 2) });
      s.appendSync({ events: numberedRange(3, 2) });
      const after = s.append({ events: numberedRange(5, 1) });
      await Promise.all([before, after]);
      assertEntries([...s.readSync()], numberedRange(1, 5));
    });

    it('appendSync of a batch that cannot be written throws and writes nothing', async () => {
      const s = asSync(await fresh());
      assert.throws(() =>
        s.appendSync({ events: [numbered(1)], checkpoint: { inputSeq: 1, state: circular() } }),
      );
      assert.deepEqual([...s.readSync()], []);
      assert.equal(s.lastCheckpointSync(), undefined);
    });

    it('appendSync after close throws', async () => {
      const account = newAccount();
      const s = asSync(await openJournal(account));
      s.appendSync({ events: [numbered(1)] });
      await s.close();
      assert.throws(() => s.appendSync({ events: [numbered(2)] }), /closed/);
    });
  });
}
