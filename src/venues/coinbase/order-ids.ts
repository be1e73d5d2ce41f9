// Coinbase has no lookup by client order id and no cancel-all (venues.md 3.3), so the adapter keeps
// its own map client order id ↔ order id, and what it knows of each order's edit rules.
//
// Where the map comes from: every create response (order_id), every `user` channel message
// (order_id and client_order_id together), every order listing. After a restart it is REBUILT
// from the venue — open orders and the orders of a recent window carry client_order_id — and,
// when the adapter is given a state store, restored from it first (with the fill ledger), so an
// order older than the window is still known. A client id the map does not know is looked for in
// a listing before anything is concluded (see CoinbaseAdapter.lookup): an order is never placed a
// second time because the map forgot it.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** What the adapter keeps of one order. */
export interface KnownOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  /** Ordo instrument key. */
  readonly instrument: string;
  /** The `order_configuration` key (`limit_limit_gtc`…), when known: decides whether edit works. */
  configuration: string | undefined;
}

export class OrderIdMap {
  private readonly byClient = new Map<string, KnownOrder>();
  private readonly byVenue = new Map<string, KnownOrder>();

  /** Records (or completes) an order; returns true when something new was learnt. */
  remember(o: {
    clientOrderId: string;
    venueOrderId: string;
    instrument: string;
    configuration?: string;
  }): boolean {
    if (o.clientOrderId === '' || o.venueOrderId === '') return false;
    const prev = this.byClient.get(o.clientOrderId);
    if (prev !== undefined && prev.venueOrderId === o.venueOrderId) {
      if (o.configuration === undefined || prev.configuration === o.configuration) return false;
      prev.configuration = o.configuration;
      return true;
    }
    const k: KnownOrder = { ...o, configuration: o.configuration ?? prev?.configuration };
    this.byClient.set(o.clientOrderId, k);
    this.byVenue.set(o.venueOrderId, k);
    return true;
  }

  byClientId(clientOrderId: string): KnownOrder | undefined {
    return this.byClient.get(clientOrderId);
  }

  byVenueId(venueOrderId: string): KnownOrder | undefined {
    return this.byVenue.get(venueOrderId);
  }

  get size(): number {
    return this.byClient.size;
  }

  toJSON(): readonly KnownOrder[] {
    return [...this.byClient.values()];
  }

  /** Restores a map saved with toJSON; unreadable entries are skipped. */
  static fromJSON(json: unknown): OrderIdMap {
    const m = new OrderIdMap();
    if (!Array.isArray(json)) return m;
    for (const o of json as Partial<KnownOrder>[])
      if (
        typeof o?.clientOrderId === 'string' &&
        typeof o.venueOrderId === 'string' &&
        typeof o.instrument === 'string'
      )
        m.remember({
          clientOrderId: o.clientOrderId,
          venueOrderId: o.venueOrderId,
          instrument: o.instrument,
          configuration: typeof o.configuration === 'string' ? o.configuration : undefined,
        });
    return m;
  }
}

/** Where the adapter keeps its order map and fill ledger between runs (plain JSON). */
export interface StateStore {
  load(): unknown;
  save(state: unknown): void;
}

/** Keeps nothing: the map is rebuilt from the venue on every connect. */
export class MemoryStateStore implements StateStore {
  private state: unknown;
  load(): unknown {
    return this.state;
  }
  save(state: unknown): void {
    this.state = structuredClone(state);
  }
}

/** A JSON file, replaced atomically (write a temporary file, then rename) on every save. */
export class FileStateStore implements StateStore {
  constructor(readonly path: string) {}

  load(): unknown {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      return undefined;
    }
  }

  save(state: unknown): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }
}
