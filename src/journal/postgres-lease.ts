// Leases: one process at a time owns an account's journal on a shared PostgreSQL server. A lease
// is one row of `ordo_leases`: the owner's name, an epoch and an expiry. Acquiring inserts the row
// or takes it over once it has expired, and every takeover increments the epoch, a fencing token.
// The owner renews the expiry every ttl/3 (the heartbeat); every append transaction locks the row
// (`SELECT ... FOR UPDATE`) and proceeds only if the owner, epoch and expiry are still its own,
// so a process that stalled past its expiry and was replaced writes nothing: a takeover waits for
// an append in flight to commit, and an append after a takeover sees the new epoch and fails with
// `lease_lost`. All times are the database's clock, so the processes' clocks do not matter.
//
// The owner name identifies a process. Journals opened with the same owner share its lease (same
// epoch), so one process may hold several connections to its account.

import type pg from 'pg';

/** How long a lease lasts without a heartbeat, unless the options say otherwise. */
export const LEASE_TTL_MS_DEFAULT = 5000;
/** Renewals per ttl: a lease survives two missed heartbeats. */
const HEARTBEATS_PER_TTL = 3;
/** Fewer than this many ms between polls would only load the server. */
const POLL_MS_MIN = 10;

export interface LeaseOptions {
  /** Names this process; shown to a process that finds the lease held. */
  readonly owner: string;
  readonly ttlMs?: number;
  /** How often a waiting process retries; ttlMs / 5 by default. */
  readonly pollMs?: number;
}

export type LeaseErrorCode = 'lease_held' | 'lease_lost' | 'lease_timeout' | 'invalid_lease_options';

export interface LeaseErrorDetail {
  readonly account: string;
  /** The owner holding the lease (lease_held, lease_timeout), or this process (lease_lost). */
  readonly owner?: string;
  readonly epoch?: number;
  /** Database time (ms since the epoch) when the current holder's lease expires. */
  readonly expiresAtMs?: number;
  /** Database time of the check. */
  readonly nowMs?: number;
}

