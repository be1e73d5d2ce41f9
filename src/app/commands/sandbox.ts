// `ordo sandbox VENUE`: a local fake venue on 127.0.0.1 speaking the venue's real wire format, with a
// synthetic market, for offline testing. Runs until interrupted.

import { runSandbox as alpacaSandbox } from '../../venues/alpaca/fake/sandbox.ts';
import { runSandbox as binanceSandbox } from '../../venues/binance/fake/sandbox.ts';
import { runSandbox as coinbaseSandbox } from '../../venues/coinbase/fake/sandbox.ts';
import { defineCommand, EXIT, intFlag, untilAborted, usage } from '../cli-kit.ts';

/** The local fake venues `ordo sandbox` can start. */
const SANDBOXES: Readonly<
  Record<
    string,
    (o: { port: number; out?: { write(text: string): unknown } }) => Promise<{
      readonly urls: unknown;
      readonly credentials: unknown;
      stop(): Promise<void>;
    }>
  >
> = {
  binance: binanceSandbox,
  alpaca: alpacaSandbox,
  coinbase: coinbaseSandbox,
};

export const sandboxCommand = defineCommand({
  name: 'sandbox',
  summary: 'a local fake venue (binance, alpaca or coinbase) on 127.0.0.1 for offline testing',
  usage: `Usage:
  ordo sandbox ${Object.keys(SANDBOXES).join('|')} [--port N]

Starts a fake venue on 127.0.0.1 that speaks the venue's real REST and WebSocket wire format over a
synthetic market, and runs until interrupted (Ctrl-C).

Flags:
  --port N   the port to listen on (default: any free port, printed on start)
  --json     print the URLs and the sandbox's throwaway API keys as one JSON line`,
  examples: ['ordo sandbox binance', 'ordo sandbox coinbase --port 8081', 'ordo sandbox alpaca --json'],
  flags: { port: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ flags, positionals }, io) {
    const venue = positionals[0] ?? '';
    const start = SANDBOXES[venue];
    if (start === undefined)
      return usage(`unknown venue '${venue}'; expected ${Object.keys(SANDBOXES).join(', ')}`);
    const port = intFlag('port', flags.port, 0, { max: 65535 });
    if (!port.ok) return port.problem;
    // With --json the banner is one JSON line: its URLs and the throwaway keys the fake accepts.
    const box = await start({ port: port.value, out: flags.json ? { write: () => true } : io.stdout });
    if (flags.json)
      io.stdout.write(`${JSON.stringify({ venue, urls: box.urls, credentials: box.credentials })}\n`);
    await untilAborted(io.signal);
    await box.stop();
    return EXIT.ok;
  },
});
