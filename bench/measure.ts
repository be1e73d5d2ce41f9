// Timing and printing helpers shared by the benchmarks. A benchmark repeats a measurement a few
// times and keeps every sample; the tables show the best (the least disturbed by GC and the other
// core's work) and the median, and say which one a headline figure uses.

import { performance } from 'node:perf_hooks';

export interface Samples {
  readonly best: number;
  readonly median: number;
  readonly all: readonly number[];
}

/** Runs `fn` `reps` times; each run returns a rate (higher is better). */
export function repeatRate(reps: number, fn: () => number): Samples {
  const all: number[] = [];
  for (let i = 0; i < reps; i++) all.push(fn());
  return summarize(all, 'high');
}

/** Summarizes samples; `better` says whether the best is the highest or the lowest. */
export function summarize(all: readonly number[], better: 'high' | 'low'): Samples {
  const sorted = [...all].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const best = better === 'high' ? sorted[sorted.length - 1]! : sorted[0]!;
  return { best, median, all };
}

/** Calls per second of `count` calls that took `ms`. */
export function perSecond(count: number, ms: number): number {
  return ms <= 0 ? Number.POSITIVE_INFINITY : (count * 1000) / ms;
}

export function nowMs(): number {
  return performance.now();
}

/** Collects garbage when node runs with --expose-gc (run.ts makes sure it does). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
}

/** 1234567 → "1.23 M", 45678 → "45.7 k". */
export function si(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/** A ratio with two significant digits, without exponent noise: 0.38, 6057, 0.0000053. */
export function ratio(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return Number(v.toPrecision(2)).toString();
}

/** A count as 0, 10k, 100k, 1M. */
export function count(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

/** A plain-text table with right-aligned columns after the first. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
