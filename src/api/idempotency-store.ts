// Idempotency keys for order creation. A POST with an `Idempotency-Key` header records which order
// (or list) the key created, with a hash of the route and body; a retry with the same key and body
// returns that order instead of placing another, and the same key with a different request is
// refused. Records live in a small SQLite file beside the journal so they survive a restart; the
// engine and its handler run synchronously, so the place-then-record step is never interleaved
// with another request.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly kind: 'order' | 'list';
  readonly id: number;
}

export interface IdempotencyStore {
  get(key: string): IdempotencyRecord | undefined;
  put(key: string, record: IdempotencyRecord, nowMs: number): void;
  close(): void;
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
  private readonly map = new Map<string, IdempotencyRecord>();
  get(key: string): IdempotencyRecord | undefined {
    return this.map.get(key);
  }
  put(key: string, record: IdempotencyRecord): void {
    this.map.set(key, record);
  }
  close(): void {}
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { request_hash: string; kind: string; id: number }>;
  private readonly putStmt: Database.Statement<[string, string, string, number, number]>;

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
         created_ms INTEGER NOT NULL
       )`,
    );
    this.getStmt = this.db.prepare('SELECT request_hash, kind, id FROM idempotency WHERE key = ?');
    this.putStmt = this.db.prepare(
      'INSERT OR IGNORE INTO idempotency (key, request_hash, kind, id, created_ms) VALUES (?, ?, ?, ?, ?)',
    );
  }

  get(key: string): IdempotencyRecord | undefined {
    const row = this.getStmt.get(key);
    if (row === undefined) return undefined;
    return { requestHash: row.request_hash, kind: row.kind === 'list' ? 'list' : 'order', id: row.id };
  }

  put(key: string, record: IdempotencyRecord, nowMs: number): void {
    this.putStmt.run(key, record.requestHash, record.kind, record.id, nowMs);
  }

  close(): void {
    this.db.close();
  }
}
