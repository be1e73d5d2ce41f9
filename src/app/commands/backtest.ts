// `ordo backtest`: replays a data file through a strategy module on the paper venue, in the data's
// own time, journaling every event to a SQLite file; prints a summary (P&L, drawdown, win rate,
// Sharpe, fees, trades) and writes an HTML report when asked.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatMoney } from '../../model/instrument.ts';
import { runBacktest } from '../backtest/backtest-runner.ts';
import {
  DATA_FORMAT_NAMES,
  DATA_FORMATS,
  formatInstrument,
  guessFormat,
  parseFormat,
} from '../backtest/data-formats.ts';
import { renderReport } from '../backtest/html-report.ts';
import { statisticsJson } from '../backtest/statistics.ts';
import { loadStrategy } from '../backtest/strategy-session.ts';
import {
  type CliIo,
  defineCommand,
  durationFlag,
  EXIT,
  fail,
  keyValues,
  paramsFlag,
  progressBar,
  usage,
  writeJson,
} from '../cli-kit.ts';

const BAR_DEFAULT_MS = 60_000;
const CASH_DEFAULT = '100000';

export const backtestCommand = defineCommand({
  name: 'backtest',
  summary: 'replay a data file through a strategy module; summary and HTML report',
  usage: `Usage:
  ordo backtest --data FILE --strategy MODULE [--format NAME] [--report out.html] [flags]

Replays FILE through the strategy on the paper venue in the data's own time (deterministic: the same
inputs give the same fills), journaling every event to a SQLite file, then closes what is open and
prints P&L, max drawdown, win rate, Sharpe, fees and trades. A progress bar shows on stderr when it
is a terminal.

Flags:
  --data FILE        the market data file (required)
  --format NAME      ${DATA_FORMAT_NAMES.join(', ')}
                     (default: binance-capture for .gz files)
  --strategy MODULE  a .ts/.js file exporting createStrategy(params) (required)
  --param KEY=VALUE  a strategy parameter; repeat for more
  --symbol S         the instrument, e.g. ETH/USDT (default per format: BTC/USDT for binance-capture)
  --tick D --lot D   price and quantity increments (default per format)
  --cash D           starting cash in the quote currency (default ${CASH_DEFAULT})
  --bar DURATION     bar length for onBar and for Sharpe periods, e.g. 5s, 1m (default: the strategy's, else 1m)
  --journal PATH     the SQLite journal to write; must be new (default: data/backtests/DATA.STRATEGY.db, replaced)
  --report FILE      write a self-contained HTML report (equity curve, fills on the price chart)
  --keep-open        do not close the position at the end
  --quiet            do not print the strategy's log lines on stderr
  --json             the summary as JSON (money as exact decimal strings)

Formats:
${DATA_FORMAT_NAMES.map((n) => `  ${n.padEnd(21)}${DATA_FORMATS[n].describe}`).join('\n')}`,
  examples: [
    'ordo backtest --data ../shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz --strategy examples/strategies/breakout.ts --bar 5s --param lookback=12 --report backtest.html',
    'ordo backtest --data ftx.csv --format ftx-bars-1m --strategy examples/strategies/trend-trailing.ts --param quantity=0.1 --json',
  ],
  flags: {
    data: { type: 'string' },
    format: { type: 'string' },
    strategy: { type: 'string' },
    param: { type: 'string', multiple: true },
    symbol: { type: 'string' },
    tick: { type: 'string' },
    lot: { type: 'string' },
    cash: { type: 'string' },
    bar: { type: 'string' },
    journal: { type: 'string' },
    report: { type: 'string' },
    'keep-open': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run({ flags }, io) {
    if (flags.data === undefined) return usage('--data FILE is required');
    if (flags.strategy === undefined) return usage('--strategy MODULE is required');
    const formatText = flags.format ?? guessFormat(flags.data);
    if (formatText === undefined) return usage(`--format is required for ${flags.data}`);
    const format = parseFormat(formatText);
    if (!format.ok) return usage(`--format ${formatText}: ${format.error.issues[0]?.message}`);
    const params = paramsFlag(flags.param);
    if (!params.ok) return params.problem;
    const cash = flags.cash ?? CASH_DEFAULT;
    if (!/^\d+(\.\d+)?$/.test(cash)) return usage(`--cash ${cash} is not a decimal amount`);
    const inst = formatInstrument(format.value, { symbol: flags.symbol, tick: flags.tick, lot: flags.lot });
    if (!inst.ok) return usage(`--symbol/--tick/--lot: ${inst.error.message}`);
    const dataPath = resolve(io.cwd, flags.data);
    if (!existsSync(dataPath))
      return fail(io, 'backtest', `no such data file: ${flags.data}`, EXIT.unavailable);

    const log = flags.quiet === true ? undefined : strategyLog(io);
    const strategy = await loadStrategy(flags.strategy, io.cwd, params.value);
    if (!strategy.ok)
      return fail(
        io,
        'backtest',
        strategy.error.message,
        strategy.error.code === 'unavailable' ? EXIT.unavailable : EXIT.failure,
      );
    const bar = durationFlag('bar', flags.bar, strategy.value.barMs ?? BAR_DEFAULT_MS, 1000);
    if (!bar.ok) return bar.problem;
    const journalPath =
      flags.journal === undefined
        ? resolve(io.cwd, 'data', 'backtests', `${basename(flags.data)}.${strategy.value.name}.db`)
        : resolve(io.cwd, flags.journal);

    const progress = progressBar(io, 'backtest');
    const started = performance.now();
    let result: Awaited<ReturnType<typeof runBacktest>>;
    try {
      result = await runBacktest({
        dataPath,
        format: format.value,
        instrument: inst.value,
        strategy: strategy.value,
        params: params.value,
        barMs: bar.value,
        cash,
        journalPath,
        replaceJournal: flags.journal === undefined,
        flatten: flags['keep-open'] !== true,
        onProgress: progress.update,
        log,
      });
    } catch (e) {
      // A strategy that throws stops the replay; what was journaled until then stays readable.
      progress.end();
      return fail(io, 'backtest', `the run stopped: ${(e as Error).message}`);
    }
    progress.end();
    if (!result.ok)
      return fail(
        io,
        'backtest',
        result.error.message,
        result.error.code === 'unavailable' ? EXIT.unavailable : EXIT.failure,
      );
    const r = result.value;
    const seconds = (performance.now() - started) / 1000;
    let reportPath: string | undefined;
    if (flags.report !== undefined) {
      reportPath = resolve(io.cwd, flags.report);
      mkdirSync(dirname(reportPath), { recursive: true });
      writeFileSync(reportPath, renderReport(r));
    }
    const s = statisticsJson(r.statistics);
    if (flags.json) {
      writeJson(io, {
        strategy: r.strategy,
        data: flags.data,
        format: r.format,
        symbol: r.instrument.symbol,
        items: r.items,
        from: r.firstMs === undefined ? null : new Date(r.firstMs).toISOString(),
        to: r.lastMs === undefined ? null : new Date(r.lastMs).toISOString(),
        barMs: bar.value,
        ...s,
        journal: r.journalPath,
        journalEvents: r.journalEvents,
        report: reportPath ?? null,
        notes: r.notes,
      });
      return EXIT.ok;
    }
    const st = r.statistics;
    const money = (units: bigint) => `${formatMoney(units, 2)} ${st.currency}`;
    io.stdout.write(
      keyValues([
        ['strategy', r.strategy],
        ['data', `${flags.data} (${r.format}, ${r.items} items, ${seconds.toFixed(1)} s)`],
        ['period', `${iso(r.firstMs)} → ${iso(r.lastMs)}`],
        ['net P&L', money(st.netPnl)],
        ['realized P&L', `${money(st.realizedPnl)} before fees`],
        ['fees', money(st.fees)],
        ['max drawdown', `${money(st.maxDrawdown)} (${(st.maxDrawdownRatio * 100).toFixed(3)} %)`],
        [
          'win rate',
          st.winRate === undefined
            ? '— (no closed trade)'
            : `${(st.winRate * 100).toFixed(1)} % (${st.wins} won, ${st.losses} lost)`,
        ],
        [
          'sharpe',
          st.sharpe === undefined
            ? '—'
            : `${st.sharpe.toFixed(2)} (annualised, ${bar.value / 1000}s periods)`,
        ],
        ['trades', `${st.roundTrips} round trips, ${st.fills} fills, ${st.orders} orders`],
        ['journal', `${r.journalPath} (${r.journalEvents} events)`],
        ...(reportPath === undefined ? [] : [['report', reportPath] as [string, string]]),
        ...r.notes.map((n) => ['note', n] as [string, string]),
      ]),
    );
    return EXIT.ok;
  },
});

const iso = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toISOString());

/** The strategy's log lines on stderr, stamped with the data's time (over the progress bar's line). */
function strategyLog(io: CliIo): (message: string, ts: number) => void {
  const clear = io.stderr.isTTY === true ? '\r\x1b[K' : '';
  return (message, ts) => io.stderr.write(`${clear}${iso(ts)} ${message}\n`);
}
