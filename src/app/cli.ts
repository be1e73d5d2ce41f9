// The `ordo` command line: the paper demo session, the venue capability matrix and the local venue
// sandboxes. The service issue adds serve, paper, backtest, order, positions, trades and explain.

import { runSandbox as alpacaSandbox } from '../venues/alpaca/fake/sandbox.ts';
import { runSandbox as binanceSandbox } from '../venues/binance/fake/sandbox.ts';
import { runSandbox as coinbaseSandbox } from '../venues/coinbase/fake/sandbox.ts';
import { DEMO_DEFAULTS, runDemo } from './demo-session.ts';
import { venueMatrix } from './venue-matrix.ts';

const HELP = `ordo — an order management system for people who trade from code

Usage:
  ordo demo [--seed N] [--steps N]   run a paper session on a synthetic market with every order type
  ordo venues                        the capability matrix of every venue: what goes native, what
                                     Ordo emulates
  ordo sandbox VENUE [--port N]      a local fake venue (binance, alpaca or coinbase) on 127.0.0.1
                                     speaking its real wire format, with a synthetic market, for
                                     offline testing
  ordo --help                        this text

Examples:
  ordo demo
  ordo demo --seed 3 --steps 10000
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'demo') {
    let seed = DEMO_DEFAULTS.seed;
    let steps = DEMO_DEFAULTS.steps;
    for (let i = 0; i < rest.length; i += 2) {
      const flag = rest[i];
      const value = Number(rest[i + 1]);
      if ((flag !== '--seed' && flag !== '--steps') || !Number.isSafeInteger(value) || value < 0) {
        process.stderr.write(
          `ordo demo: ${flag ?? ''} ${rest[i + 1] ?? ''} is not understood; expected --seed N or --steps N\n`,
        );
        return 2;
      }
      if (flag === '--seed') seed = value;
      else steps = value;
    }
    process.stdout.write(`${runDemo({ ...DEMO_DEFAULTS, seed, steps }).report}\n`);
    return 0;
  }
  if (command === 'sandbox') return sandbox(rest);
  if (command === 'venues') {
    process.stdout.write(venueMatrix());
    return 0;
  }
  process.stderr.write(`ordo: unknown command ${command}\n\n${HELP}`);
  return 2;
}

/** The local fake venues `ordo sandbox` can start. */
const SANDBOXES: Readonly<Record<string, (o: { port: number }) => Promise<{ stop(): Promise<void> }>>> = {
  binance: binanceSandbox,
  alpaca: alpacaSandbox,
  coinbase: coinbaseSandbox,
};

/** `ordo sandbox VENUE [--port N]`: runs until interrupted. */
async function sandbox(args: readonly string[]): Promise<number> {
  const [venue, flag, value] = args;
  const port = flag === undefined ? 0 : Number(value);
  const start = venue === undefined ? undefined : SANDBOXES[venue];
  if (
    start === undefined ||
    (flag !== undefined && (flag !== '--port' || !Number.isSafeInteger(port) || port < 0))
  ) {
    process.stderr.write(
      `ordo sandbox: usage: ordo sandbox ${Object.keys(SANDBOXES).join('|')} [--port N]\n`,
    );
    return 2;
  }
  const box = await start({ port });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await box.stop();
  return 0;
}
