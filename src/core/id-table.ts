// A table keyed by string ids that keeps its entries in first-use order, like a Map, but is much
// cheaper for ids made of a prefix and a counter, as engines and venues generate them (client
// order ids `ordo-1`, `ordo-2`, …; trade ids `paper-t1`, …).
//
// An id of that form, `<prefix><n>` with n written as a number prints (no leading zero), is kept
// in a dense array of its prefix, at n less the first counter seen with that prefix, so a lookup
// is a short scan of the id's digits and an array read. Any other id, a counter outside what keeps
// the array dense, or a prefix beyond the first few, goes to a Map. A string-keyed Map of every id
// was the costliest structure of the placement path (the paper venue's id table) and of the fill
// path (the trade ids): each new id was hashed, missed in a table of every id ever used, and
// inserted (with the table's periodic regrowth), touching cold memory at every step.
//
// Each entry is stamped with a sequence number when first set, so `entries()` lists ids in
// first-use order whichever store holds them, as a Map would.

import { ChunkedArray } from './chunked-list.ts';

/** Counters this far or further beyond their run's end go to the Map, so a run stays dense. */
const MAX_GAP = 1024;
/** Prefixes with a dense store; ids of further prefixes (random ids, say) go to the Map. */
const MAX_RUNS = 16;
/** Longest counter that is always a safe integer. */
const MAX_DIGITS = 15;

/**
 * The dense store of one prefix: entry and first-use stamp by counter − base, in fixed-size chunks.
 * One array per run grew by copying itself; once long, a copy of tens of thousands of elements
 * that the collector then had to trace again cost more per id than the lookups.
 */
class Run<V> {
  private readonly values = new ChunkedArray<V>();
  private readonly stamps = new ChunkedArray<number>();
  /** One past the highest index set. */
  end = 0;
  constructor(
    readonly prefix: string,
    /** The counter of the first id seen with this prefix. */
    readonly base: number,
  ) {}

  get(i: number): V | undefined {
    return this.values.get(i);
  }

  stamp(i: number): number {
    return this.stamps.get(i)!;
  }

  /** Sets entry `i` (≥ 0, < end + MAX_GAP); `stamp` is recorded when the entry is new. True then. */
  set(i: number, value: V, stamp: number): boolean {
    const fresh = this.values.get(i) === undefined;
    if (fresh) this.stamps.set(i, stamp);
    this.values.set(i, value);
    if (i >= this.end) this.end = i + 1;
    return fresh;
  }
}

