// Runs one size of the memory benchmark in a fresh process and prints its row as one JSON line.
// Started by bench/memory-bench.ts as `node --expose-gc --import tsx bench/memory-child.ts N seed`.

import { measureMemoryHere } from './memory-bench.ts';

const size = Number(process.argv[2]);
const seed = Number(process.argv[3] ?? 42);
if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size ${process.argv[2]}`);
process.stdout.write(`${JSON.stringify(measureMemoryHere(size, seed))}\n`);
