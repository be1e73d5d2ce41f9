// `ordo paper`: paper trading on a live public feed (Binance, Coinbase, Alpaca), a replayed file or
// the synthetic market, on Ordo's paper venue. With a strategy module it runs the strategy live;
// without one it just keeps the book. Headless it prints order events and fills as they happen
// (JSON lines with --json) and a summary when it stops; with --serve it runs the HTTP/WebSocket
// server (`ordo serve`) on the same feed instead, so orders can be placed through the API.
// It stops on Ctrl-C (SIGINT/SIGTERM), after --duration, or when a replayed file ends.

import { resolve } from 'node:path';
import { formatUnits, parseUnits } from '../../core/decimal.ts';
import { unwrap } from '../../core/errors.ts';
import type { OrdoEvent } from '../../engine/events.ts';
import type { Strategy } from '../../engine/strategy.ts';
import { SqliteJournal } from '../../journal/sqlite-journal.ts';
import {
  defineInstrument,
  FEE_PRESETS,
  formatMoney,
  formatPrice,
  formatQty,
  type Instrument,
  MONEY_SCALE,
  RATE_SCALE,
} from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import { DATA_FORMAT_NAMES, formatInstrument, guessFormat, parseFormat } from '../backtest/data-formats.ts';
import { computeStatistics, statisticsJson } from '../backtest/statistics.ts';
import { loadStrategy, StrategySession } from '../backtest/strategy-session.ts';
import {
  type CliIo,
  defineCommand,
  durationFlag,
  EXIT,
  fail,
  intFlag,
  keyValues,
  paramsFlag,
  type UsageProblem,
  usage,
} from '../cli-kit.ts';
import { DEFAULT_CONFIG, type OrdoConfig } from '../config.ts';
import { FileFeed } from '../feeds/file-feed.ts';
import { openAlpacaFeed, openBinanceFeed, openCoinbaseFeed } from '../feeds/venue-feeds.ts';
import { type MarketFeed, SyntheticFeed } from '../market-feed.ts';

const FEEDS = ['synthetic', 'binance', 'coinbase', 'alpaca', 'file:PATH'];
const CASH_DEFAULT = '100000';
const BAR_DEFAULT_MS = 60_000;

/** A feed ready to start, with the instrument the session trades and, for a file, its end. */
interface OpenedFeed {
  readonly feed: MarketFeed;
  readonly instrument: Instrument;
  readonly finished?: Promise<void>;
}

type FeedFlags = {
  feed?: string | undefined;
  format?: string | undefined;
  symbol?: string | undefined;
  tick?: string | undefined;
  lot?: string | undefined;
  speed?: string | undefined;
  seed?: string | undefined;
  'tick-ms'?: string | undefined;
  'rest-url'?: string | undefined;
  'stream-url'?: string | undefined;
};

async function openFeed(
  flags: FeedFlags,
  io: CliIo,
): Promise<
  { ok: true; value: OpenedFeed } | { ok: false; problem: UsageProblem } | { ok: false; unavailable: string }