/** Id → V (which must not include undefined), in first-use order. */
export class IdTable<V> {
  private readonly runs = new Map<string, Run<V>>();
  /** The run of the last id looked up: a client's ids mostly share one prefix. */
  private lastRun: Run<V> | undefined = undefined;
  /** Ids of any other form, each with its first-use stamp. */
  private readonly others = new Map<string, { value: V; stamp: number }>();
  private stamp = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): V | undefined {
    if (this.others.size > 0) {
      const other = this.others.get(id);
      if (other !== undefined) return other.value;
    }
    const digits = this.parse(id);
    const run = digits < 0 ? undefined : this.runOf(id, digits);
    if (run === undefined) return undefined;
    const i = this.counter - run.base;
    return i >= 0 && i < run.end ? run.get(i) : undefined;
  }

  /**
   * Sets the entry of `id`; a new id takes the last place in first-use order. True when the id was
   * new (so a set that must not overwrite needs no lookup before it).
   */
  set(id: string, value: V): boolean {
    const other = this.others.size > 0 ? this.others.get(id) : undefined;
    if (other !== undefined) {
      other.value = value;
      return false;
    }
    const digits = this.parse(id);
    if (digits >= 0) {
      const counter = this.counter;
      const run = this.runOf(id, digits) ?? this.newRun(id, digits, counter);
      const i = run === undefined ? -1 : counter - run.base;
      if (run !== undefined && i >= 0 && i < run.end + MAX_GAP) {
        const fresh = run.set(i, value, this.stamp + 1);
        if (fresh) {
          this.stamp++;
          this.count++;
        }
        return fresh;
      }
    }
    this.others.set(id, { value, stamp: ++this.stamp });
    this.count++;
    return true;
  }

  // The last id parsed: a new order's id is looked up, then set, so it is parsed once.
  private parsedId: string | undefined = undefined;
  private parsedStart = -1;
  /** The counter of the last id parsed (when it has one). */
  private counter = 0;

  /**
   * Where the id's counter starts: the index of its trailing digits when they are a number as it
   * prints (1 to 15 digits, no leading zero), else -1. The counter's value goes to `counter`.
   */
  private parse(id: string): number {
    if (id === this.parsedId) return this.parsedStart;
    let i = id.length;
    let counter = 0;
    let scale = 1;
    while (i > 0) {
      const d = id.charCodeAt(i - 1) - 48;
      if (d < 0 || d > 9) break;
      counter += d * scale;
      scale *= 10;
      i--;
    }
    const n = id.length - i;
    const start = n === 0 || n > MAX_DIGITS || id.charCodeAt(i) === 48 ? -1 : i;
    this.parsedId = id;
    this.parsedStart = start;
    this.parsedRun = null;
    this.counter = counter;
    return start;
  }

  /** Every id and its entry, in first-use order (a snapshot's order; O(size)). */
  entries(): [string, V][] {
    // Stamps are unique in 1..stamp, so placing each entry at its stamp sorts them.
    const byStamp: ([string, V] | undefined)[] = new Array(this.stamp + 1);
    for (const run of this.runs.values())
      for (let n = 0; n < run.end; n++) {
        const value = run.get(n);
        if (value !== undefined) byStamp[run.stamp(n)] = [`${run.prefix}${run.base + n}`, value];
      }
    for (const [id, e] of this.others) byStamp[e.stamp] = [id, e.value];
    return byStamp.filter((e): e is [string, V] => e !== undefined);
  }

  /**
   * The run of the prefix before the counter at `digits`, if it has one. Always called on the id
   * just parsed, so the answer is kept with the parse: the lookup that follows a set, or the set
   * that follows a lookup, finds it without comparing the id again.
   */
  private runOf(id: string, digits: number): Run<V> | undefined {
    if (this.parsedRun !== null) return this.parsedRun;
    const last = this.lastRun;
    const run =
      last !== undefined && last.prefix.length === digits && id.startsWith(last.prefix)
        ? last
        : this.runs.get(id.slice(0, digits));
    if (run !== undefined) this.lastRun = run;
    this.parsedRun = run;
    return run;
  }

  /** The run of the id last parsed; null until runOf resolves it. */
  private parsedRun: Run<V> | undefined | null = null;

  /** A run for a new prefix, starting at this counter; undefined once there are MAX_RUNS. */
  private newRun(id: string, digits: number, counter: number): Run<V> | undefined {
    if (this.runs.size >= MAX_RUNS) return undefined;
    const run = new Run<V>(id.slice(0, digits), counter);
    this.runs.set(run.prefix, run);
    this.lastRun = run;
    this.parsedRun = run;
    return run;
  }
}

/**
 * Ids scoped by venue (trade ids: two venues may both send `t1`), an IdTable per venue. A key
 * `${venue}:${id}` would cost more than the lookup it feeds: a concatenation of 13 characters or
 * more is a rope, which each scan of its digits first copies into a flat string.
 */
export class VenueIdTable<V> {
  private readonly byVenue = new Map<string, IdTable<V>>();
  private lastVenue: string | undefined = undefined;
  private last: IdTable<V> | undefined = undefined;

  get size(): number {
    let n = 0;
    for (const t of this.byVenue.values()) n += t.size;
    return n;
  }

  get(venue: string, id: string): V | undefined {
    return this.table(venue, false)?.get(id);
  }

  /** True when the id was new on that venue. */
  set(venue: string, id: string, value: V): boolean {
    return this.table(venue, true)!.set(id, value);
  }

  private table(venue: string, create: boolean): IdTable<V> | undefined {
    if (venue === this.lastVenue) return this.last;
    let t = this.byVenue.get(venue);
    if (t === undefined) {
      if (!create) return undefined;
      t = new IdTable<V>();
      this.byVenue.set(venue, t);
    }
    this.lastVenue = venue;
    this.last = t;
    return t;
  }
}

/** A set of ids scoped by venue, with VenueIdTable's costs. */
export class VenueIdSet {
  private readonly table = new VenueIdTable<true>();

  get size(): number {
    return this.table.size;
  }

  has(venue: string, id: string): boolean {
    return this.table.get(venue, id) !== undefined;
  }

  /** Adds the id; false (and nothing changes) when the venue already had it. */
  addNew(venue: string, id: string): boolean {
    return this.table.set(venue, id, true);
  }
}