export class LeaseError extends Error {
  override readonly name = 'LeaseError';
  constructor(
    readonly code: LeaseErrorCode,
    message: string,
    readonly detail: LeaseErrorDetail,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The database's clock in ms: every lease time is measured against it. */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

export const LEASE_DDL = `CREATE TABLE IF NOT EXISTS ordo_leases (
  account TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  epoch BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
)`;

/**
 * Inserts the lease or takes it over: when it has expired (a new epoch), or when it is this
 * owner's own live lease (the same epoch, renewed). Returns no row when another owner holds it.
 */
const ACQUIRE_SQL = `
INSERT INTO ordo_leases AS l (account, owner, epoch, expires_at_ms)
VALUES ($1, $2, 1, ${DB_NOW_MS} + $3)
ON CONFLICT (account) DO UPDATE SET
  owner = EXCLUDED.owner,
  epoch = CASE WHEN l.expires_at_ms <= ${DB_NOW_MS} THEN l.epoch + 1 ELSE l.epoch END,
  expires_at_ms = EXCLUDED.expires_at_ms
WHERE l.expires_at_ms <= ${DB_NOW_MS} OR l.owner = EXCLUDED.owner
RETURNING epoch, expires_at_ms`;

const HOLDER_SQL = `SELECT owner, epoch, expires_at_ms, ${DB_NOW_MS} AS now_ms FROM ordo_leases WHERE account = $1`;

const RENEW_SQL = `
UPDATE ordo_leases SET expires_at_ms = ${DB_NOW_MS} + $4
WHERE account = $1 AND owner = $2 AND epoch = $3 AND expires_at_ms > ${DB_NOW_MS}
RETURNING expires_at_ms`;

const CHECK_SQL = `
SELECT expires_at_ms FROM ordo_leases
WHERE account = $1 AND owner = $2 AND epoch = $3 AND expires_at_ms > ${DB_NOW_MS}
FOR UPDATE`;

/** Expires the lease now and keeps the row, so the next owner's epoch is still higher. */
const RELEASE_SQL = `
UPDATE ordo_leases SET expires_at_ms = ${DB_NOW_MS}
WHERE account = $1 AND owner = $2 AND epoch = $3`;

interface Resolved {
  readonly owner: string;
  readonly ttlMs: number;
  readonly pollMs: number;
}

function resolveOptions(account: string, options: LeaseOptions): Resolved {
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS_DEFAULT;
  const pollMs = options.pollMs ?? Math.max(POLL_MS_MIN, Math.floor(ttlMs / 5));
  const bad = (message: string) => new LeaseError('invalid_lease_options', message, { account });
  if (options.owner === '') throw bad('lease owner must be a non-empty name');
  if (!Number.isInteger(ttlMs) || ttlMs < 30) throw bad(`ttlMs must be an integer ≥ 30, got ${ttlMs}`);
  if (!Number.isInteger(pollMs) || pollMs < POLL_MS_MIN)
    throw bad(`pollMs must be an integer ≥ ${POLL_MS_MIN}, got ${pollMs}`);
  return { owner: options.owner, ttlMs, pollMs };
}

/** A held lease on one account. It renews itself until released or lost. */
export class PostgresLease {
  private expiresAtMsValue: number;
  private lostValue: LeaseError | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private renewing = false;
  private released = false;
  private readonly lostListeners: ((e: LeaseError) => void)[] = [];

  private constructor(
    private readonly pool: pg.Pool,
    readonly account: string,
    readonly owner: string,
    /** The fencing token: higher than every earlier holder's. */
    readonly epoch: number,
    expiresAtMs: number,
    readonly ttlMs: number,
  ) {
    this.expiresAtMsValue = expiresAtMs;
    this.heartbeat = setInterval(
      () => void this.renew(),
      Math.max(1, Math.floor(ttlMs / HEARTBEATS_PER_TTL)),
    );
    this.heartbeat.unref();
  }

  /** Takes the lease, or fails with `lease_held` naming the holder and its expiry. */
  static async acquire(pool: pg.Pool, account: string, options: LeaseOptions): Promise<PostgresLease> {
    const o = resolveOptions(account, options);
    const result = await PostgresLease.tryAcquire(pool, account, o);
    if (result instanceof PostgresLease) return result;
    throw result;
  }

  /**
   * Polls until the lease is free (its holder stopped renewing) and takes it; fails with
   * `lease_timeout` after `timeoutMs`. A waiter takes over within ttl + one poll of the holder's
   * last heartbeat.
   */
  static async waitFor(
    pool: pg.Pool,
    account: string,
    options: LeaseOptions,
    timeoutMs: number,
  ): Promise<PostgresLease> {
    const o = resolveOptions(account, options);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const result = await PostgresLease.tryAcquire(pool, account, o);
      if (result instanceof PostgresLease) return result;
      const left = deadline - performance.now();
      if (left <= 0)
        throw new LeaseError(
          'lease_timeout',
          `waited ${timeoutMs} ms for the lease on '${account}'; ${result.message}`,
          result.detail,
        );
      // Sleep one poll, or less when the holder's lease runs out sooner.
      const expiresInMs = (result.detail.expiresAtMs ?? 0) - (result.detail.nowMs ?? 0);
      await sleep(Math.min(o.pollMs, Math.max(POLL_MS_MIN, expiresInMs + 1), left));
    }
  }

  /** Database time at which the lease expires unless renewed. */
  get expiresAtMs(): number {
    return this.expiresAtMsValue;
  }

  /** Why the lease was lost, once it was. */
  get lost(): LeaseError | undefined {
    return this.lostValue;
  }

  /** Calls `listener` once when a heartbeat or an append finds the lease gone. */
  onLost(listener: (e: LeaseError) => void): void {
    if (this.lostValue !== undefined) listener(this.lostValue);
    else this.lostListeners.push(listener);
  }

  /**
   * Inside the caller's transaction: locks the lease row and fails with `lease_lost` unless it is
   * still this owner's, at this epoch, unexpired. The row lock holds off a takeover until the
   * transaction ends, so nothing the transaction writes can land after another owner's writes.
   */
  async check(client: pg.ClientBase): Promise<void> {
    if (this.lostValue !== undefined) throw this.lostValue;
    const r = await client.query<{ expires_at_ms: string }>(CHECK_SQL, [
      this.account,
      this.owner,
      this.epoch,
    ]);
    const row = r.rows[0];
    if (row !== undefined) {
      this.expiresAtMsValue = Number(row.expires_at_ms);
      return;
    }
    throw this.markLost(await this.lostError(client));
  }

  /** Stops renewing and expires the lease so that a waiting process takes over at once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    if (this.lostValue === undefined)
      await this.pool.query(RELEASE_SQL, [this.account, this.owner, this.epoch]);
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.released || this.lostValue !== undefined) return;
    this.renewing = true;
    try {
      const r = await this.pool.query<{ expires_at_ms: string }>(RENEW_SQL, [
        this.account,
        this.owner,
        this.epoch,
        this.ttlMs,
      ]);
      const row = r.rows[0];
      if (row !== undefined) this.expiresAtMsValue = Number(row.expires_at_ms);
      else if (!this.released) this.markLost(await this.lostError(this.pool));
    } catch {
      // The server is unreachable: keep trying. If it stays so past the expiry, the next renewal
      // or append finds the lease gone; until then nothing can be written anyway.
    } finally {
      this.renewing = false;
    }
  }

  private async lostError(db: pg.ClientBase | pg.Pool): Promise<LeaseError> {
    const holder = await readHolder(db, this.account);
    const now = holder === undefined ? '' : `; it is held by '${holder.owner}' at epoch ${holder.epoch}`;
    return new LeaseError(
      'lease_lost',
      `'${this.owner}' no longer holds the lease on '${this.account}' (epoch ${this.epoch})${now}`,
      { account: this.account, owner: this.owner, epoch: this.epoch, expiresAtMs: this.expiresAtMsValue },
    );
  }

  private markLost(e: LeaseError): LeaseError {
    if (this.lostValue !== undefined) return this.lostValue;
    this.lostValue = e;
    clearInterval(this.heartbeat);
    for (const listener of this.lostListeners.splice(0)) listener(e);
    return e;
  }

  /** The lease, or the `lease_held` error saying who holds it until when. */
  private static async tryAcquire(
    pool: pg.Pool,
    account: string,
    o: Resolved,
  ): Promise<PostgresLease | LeaseError> {
    const r = await pool.query<{ epoch: string; expires_at_ms: string }>(ACQUIRE_SQL, [
      account,
      o.owner,
      o.ttlMs,
    ]);
    const row = r.rows[0];
    if (row !== undefined)
      return new PostgresLease(pool, account, o.owner, Number(row.epoch), Number(row.expires_at_ms), o.ttlMs);
    const holder = await readHolder(pool, account);
    const who = holder === undefined ? 'another process' : `'${holder.owner}' (epoch ${holder.epoch})`;
    const until =
      holder === undefined
        ? ''
        : ` until at least ${new Date(holder.expiresAtMs).toISOString()} (database time)`;
    return new LeaseError('lease_held', `the account '${account}' is owned by ${who}${until}`, {
      account,
      ...holder,
    });
  }
}

interface Holder {
  readonly owner: string;
  readonly epoch: number;
  readonly expiresAtMs: number;
  readonly nowMs: number;
}

async function readHolder(db: pg.ClientBase | pg.Pool, account: string): Promise<Holder | undefined> {
  const r = await db.query<{ owner: string; epoch: string; expires_at_ms: string; now_ms: string }>(
    HOLDER_SQL,
    [account],
  );
  const row = r.rows[0];
  return row === undefined
    ? undefined
    : {
        owner: row.owner,
        epoch: Number(row.epoch),
        expiresAtMs: Number(row.expires_at_ms),
        nowMs: Number(row.now_ms),
      };
}

/** Polls for the lease until `timeoutMs`; see PostgresLease.waitFor. */
export function waitForLease(
  pool: pg.Pool,
  account: string,
  options: LeaseOptions,
  timeoutMs: number,
): Promise<PostgresLease> {
  return PostgresLease.waitFor(pool, account, options, timeoutMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
