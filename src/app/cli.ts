// The `ordo` command line: a registry of commands (each in src/app/commands/, built with cli-kit.ts)
// and the dispatcher that picks one, handles `--help`, and maps Ctrl-C to an abort signal.
// To add a command: write it in src/app/commands/NAME.ts and add one line to COMMANDS below.

import { type CliIo, type Command, commandHelp, EXIT, EXIT_CODES_HELP } from './cli-kit.ts';
import { backtestCommand } from './commands/backtest.ts';
import { demoCommand } from './commands/demo.ts';
import { explainCommand } from './commands/explain.ts';
import { journalCommand } from './commands/journal.ts';
import { orderCommand } from './commands/order.ts';
import { paperCommand } from './commands/paper.ts';
import { positionsCommand } from './commands/positions.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { serveCommand } from './commands/serve.ts';
import { tradesCommand } from './commands/trades.ts';
import { venuesCommand } from './commands/venues.ts';

/** Every command, in the order `ordo --help` lists them. */
// biome-ignore format: one command per line, so adding a command is a one-line edit
export const COMMANDS: readonly Command[] = [
  serveCommand,
  orderCommand,
  positionsCommand,
  tradesCommand,
  demoCommand,
  paperCommand,
  backtestCommand,
  explainCommand,
  venuesCommand,
  journalCommand,
  sandboxCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `ordo — an order management system for people who trade from code

Usage:
  ordo COMMAND [flags]       run a command; every command takes --help and --json
  ordo COMMAND --help        the command's flags and examples

Commands:
${lines.join('\n')}

Examples:
  ordo demo
  ordo demo --seed 3 --steps 10000
  ordo paper --strategy examples/strategies/breakout.ts --bar 10s
  ordo backtest --data FILE.gz --strategy examples/strategies/trend-trailing.ts --report report.html
  ordo explain --type bracket --side buy --symbol BTC/USDT --qty 0.01 --price 60000 --take-profit 2% --stop-loss 1% --venue binance
  ordo venues --json
  ordo COMMAND --help

${EXIT_CODES_HELP}`;
}

/** Runs one command line with `io` and answers its exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic === undefined ? overview() : commandHelp(topic));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`ordo: unknown command '${name}'\n\n${overview()}`);
    return EXIT.usage;
  }
  return command.run(rest, io);
}

/** The process entry (bin/ordo.mjs): real stdio, and SIGINT/SIGTERM abort the running command. */
export async function main(argv: readonly string[]): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
