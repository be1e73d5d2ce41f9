// `ordo sandbox alpaca`: a FakeAlpaca with throwaway credentials and a live synthetic market
// (data/synthetic.ts: a seeded random walk, a quote and a trade per step) on every asset, so a user
// can point an Alpaca client at it and trade offline. The printed credentials are generated for
// this run only; they open nothing but this fake.

import { randomBytes } from 'node:crypto';
import { parseUnits } from '../../../core/decimal.ts';
import { unwrap } from '../../../core/errors.ts';
import { syntheticMarket } from '../../../data/synthetic.ts';
import { defineInstrument } from '../../../model/instrument.ts';
import type { QuoteTick, TradeTick } from '../../../model/market.ts';
import { FakeAlpaca, type FakeAlpacaOptions, type FakeAlpacaUrls } from './fake-alpaca.ts';

export interface SandboxOptions {
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Seed of the synthetic market; default 1. */
  readonly seed?: number;
  /** Milliseconds between market steps; default 1000. */
  readonly tickMs?: number;
  /** First bid per symbol (decimal string); defaults for the default assets, else 100. */
  readonly startPrices?: Readonly<Record<string, string>>;
  /** Where the banner goes; default process.stdout. */
  readonly out?: { write(text: string): unknown };
  /** Further FakeAlpaca options (assets, balances, rate limits, …); keys add to the generated pair. */
  readonly fake?: FakeAlpacaOptions;
}

export interface SandboxCredentials {
  /** `APCA-API-KEY-ID`. */
  readonly keyId: string;
  /** `APCA-API-SECRET-KEY`. */
  readonly secretKey: string;
}

export interface Sandbox {
  readonly fake: FakeAlpaca;
  readonly urls: FakeAlpacaUrls;
  readonly credentials: SandboxCredentials;
  stop(): Promise<void>;
}

const DEFAULT_START: Readonly<Record<string, string>> = {
  'BTC/USD': '60000',
  'ETH/USD': '3000',
  AAPL: '190',
  SPY: '500',
};
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(alphabet: string, length: number): string {
  let s = '';
  for (const b of randomBytes(length)) s += alphabet[b % alphabet.length];
  return s;
}

export async function runSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // Paper key ids start with PK, as Alpaca's do.
  const credentials: SandboxCredentials = {
    keyId: `PK${randomText(UPPER, 18)}`,
    secretKey: randomText(ALNUM, 40),
  };
  const fake = new FakeAlpaca({
    ...options.fake,
    apiKeys: [...(options.fake?.apiKeys ?? []), credentials],
  });
  const urls = await fake.start({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const tickMs = options.tickMs ?? 1000;
  const starts = { ...DEFAULT_START, ...options.startPrices };
  const walks: {
    walk: Generator<QuoteTick | TradeTick, void, undefined>;
    key: string;
    pm: number;
    qm: number;
  }[] = [];
  let seed = options.seed ?? 1;
  for (const asset of fake.assets.list) {
    const inst = asset.instrument;
    // Equities walk on cents and whole shares; the fake's grid is finer (sub-dollar prices, fractions).
    const walkInst =
      asset.cls === 'us_equity'
        ? unwrap(
            defineInstrument({
              venue: inst.venue,
              symbol: inst.symbol,
              kind: 'equity',
              priceIncrement: '0.01',
              qtyIncrement: '1',
            }),
          )
        : inst;
    const start = starts[asset.symbol] ?? '100';
    const startUnits = parseUnits(start, walkInst.priceScale);
    if (startUnits === undefined)
      throw new Error(`sandbox: start price ${start} does not fit ${asset.symbol}`);
    const tick = walkInst.priceIncrement;
    const startPrice = Number(startUnits) - (Number(startUnits) % tick);
    const walk = syntheticMarket({
      instrument: walkInst,
      startPrice,
      seed: seed++,
      startMs: fake.now(),
      tickIntervalMs: tickMs,
      volatilityTicks: Math.max(1, Math.floor(startPrice / tick / 10_000)),
      spreadTicks: 1,
      sizeLotsMax:
        asset.cls === 'us_equity'
          ? 100
          : Math.max(1, Math.floor(10 ** walkInst.qtyScale / walkInst.qtyIncrement / 10)),
      band: {
        low: Math.max(tick, Math.floor(startPrice / 2 / tick) * tick),
        high: Math.floor((startPrice * 2) / tick) * tick,
        meanReversion: true,
      },
    });
    if (!walk.ok) throw new Error(`sandbox: ${walk.error.message}`);
    walks.push({
      walk: walk.value,
      key: inst.key,
      pm: 10 ** (inst.priceScale - walkInst.priceScale),
      qm: 10 ** (inst.qtyScale - walkInst.qtyScale),
    });
  }
  const advance = () => {
    for (const { walk, key, pm, qm } of walks)
      for (let i = 0; i < 2; i++) {
        const next = walk.next();
        if (next.done) continue;
        const md = next.value;
        const ts = fake.now();
        if (md.kind === 'quote')
          fake.feed({
            ...md,
            instrument: key,
            ts,
            bid: md.bid * pm,
            bidSize: md.bidSize * qm,
            ask: md.ask * pm,
            askSize: md.askSize * qm,
          });
        else fake.feed({ ...md, instrument: key, ts, price: md.price * pm, size: md.size * qm });
      }
  };
  advance();
  const timer = setInterval(advance, tickMs);
  const out = options.out ?? process.stdout;
  out.write(
    [
      'Ordo Alpaca sandbox (fake Alpaca Trading API v2, offline)',
      `  REST              ${urls.rest}/v2/...`,
      `  trade_updates     ${urls.ws}`,
      `  Market data       ${urls.marketData}/v2/iex (stocks)   ${urls.marketData}/v1beta3/crypto/us (crypto)`,
      `  Assets            ${fake.assets.list.map((a) => a.symbol).join(', ')}`,
      `  APCA-API-KEY-ID     ${credentials.keyId}`,
      `  APCA-API-SECRET-KEY ${credentials.secretKey}`,
      '  (throwaway credentials of this sandbox run)',
      '',
    ].join('\n'),
  );
  return {
    fake,
    urls,
    credentials,
    stop: async () => {
      clearInterval(timer);
      await fake.stop();
    },
  };
}
