// Merges several market-data sources into one stream in time order, for replay and backtests:
// a k-way merge over the sources' heads. Equal timestamps keep source order (the source listed
// first goes first) and each source keeps its own order, so the merge is stable and the same
// inputs always give the same stream. Each source must be time-ordered; by default a source that
// steps back in time ends the stream with a DataFault naming it, rather than producing a stream
// that silently is not ordered. A DataFault yielded by a source also ends the merged stream.

import { fieldError, type OrdoError } from '../core/errors.ts';
import type { TimestampMs } from '../core/ports.ts';
import { type DataFault, type DataItem, dataFault } from './data-fault.ts';

export interface MergeOptions {
  /** Check that every source is non-decreasing in time; default true. */
  readonly checkOrder?: boolean;
}

type Timed = { readonly ts: TimestampMs };

/** Merges synchronous sources (arrays, generators) into one time-ordered generator. */
export function* mergeByTime<T extends DataItem>(
  sources: readonly Iterable<T>[],
  options: MergeOptions = {},
): Generator<T | DataFault, void, undefined> {
  const iterators = sources.map((s) => s[Symbol.iterator]());
  const merge = new HeadMerge<T>(sources.length, options.checkOrder ?? true);
  try {
    for (let i = 0; i < iterators.length; i++) {
      const fault = merge.offer(i, iterators[i]?.next());
      if (fault !== undefined) {
        yield dataFault(fault);
        return;
      }
    }
    for (;;) {
      const head = merge.take();
      if (head === undefined) return;
      yield head.item;
      const fault = merge.offer(head.source, iterators[head.source]?.next());
      if (fault !== undefined) {
        yield dataFault(fault);
        return;
      }
    }
  } finally {
    for (const it of iterators) it.return?.();
  }
}

/** Merges asynchronous (file readers) and synchronous sources into one time-ordered stream. */
export async function* mergeByTimeAsync<T extends DataItem>(
  sources: readonly (AsyncIterable<T> | Iterable<T>)[],
  options: MergeOptions = {},
): AsyncGenerator<T | DataFault, void, undefined> {
  const iterators = sources.map((s) =>
    Symbol.asyncIterator in s ? s[Symbol.asyncIterator]() : s[Symbol.iterator](),
  );
  const merge = new HeadMerge<T>(sources.length, options.checkOrder ?? true);
  try {
    const firsts = await Promise.all(iterators.map((it) => it.next()));
    for (let i = 0; i < firsts.length; i++) {
      const fault = merge.offer(i, firsts[i]);
      if (fault !== undefined) {
        yield dataFault(fault);
        return;
      }
    }
    for (;;) {
      const head = merge.take();
      if (head === undefined) return;
      yield head.item;
      const fault = merge.offer(head.source, await iterators[head.source]?.next());
      if (fault !== undefined) {
        yield dataFault(fault);
        return;
      }
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}

interface Head<T> {
  readonly item: T & Timed;
  readonly source: number;
}

/** A binary min-heap of at most one head per source, ordered by (ts, source index). */
class HeadMerge<T extends DataItem> {
  private readonly heap: Head<T>[] = [];
  private readonly lastTs: TimestampMs[];
  private readonly counts: number[];

  constructor(
    sourceCount: number,
    private readonly checkOrder: boolean,
  ) {
    this.lastTs = new Array<TimestampMs>(sourceCount).fill(Number.NEGATIVE_INFINITY);
    this.counts = new Array<number>(sourceCount).fill(0);
  }

  /** Adds the next item of a source; returns the error that ends the stream, if any. */
  offer(source: number, next: IteratorResult<T, unknown> | undefined): OrdoError | undefined {
    if (next === undefined || next.done === true) return undefined;
    const item = next.value;
    if (item.kind === 'error') return item.error;
    const position = (this.counts[source] ?? 0) + 1;
    this.counts[source] = position;
    const last = this.lastTs[source] ?? Number.NEGATIVE_INFINITY;
    if (this.checkOrder && item.ts < last)
      return fieldError(
        `sources.${source}`,
        'time_order',
        `item ${position} at ${item.ts} is earlier than the item before it at ${last}`,
      );
    this.lastTs[source] = item.ts;
    this.push({ item: item as T & Timed, source });
    return undefined;
  }

  take(): Head<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private push(head: Head<T>): void {
    const heap = this.heap;
    heap.push(head);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left], heap[least])) least = left;
      if (right < heap.length && before(heap[right], heap[least])) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const t = heap[a] as Head<T>;
    heap[a] = heap[b] as Head<T>;
    heap[b] = t;
  }
}

function before<T>(a: Head<T> | undefined, b: Head<T> | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a.item.ts < b.item.ts || (a.item.ts === b.item.ts && a.source < b.source);
}