> {
  const name = flags.feed ?? 'synthetic';
  if (name.startsWith('file:')) {
    const path = name.slice('file:'.length);
    const formatText = flags.format ?? guessFormat(path);
    if (formatText === undefined) return { ok: false, problem: usage(`--format is required for ${path}`) };
    const format = parseFormat(formatText);
    if (!format.ok)
      return { ok: false, problem: usage(`--format ${formatText}: ${format.error.issues[0]?.message}`) };
    const inst = formatInstrument(format.value, { symbol: flags.symbol, tick: flags.tick, lot: flags.lot });
    if (!inst.ok) return { ok: false, problem: usage(`--symbol/--tick/--lot: ${inst.error.message}`) };
    const speed = Number(flags.speed ?? '1');
    if (!(speed >= 0) || !Number.isFinite(speed))
      return { ok: false, problem: usage(`--speed ${flags.speed} is not a number >= 0`) };
    const feed = FileFeed.open({
      path: resolve(io.cwd, path),
      format: format.value,
      instrument: inst.value,
      speed,
      timestamps: speed > 0 ? 'wall' : 'data',
    });
    if (!feed.ok) return { ok: false, unavailable: feed.error.message };
    return { ok: true, value: { feed: feed.value, instrument: inst.value, finished: feed.value.finished } };
  }
  switch (name) {
    case 'synthetic': {
      const seed = intFlag('seed', flags.seed, 1);
      if (!seed.ok) return seed;
      const tickMs = intFlag('tick-ms', flags['tick-ms'], 250, { min: 1 });
      if (!tickMs.ok) return tickMs;
      const inst = defineInstrument({
        venue: 'paper',
        symbol: flags.symbol ?? 'BTC/USD',
        priceIncrement: flags.tick ?? '0.01',
        qtyIncrement: flags.lot ?? '0.0001',
        ...FEE_PRESETS.binance,
      });
      if (!inst.ok) return { ok: false, problem: usage(`--symbol/--tick/--lot: ${inst.error.message}`) };
      const feed = new SyntheticFeed({
        instruments: [inst.value],
        seed: seed.value,
        tickMs: tickMs.value,
        volatilityTicks: 1500,
        spreadTicks: 2,
        now: Date.now,
      });
      return { ok: true, value: { feed, instrument: inst.value } };
    }
    case 'binance':
    case 'coinbase':
    case 'alpaca': {
      const symbol = flags.symbol ?? (name === 'binance' ? 'BTC/USDT' : 'BTC/USD');
      const open =
        name === 'binance' ? openBinanceFeed : name === 'coinbase' ? openCoinbaseFeed : openAlpacaFeed;
      try {
        const feed = await open({
          symbols: [symbol],
          restUrl: flags['rest-url'],
          streamUrl: flags['stream-url'],
          env: io.env,
        });
        const instrument = feed.instruments[0];
        if (instrument === undefined) return { ok: false, unavailable: `${name} does not list ${symbol}` };
        return { ok: true, value: { feed, instrument } };
      } catch (e) {
        return { ok: false, unavailable: `cannot open the ${name} feed: ${(e as Error).message}` };
      }
    }
    default:
      return { ok: false, problem: usage(`--feed ${name} is not one of ${FEEDS.join(', ')}`) };
  }
}

