// `ordo sandbox coinbase`: a FakeCoinbase with generated throwaway credentials and a live synthetic
// market (data/synthetic.ts: a seeded random walk, a quote and a trade per step) on every product,
// so a user can point a Coinbase Advanced Trade client at it and trade offline. Two keys are made,
// in the forms the Coinbase Developer Platform hands out: an ECDSA key (name
// `organizations/{org}/apiKeys/{id}`, secret a SEC1 `EC PRIVATE KEY` PEM → ES256) and an Ed25519
// key (name a key id, secret base64 of the 32-byte seed followed by the public key → EdDSA).

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { parseUnits } from '../../../core/decimal.ts';
import { syntheticMarket } from '../../../data/synthetic.ts';
import type { QuoteTick, TradeTick } from '../../../model/market.ts';
import { FakeCoinbase, type FakeCoinbaseOptions, type FakeCoinbaseUrls } from './fake-coinbase.ts';

/** How to run the sandbox; every field has a default. */
export interface SandboxOptions {
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Seed of the synthetic market; default 1. */
  readonly seed?: number;
  /** Milliseconds between market steps; default 1000. */
  readonly tickMs?: number;
  /** First bid per product (decimal string); defaults for BTC-USD and ETH-USD. */
  readonly startPrices?: Readonly<Record<string, string>>;
  /** Where the banner goes; default process.stdout. */
  readonly out?: { write(text: string): unknown };
  /** Further FakeCoinbase options (products, balances, rate limits, …); keys are added to the generated ones. */
  readonly fake?: FakeCoinbaseOptions;
}

/** Throwaway credentials the sandbox's fake accepts (printed on start). */
export interface SandboxCredentials {
  /** ECDSA (ES256) key name and its SEC1 PEM private key. */
  readonly ecKeyName: string;
  readonly ecPrivateKeyPem: string;
  /** Ed25519 (EdDSA) key name and its secret: base64 of seed ‖ public key (64 bytes). */
  readonly ed25519KeyName: string;
  readonly ed25519Secret: string;
}

/** A running sandbox. */
export interface Sandbox {
  readonly fake: FakeCoinbase;
  readonly urls: FakeCoinbaseUrls;
  readonly credentials: SandboxCredentials;
  stop(): Promise<void>;
}

const DEFAULT_START: Readonly<Record<string, string>> = { 'BTC-USD': '60000', 'ETH-USD': '3000' };

export async function runSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  const jwk = ed.privateKey.export({ format: 'jwk' });
  const edSecret = Buffer.concat([
    Buffer.from(jwk.d ?? '', 'base64url'),
    Buffer.from(jwk.x ?? '', 'base64url'),
  ]).toString('base64');
  const credentials: SandboxCredentials = {
    ecKeyName: `organizations/${randomUUID()}/apiKeys/${randomUUID()}`,
    ecPrivateKeyPem: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    ed25519KeyName: randomUUID(),
    ed25519Secret: edSecret,
  };
  const fake = new FakeCoinbase({
    ...options.fake,
    apiKeys: [
      ...(options.fake?.apiKeys ?? []),
      { name: credentials.ecKeyName, publicKey: ec.publicKey },
      { name: credentials.ed25519KeyName, publicKey: ed.publicKey },
    ],
  });
  const urls = await fake.start({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const tickMs = options.tickMs ?? 1000;
  const starts = { ...DEFAULT_START, ...options.startPrices };
  const walks: Generator<QuoteTick | TradeTick, void, undefined>[] = [];
  let seed = options.seed ?? 1;
  const products = fake.exchange.productList();
  for (const spec of products) {
    const inst = spec.instrument;
    const start = starts[spec.productId] ?? '100';
    const startUnits = parseUnits(start, inst.priceScale);
    if (startUnits === undefined)
      throw new Error(`sandbox: start price ${start} does not fit ${spec.productId}`);
    const startPrice = Number(startUnits) - (Number(startUnits) % inst.priceIncrement);
    const walk = syntheticMarket({
      instrument: inst,
      startPrice,
      seed: seed++,
      startMs: fake.now(),
      tickIntervalMs: tickMs,
      volatilityTicks: Math.max(1, Math.floor(startPrice / inst.priceIncrement / 10_000)),
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
  out.write(
    [
      'Ordo Coinbase sandbox (fake Coinbase Advanced Trade API, offline; throwaway credentials)',
      `  REST              ${urls.rest}   (JWT uri host: ${urls.origin.replace(/^http:\/\//, '')})`,
      `  User WebSocket    ${urls.ws}`,
      `  Market WebSocket  ${urls.marketData}`,
      `  Products          ${products.map((p) => p.productId).join(', ')}`,
      `  ES256 key name    ${credentials.ecKeyName}`,
      '  ES256 private key:',
      credentials.ecPrivateKeyPem.trimEnd(),
      `  EdDSA key name    ${credentials.ed25519KeyName}`,
      `  EdDSA secret      ${credentials.ed25519Secret}`,
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
