// Idempotency keys for order creation. A POST with an `Idempotency-Key` header records which order
// (or list) the key created, with a hash of the route and body; a retry with the same key and body
// returns that order instead of placing another, and the same key with a different request is
// refused. Records live in a small SQLite file beside the journal so they survive a restart.
//
// The record and the order live in two files, so neither write can wait for the other: the key is
// reserved first, pending, with the id the engine will give the placement (ids are handed out in
// sequence, and the engine and its handler run synchronously, so no other request comes between),
// then the placement is made durable in the journal, then the record completed. A crash leaves at
// most a pending record, which `settlePending` decides at the next start, before any request:
// completed when the journal holds that id (the placement was durable: a retry must not place it
// again), released when it does not (it never happened: a retry places it).

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly kind: 'order' | 'list';
  readonly id: number;
}

export interface IdempotencyStore {
  get(key: string): IdempotencyRecord | undefined;
  /** Records, pending, that `key` is about to place `record` (with the id the engine will give it). */
  reserve(key: string, record: IdempotencyRecord, nowMs: number): void;
  /** The placement under `key` is durable (as the id it was reserved with). */
  complete(key: string): void;
  /** The placement under `key` was refused: the key is free again. */
  release(key: string): void;
  /** Records still pending: those a crash left between reserve and complete (see settlePending). */
  pending(): readonly { readonly key: string; readonly kind: 'order' | 'list'; readonly id: number }[];
  close(): void;
}

/**
 * Decides the records a crash left pending: completed when `placed` says the journal holds
 * their order or list, released otherwise. Call it at start, before serving any request.
 */
export function settlePending(
  store: IdempotencyStore,
  placed: (kind: 'order' | 'list', id: number) => boolean,
): { readonly completed: number; readonly released: number } {
  let completed = 0;
  let released = 0;
  for (const r of store.pending()) {
    if (placed(r.kind, r.id)) {
      store.complete(r.key);
      completed++;
    } else {
      store.release(r.key);
      released++;
    }
  }
  return { completed, released };
}

export const IDEMPOTENCY_KEY_MAX = 128;
/** Keys are visible characters only (RFC 9110 field value without spaces). */
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

export function validIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** A hash of what the request asks for: the route and the parsed body, keys in a fixed order. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly map = new Map<string, IdempotencyRecord & { pending: boolean }>();
  get(key: string): IdempotencyRecord | undefined {
    return this.map.get(key);
  }
  reserve(key: string, record: IdempotencyRecord): void {
    if (!this.map.has(key)) this.map.set(key, { ...record, pending: true });
  }
  complete(key: string): void {
    const r = this.map.get(key);
    if (r !== undefined) this.map.set(key, { ...r, pending: false });
  }
  release(key: string): void {
    if (this.map.get(key)?.pending === true) this.map.delete(key);
  }
  pending() {
    return [...this.map].filter(([, r]) => r.pending).map(([key, r]) => ({ key, kind: r.kind, id: r.id }));
  }
  close(): void {}
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { request_hash: string; kind: string; id: number }>;
  private readonly reserveStmt: Database.Statement<[string, string, string, number, number]>;
  private readonly completeStmt: Database.Statement<[string]>;
  private readonly releaseStmt: Database.Statement<[string]>;
  private readonly pendingStmt: Database.Statement<[], { key: string; kind: string; id: number }>;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS idempotency (
         key TEXT PRIMARY KEY,
         request_hash TEXT NOT NULL,
         kind TEXT NOT NULL,
         id INTEGER NOT NULL,
         created_ms INTEGER NOT NULL,
         pending INTEGER NOT NULL DEFAULT 0
       )`,
    );
    // A file written before records could be pending has no such column: every record in it is
    // complete.
    const columns = this.db.prepare('PRAGMA table_info(idempotency)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'pending'))
      this.db.exec('ALTER TABLE idempotency ADD COLUMN pending INTEGER NOT NULL DEFAULT 0');
    this.getStmt = this.db.prepare('SELECT request_hash, kind, id FROM idempotency WHERE key = ?');
    this.reserveStmt = this.db.prepare(
      'INSERT OR IGNORE INTO idempotency (key, request_hash, kind, id, created_ms, pending) VALUES (?, ?, ?, ?, ?, 1)',
    );
    this.completeStmt = this.db.prepare('UPDATE idempotency SET pending = 0 WHERE key = ?');
    this.releaseStmt = this.db.prepare('DELETE FROM idempotency WHERE key = ? AND pending = 1');
    this.pendingStmt = this.db.prepare('SELECT key, kind, id FROM idempotency WHERE pending = 1');
  }

  get(key: string): IdempotencyRecord | undefined {
    const row = this.getStmt.get(key);
    if (row === undefined) return undefined;
    return { requestHash: row.request_hash, kind: row.kind === 'list' ? 'list' : 'order', id: row.id };
  }

  reserve(key: string, record: IdempotencyRecord, nowMs: number): void {
    this.reserveStmt.run(key, record.requestHash, record.kind, record.id, nowMs);
  }

  complete(key: string): void {
    this.completeStmt.run(key);
  }

  release(key: string): void {
    this.releaseStmt.run(key);
  }

  pending() {
    return this.pendingStmt.all().map((row) => ({
      key: row.key,
      kind: row.kind === 'list' ? ('list' as const) : ('order' as const),
      id: row.id,
    }));
  }

  close(): void {
    this.db.close();
  }
}