export const paperCommand = defineCommand({
  name: 'paper',
  summary: 'paper trading on a live public feed, a replayed file or the synthetic market',
  usage: `Usage:
  ordo paper [--feed ${FEEDS.join('|')}] [--strategy MODULE] [--symbol S] [flags]

Trades on Ordo's paper venue against real-time prices. With --strategy the strategy runs live.
Headless (the default) it prints order events and fills as they happen and a summary when it
stops; with --serve it runs the HTTP/WebSocket server on the same feed. Stops on Ctrl-C, after
--duration, or at the end of a replayed file.

Flags:
  --feed F           synthetic (default; offline), binance, coinbase (public, no key), alpaca (needs
                     APCA_API_KEY_ID and APCA_API_SECRET_KEY), or file:PATH (a data file replayed)
  --symbol S         what to trade (default BTC/USD; BTC/USDT on binance); feeds take the venue's
                     own tick and lot sizes
  --strategy MODULE  a .ts/.js file exporting createStrategy(params)
  --param KEY=VALUE  a strategy parameter; repeat for more
  --bar DURATION     bar length for the strategy's onBar (default: the strategy's, else 1m)
  --cash D           starting cash in the quote currency (default ${CASH_DEFAULT})
  --duration D       stop after this long, e.g. 30s, 10m
  --journal PATH     journal every event to this SQLite file (must be new); default: none.
                     A headless session is not resumed after a restart; --serve is
  --speed N          file feeds: replay speed (1 = as recorded, 0 = as fast as possible; default 1)
  --format NAME      file feeds: ${DATA_FORMAT_NAMES.join(', ')}
  --tick D --lot D   synthetic and file feeds: price and quantity increments
  --seed N --tick-ms N  synthetic feed: seed (default 1) and milliseconds per step (default 250)
  --rest-url URL --stream-url URL  venue feeds: endpoint overrides (a testnet, a local sandbox)
  --serve            run the API server on this feed instead of headless (with --port, --data-dir)
  --port N           --serve: port (default 7878; 0 = any free port)
  --data-dir DIR     --serve: where the journal and the API token live (default ./data/paper)
  --json             events and the summary as JSON lines`,
  examples: [
    'ordo paper --strategy examples/strategies/breakout.ts --bar 10s',
    'ordo paper --feed binance --symbol BTC/USDT --strategy examples/strategies/trend-trailing.ts',
    'ordo paper --feed file:../shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz --speed 0 --strategy examples/strategies/breakout.ts --bar 5s --json',
    'ordo paper --feed coinbase --serve --port 7878',
  ],
  flags: {
    feed: { type: 'string' },
    format: { type: 'string' },
    symbol: { type: 'string' },
    tick: { type: 'string' },
    lot: { type: 'string' },
    speed: { type: 'string' },
    seed: { type: 'string' },
    'tick-ms': { type: 'string' },
    'rest-url': { type: 'string' },
    'stream-url': { type: 'string' },
    strategy: { type: 'string' },
    param: { type: 'string', multiple: true },
    bar: { type: 'string' },
    cash: { type: 'string' },
    duration: { type: 'string' },
    journal: { type: 'string' },
    serve: { type: 'boolean' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run({ flags }, io) {
    const params = paramsFlag(flags.param);
    if (!params.ok) return params.problem;
    const cash = flags.cash ?? CASH_DEFAULT;
    if (!/^\d+(\.\d+)?$/.test(cash)) return usage(`--cash ${cash} is not a decimal amount`);
    const duration = durationFlag('duration', flags.duration, 0);
    if (!duration.ok) return duration.problem;
    const port = intFlag('port', flags.port, DEFAULT_CONFIG.port, { max: 65535 });
    if (!port.ok) return port.problem;
    let strategy: Strategy | undefined;
    if (flags.strategy !== undefined) {
      const loaded = await loadStrategy(flags.strategy, io.cwd, params.value);
      if (!loaded.ok)
        return fail(
          io,
          'paper',
          loaded.error.message,
          loaded.error.code === 'unavailable' ? EXIT.unavailable : EXIT.failure,
        );
      strategy = loaded.value;
    }
    const bar = durationFlag('bar', flags.bar, strategy?.barMs ?? BAR_DEFAULT_MS, 1000);
    if (!bar.ok) return bar.problem;
    const opened = await openFeed(flags, io);
    if (!opened.ok)
      return 'problem' in opened ? opened.problem : fail(io, 'paper', opened.unavailable, EXIT.unavailable);
    const { feed, instrument } = opened.value;
    const out = new EventPrinter(io, instrument, flags.json);

    // Stop on whichever comes first: Ctrl-C, the duration, the end of a replayed file, a failure.
    const stops: Promise<string>[] = [
      new Promise((r) => io.signal.addEventListener('abort', () => r('interrupted'), { once: true })),
    ];
    let timer: NodeJS.Timeout | undefined;
    if (duration.value > 0)
      stops.push(new Promise((r) => (timer = setTimeout(() => r('duration'), duration.value))));
    if (opened.value.finished !== undefined) stops.push(opened.value.finished.then(() => 'end of file'));
    let failure: ((reason: string) => void) | undefined;
    stops.push(new Promise((r) => (failure = r)));

    if (flags.serve === true)
      return serveOnFeed({
        io,
        feed,
        instrument,
        strategy,
        params: params.value,
        barMs: bar.value,
        cash,
        port: port.value,
        dataDir: flags['data-dir'],
        stops,
        out,
        timer,
      });

    const journal =
      flags.journal === undefined ? undefined : SqliteJournal.open(resolve(io.cwd, flags.journal));
    if (journal !== undefined && journal.lastSeqSync() > 0) {
      await journal.close();
      return fail(io, 'paper', `journal ${flags.journal} already holds events; give a new --journal path`);
    }
    const session = new StrategySession({
      instrument,
      strategy,
      params: params.value,
      cash,
      barMs: bar.value,
      journal,
      // A headless session is not resumed (--serve is, from its own journal): no venue snapshots.
      checkpointVenue: false,
      log: (m, ts) => out.log(m, ts),
    });
    session.oms.on((e) => out.event(e));
    let failed: string | undefined;
    try {
      await feed.start((md: MarketData) => {
        if (failed !== undefined) return;
        try {
          session.feed(md);
        } catch (e) {
          failed = (e as Error).message;
          failure?.('failure');
        }
      });
    } catch (e) {
      await journal?.close();
      return fail(
        io,
        'paper',
        `cannot start the ${feed.name} feed: ${(e as Error).message}`,
        EXIT.unavailable,
      );
    }
    out.status(
      `paper trading ${instrument.symbol} on ${feed.name}${strategy === undefined ? '' : ` with ${strategy.name}`}`,
    );
    const reason = await Promise.race(stops);
    clearTimeout(timer);
    await feed.stop();
    session.finish(false);
    const st = session.oms.portfolio;
    const trips = session.oms.tradeLog.roundTrips();
    const statistics = computeStatistics({
      currency: instrument.quote,
      equityStart: session.equityStart,
      equityEnd: st.equity(instrument.quote),
      realizedPnl: st.realizedPnl(instrument.quote),
      fees: st.feesPaid(instrument.quote),
      drawdown: session.drawdown,
      periodCloses: session.periods.finish(),
      periodMs: bar.value,
      trips: trips.map((t) => ({ realizedNet: parseUnits(t.realizedNet, MONEY_SCALE) ?? 0n })),
      fills: session.oms.tradeLog.fills().length,
      orders: session.oms.getOrders().length,
    });
    await journal?.close();
    out.summary(reason, session.items, statistics, st.position(instrument.key)?.qty ?? '0');
    if (failed !== undefined) return fail(io, 'paper', `stopped: ${failed}`);
    return EXIT.ok;
  },
});

/** Prints events, log lines, and the summary: human lines, or JSON lines with --json. */
class EventPrinter {
  constructor(
    private readonly io: CliIo,
    private readonly inst: Instrument,
    private readonly json: boolean,
  ) {}

  private line(obj: Record<string, unknown>, text: string): void {
    if (this.json)
      this.io.stdout.write(`${JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
    else this.io.stdout.write(`${text}\n`);
  }

  private time = (ts: number) => new Date(ts).toISOString().slice(11, 23);

  status(message: string): void {
    this.line({ type: 'status', message }, message);
  }

  /** The server's address and where its API token is; the token itself only when just generated. */
  served(message: string, url: string, token: { source: string; token: string; path?: string }): void {
    const shown = token.source === 'generated' ? { token: token.token } : {};
    const where =
      token.source === 'generated'
        ? `API token ${token.token} (shown once; kept in ${token.path}, mode 0600)`
        : token.source === 'file'
          ? `API token in ${token.path}`
          : 'API token from ORDO_API_TOKEN';
    this.line({ type: 'status', message, url, tokenFile: token.path, ...shown }, `${message}\n  ${where}`);
  }

  log(message: string, ts: number): void {
    this.line({ type: 'log', ts, message }, `${this.time(ts)} strategy: ${message}`);
  }

  event(e: OrdoEvent): void {
    const p = (units: number | undefined) =>
      units === undefined ? undefined : formatPrice(this.inst, units);
    switch (e.type) {
      case 'order_created':
        this.line(
          {
            type: e.type,
            ts: e.ts,
            id: e.order.id,
            side: e.order.side,
            orderType: e.order.type,
            quantity: formatQty(this.inst, e.order.quantity),
            price: p(e.order.price),
            triggerPrice: p(e.order.triggerPrice),
            role: e.order.role,
            tag: e.order.tag,
          },
          `${this.time(e.ts)} order #${e.order.id} ${e.order.role} ${e.order.side} ${e.order.type} ${formatQty(this.inst, e.order.quantity)}${e.order.price === undefined ? '' : ` @ ${p(e.order.price)}`}${e.order.triggerPrice === undefined ? '' : ` trigger ${p(e.order.triggerPrice)}`}`,
        );
        return;
      case 'order_filled':
        this.line(
          {
            type: e.type,
            ts: e.ts,
            id: e.id,
            price: p(e.price),
            quantity: formatQty(this.inst, e.quantity),
            fee: formatUnits(e.fee, MONEY_SCALE, true),
            feeCurrency: e.feeCurrency,
            tradeId: e.tradeId,
          },
          `${this.time(e.ts)} fill  #${e.id} ${formatQty(this.inst, e.quantity)} @ ${p(e.price)} fee ${formatMoney(e.fee, 4)} ${e.feeCurrency}`,
        );
        return;
      case 'order_cancelled':
      case 'order_rejected':
      case 'order_expired':
      case 'order_triggered':
      case 'order_denied':
        this.line(
          { ...e, type: e.type },
          `${this.time(e.ts)} ${e.type.replace('order_', '')} #${e.id}${'reason' in e ? `: ${e.reason}` : ''}`,
        );
        return;
      default:
        return;
    }
  }

  summary(reason: string, items: number, s: ReturnType<typeof computeStatistics>, position: string): void {
    const j = statisticsJson(s);
    if (this.json) {
      this.line({ type: 'summary', stopped: reason, items, position, ...j }, '');
      return;
    }
    const money = (u: bigint) => `${formatMoney(u, 2)} ${s.currency}`;
    this.io.stdout.write(
      `\n${keyValues([
        ['stopped', reason],
        ['market items', String(items)],
        ['position', `${position} ${this.inst.base}`],
        ['equity', `${money(s.equityStart)} → ${money(s.equityEnd)}`],
        ['net P&L', money(s.netPnl)],
        ['fees', money(s.fees)],
        ['max drawdown', money(s.maxDrawdown)],
        ['trades', `${s.roundTrips} round trips, ${s.fills} fills, ${s.orders} orders`],
      ])}`,
    );
  }
}

/** Rate units as a fraction string (`100000` → `0.001`). */
const rateText = (units: number) => formatUnits(units, RATE_SCALE, true);

/**
 * `--serve`: the API server (`ordo serve`) trading on this feed. The service keeps instruments of
 * venue `paper`, so items from a venue feed are re-keyed to them; a strategy runs on the service's
 * own manager, told of each item after the service has fed it.
 */
async function serveOnFeed(o: {
  io: CliIo;
  feed: MarketFeed;
  instrument: Instrument;
  strategy: Strategy | undefined;
  params: Readonly<Record<string, string>>;
  barMs: number;
  cash: string;
  port: number;
  dataDir: string | undefined;
  stops: Promise<string>[];
  out: EventPrinter;
  timer: NodeJS.Timeout | undefined;
}): Promise<number> {
  const { serve } = await import('../serve.ts');
  const { StrategyRunner } = await import('../../engine/strategy.ts');
  const inst = o.instrument;
  const config: OrdoConfig = {
    ...DEFAULT_CONFIG,
    port: o.port,
    dataDir: resolve(o.io.cwd, o.dataDir ?? 'data/paper'),
    instruments: [
      {
        symbol: inst.symbol,
        kind: inst.kind,
        priceIncrement: formatPrice(inst, inst.priceIncrement),
        qtyIncrement: formatQty(inst, inst.qtyIncrement),
        feeMaker: rateText(inst.feeMaker),
        feeTaker: rateText(inst.feeTaker),
      },
    ],
    balances: { [inst.quote]: o.cash, [inst.base]: '0' },
  };
  const paperKey = `${config.venue}:${inst.symbol}`;
  const source = o.feed;
  const rekeyed: MarketFeed = {
    name: source.name,
    start: (onData) =>
      source.start((md) => onData(md.instrument === inst.key ? { ...md, instrument: paperKey } : md)),
    stop: () => source.stop(),
    connected: () => source.connected?.() ?? true,
  };
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve({
      config,
      env: o.io.env,
      pretty: o.io.stderr.isTTY === true,
      logDestination: o.io.stderr as NodeJS.WritableStream,
      feed: () => rekeyed,
    });
  } catch (e) {
    return fail(o.io, 'paper', `cannot start the server: ${(e as Error).message}`, EXIT.unavailable);
  }
  const service = server.service;
  let runner: InstanceType<typeof StrategyRunner> | undefined;
  if (o.strategy !== undefined) {
    const served =
      service.instruments.find((i) => i.key === paperKey) ??
      unwrap(
        defineInstrument({
          venue: 'paper',
          symbol: inst.symbol,
          priceIncrement: '0.01',
          qtyIncrement: '0.0001',
        }),
      );
    runner = new StrategyRunner(o.strategy, service.oms, {
      instrument: served,
      params: o.params,
      barMs: o.barMs,
      log: (m, ts) => o.out.log(m, ts),
    });
    const r = runner;
    service.onMarket((md) => r.onMarket(md));
  }
  service.oms.on((e) => o.out.event(e));
  o.out.served(
    `ordo paper is serving ${inst.symbol} on ${source.name} at ${server.url}`,
    server.url,
    server.token,
  );
  const reason = await Promise.race(o.stops);
  clearTimeout(o.timer);
  runner?.stop();
  await server.close();
  o.out.status(`stopped: ${reason}`);
  return EXIT.ok;
}
