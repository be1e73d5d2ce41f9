// Benchmark 3: bytes per resting emulated order. Each size runs in a fresh node process started
// with --expose-gc (bench/memory-child.ts), so nothing left over from the other benchmarks is
// counted: it builds an emulating engine, feeds it one tick, collects garbage and reads the heap,
// places N orders on the same schedule as the tick benchmark, collects again and reads again.
// "Heap" is V8's heapUsed plus the ArrayBuffer memory outside the heap, where the trigger
// indexes' typed arrays live. The emulator's own index bytes (Emulator.bytes()) are shown beside.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emulatingEngine, loadedEngine, placementSchedule } from './emulated-engine.ts';
import { count, table } from './measure.ts';
import { specOf } from './resting-orders.ts';

export interface MemoryRow {
  readonly size: number;
  readonly bytesPerOrder: number;
  readonly indexBytesPerOrder: number;
  /** Heap and array buffers after placing, in MB. */
  readonly totalMb: number;
}

function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function gcOrThrow(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory benchmark needs node --expose-gc');
  return () => {
    gc();
    gc();
  };
}

/** Measures in this process; it must run with --expose-gc and should be a fresh process. */
export function measureMemoryHere(size: number, seed: number): MemoryRow {
  const gc = gcOrThrow();
  // Load the code paths once so that compiled code and feedback are not counted as order bytes.
  loadedEngine(Math.min(size, 1000), seed + 1);
  const engine = emulatingEngine();
  let schedule: (() => void) | undefined = () =>
    placementSchedule(
      size,
      seed,
      (t) => engine.onMarket(t),
      (o, i, _price, ts) => {
        const r = engine.place(specOf(o), ts);
        if (!r.ok) throw new Error(`bench order ${i} refused: ${r.error.message}`);
        if ((i & 4095) === 4095) engine.drainCommands();
      },
    );
  gc();
  const before = usedBytes();
  schedule();
  schedule = undefined;
  engine.drainCommands();
  gc();
  const after = usedBytes();
  const indexBytes = engine.state.emulator.bytes();
  if (engine.state.liveOrders !== size) throw new Error(`expected ${size} live orders`);
  return {
    size,
    bytesPerOrder: (after - before) / Math.max(1, size),
    indexBytesPerOrder: indexBytes / Math.max(1, size),
    totalMb: after / 1e6,
  };
}

/** Measures each size in its own `node --expose-gc` process. */
export function benchMemory(sizes: readonly number[], seed: number): MemoryRow[] {
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  return sizes.map((size) => {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', child, String(size), String(seed)],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`memory child for ${size} failed: ${r.stderr || r.stdout}`);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as MemoryRow;
  });
}

export function printMemory(rows: readonly MemoryRow[]): string {
  const lines: string[] = [];
  lines.push('3. Bytes per resting emulated order');
  lines.push(
    '   method: a fresh `node --expose-gc` process per size; (heapUsed + arrayBuffers after placing N ' +
      'orders, gc) − (same before, gc) ÷ N; one run per size (the figure is deterministic to a few bytes).',
  );
  lines.push(
    '   index = Emulator.bytes() ÷ N: the trigger heaps and trailing groups alone (typed arrays, incl. growth slack).',
  );
  lines.push('');
  lines.push(
    table(
      ['resting', 'bytes/order', 'index bytes/order', 'heap after (MB)'],
      rows.map((r) => [
        count(r.size),
        r.bytesPerOrder.toFixed(0),
        r.indexBytesPerOrder.toFixed(1),
        r.totalMb.toFixed(0),
      ]),
    ),
  );
  return lines.join('\n');
}
