// The `ordo` command line: the paper demo session and the local venue sandboxes. The service issue
// adds serve, paper, backtest, order, positions, trades, venues and explain.

import { runSandbox } from '../venues/binance/fake/sandbox.ts';
import { DEMO_DEFAULTS, runDemo } from './demo-session.ts';

const HELP = `ordo — an order management system for people who trade from code

Usage:
  ordo demo [--seed N] [--steps N]   run a paper session on a synthetic market with every order type
  ordo sandbox binance [--port N]    a local fake Binance (REST, WebSocket API, market streams) on
                                     127.0.0.1 with a synthetic market, for offline testing
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
  process.stderr.write(`ordo: unknown command ${command}\n\n${HELP}`);
  return 2;
}

/** `ordo sandbox binance [--port N]`: runs until interrupted. */
async function sandbox(args: readonly string[]): Promise<number> {
  const [venue, flag, value] = args;
  const port = flag === undefined ? 0 : Number(value);
  if (
    venue !== 'binance' ||
    (flag !== undefined && (flag !== '--port' || !Number.isSafeInteger(port) || port < 0))
  ) {
    process.stderr.write('ordo sandbox: usage: ordo sandbox binance [--port N]\n');
    return 2;
  }
  const box = await runSandbox({ port });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await box.stop();
  return 0;
}
