// `ordo sandbox binance`: a FakeBinance with generated credentials and a live synthetic market
// (data/synthetic.ts: a seeded random walk, a quote and a trade per step) on every symbol, so a user
// can point a Binance client at it and trade offline.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseUnits } from '../../../core/decimal.ts';
import { syntheticMarket } from '../../../data/synthetic.ts';
import type { QuoteTick, TradeTick } from '../../../model/market.ts';
import { FakeBinance, type FakeBinanceOptions, type FakeBinanceUrls } from './fake-binance.ts';

export interface SandboxOptions {
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Seed of the synthetic market; default 1. */
  readonly seed?: number;
  /** Milliseconds between market steps; default 1000. */
  readonly tickMs?: number;
  /** First bid per symbol (decimal string); defaults for BTCUSDT and ETHUSDT. */
  readonly startPrices?: Readonly<Record<string, string>>;
  /** Where the banner goes; default process.stdout. */
  readonly out?: { write(text: string): unknown };
  /** Further FakeBinance options (symbols, balances, rate limits, …); keys are added to the generated ones. */
  readonly fake?: FakeBinanceOptions;
}

export interface SandboxCredentials {
  /** HMAC key pair. */
  readonly apiKey: string;
  readonly secretKey: string;
  /** Ed25519 key (for session.logon and the user data stream). */
  readonly ed25519ApiKey: string;
  readonly ed25519PrivateKeyPem: string;
}

export interface Sandbox {
  readonly fake: FakeBinance;
  readonly urls: FakeBinanceUrls;
  readonly credentials: SandboxCredentials;
  stop(): Promise<void>;
}

const DEFAULT_START: Readonly<Record<string, string>> = { BTCUSDT: '60000', ETHUSDT: '3000' };
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomKey(length = 64): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return s;
}

export async function runSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ed = generateKeyPairSync('ed25519');
  const credentials: SandboxCredentials = {
    apiKey: randomKey(),
    secretKey: randomKey(),
    ed25519ApiKey: randomKey(),
    ed25519PrivateKeyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const fake = new FakeBinance({
    ...options.fake,
    apiKeys: [
      ...(options.fake?.apiKeys ?? []),
      { apiKey: credentials.apiKey, hmacSecret: credentials.secretKey },
      {
        apiKey: credentials.ed25519ApiKey,
        ed25519PublicKeyPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
  });
  const urls = await fake.start({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const tickMs = options.tickMs ?? 1000;
  const starts = { ...DEFAULT_START, ...options.startPrices };
  const walks: Generator<QuoteTick | TradeTick, void, undefined>[] = [];
  let seed = options.seed ?? 1;
  for (const info of fake.exchange.symbols()) {
    const inst = info.instrument;
    const start = starts[info.symbol] ?? '100';
    const startUnits = parseUnits(start, inst.priceScale);
    if (startUnits === undefined)
      throw new Error(`sandbox: start price ${start} does not fit ${info.symbol}`);
    const startPrice = Number(startUnits) - (Number(startUnits) % inst.priceIncrement);
    const ticks = Math.max(1, Math.floor(startPrice / inst.priceIncrement / 10_000));
    const walk = syntheticMarket({
      instrument: inst,
      startPrice,
      seed: seed++,
      startMs: fake.now(),
      tickIntervalMs: tickMs,
      volatilityTicks: ticks,
      spreadTicks: 1,
      sizeLotsMax: Math.max(1, Math.floor(10 ** inst.qtyScale / inst.qtyIncrement / 10)),
      band: {
        low: Math.max(
          inst.priceIncrement,
          Math.floor(startPrice / 2 / inst.priceIncrement) * inst.priceIncrement,
        ),
        high: Math.floor((startPrice * 2) / inst.priceIncrement) * inst.priceIncrement,
        meanReversion: true,
      },
    });
    if (!walk.ok) throw new Error(`sandbox: ${walk.error.message}`);
    walks.push(walk.value);
  }
  const step = () => {
    for (const w of walks)
      for (let i = 0; i < 2; i++) {
        const next = w.next();
        if (!next.done) fake.feed(next.value);
      }
  };
  step();
  const timer = setInterval(step, tickMs);
  const out = options.out ?? process.stdout;
  const symbols = fake.exchange.symbols().map((s) => s.symbol);
  out.write(
    [
      'Ordo Binance sandbox (fake Binance Spot API, offline)',
      `  REST            ${urls.rest}`,
      `  WebSocket API   ${urls.wsApi}`,
      `  Market streams  ${urls.stream}/ws/<symbol>@trade   ${urls.stream}/stream?streams=<a>/<b>`,
      `  Symbols         ${symbols.join(', ')}`,
      `  API key         ${credentials.apiKey}`,
      `  Secret key      ${credentials.secretKey}`,
      `  Ed25519 API key ${credentials.ed25519ApiKey}`,
      '  Ed25519 private key:',
      credentials.ed25519PrivateKeyPem.trimEnd(),
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
