// The load generator of the HTTP benchmark, run as a separate process (bench/http-placement.ts
// starts it), so the server's event loop and the client's never share a core's time slices in one
// process. Keep-alive connections over loopback; each of CONCURRENCY workers sends its requests one
// after the other and times each from write to the last byte of the answer.
//
//   node --import tsx bench/http-load.ts <url> <token> <GET|POST> <path> <requests> <concurrency> [bodies.json]
//
// With a bodies file (a JSON array), request i sends bodies[i % length]. Prints one JSON line:
// { requests, errors, seconds, perSecond, p50Ms, p99Ms, statuses }.

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Result {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

async function run(): Promise<Result> {
  const [url, token, method, path, requestsText, concurrencyText, bodiesFile] = process.argv.slice(2);
  const total = Number(requestsText);
  const concurrency = Number(concurrencyText);
  const target = new URL(path!, url);
  const bodies: string[] =
    bodiesFile === undefined
      ? []
      : (JSON.parse(readFileSync(bodiesFile, 'utf8')) as unknown[]).map((b) => JSON.stringify(b));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let next = 0;
  let errors = 0;

  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const body = bodies.length === 0 ? undefined : bodies[i % bodies.length];
      const started = process.hrtime.bigint();
      const req = request(
        {
          agent,
          method,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
            const s = String(res.statusCode);
            statuses[s] = (statuses[s] ?? 0) + 1;
            if ((res.statusCode ?? 500) >= 400) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
        resolve();
      });
      req.end(body);
    });

  const worker = async (): Promise<void> => {
    while (next < total) await one(next++);
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  const sorted = latencies.slice().sort();
  return {
    requests: total,
    errors,
    seconds,
    perSecond: total / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    statuses,
  };
}

process.stdout.write(`${JSON.stringify(await run())}\n`);
