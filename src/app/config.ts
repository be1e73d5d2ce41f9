// The service's configuration: embedded defaults, then a JSON config file (`--config PATH` or
// ORDO_CONFIG), then ORDO_* environment variables, then command-line flags; later wins. Every
// value is checked and every bad one is named in one error. Secrets (venue keys, the API token)
// are never part of this object: they come from the environment or from a file that only its
// owner can read (see readSecretFile), and nothing here is ever printed with them.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { err, type FieldIssue, issuesError, ok, type Result } from '../core/errors.ts';

const Decimal = z.union([z.string().max(64), z.number()]);
const PerInstrument = <T extends z.ZodType>(t: T) =>
  z.strictObject({ default: t.optional(), byInstrument: z.record(z.string(), t).optional() });

const InstrumentConfig = z.strictObject({
  symbol: z.string().min(1).max(64),
  kind: z.enum(['crypto_spot', 'equity']).optional(),
  priceIncrement: z.string(),
  qtyIncrement: z.string(),
  qtyMin: z.string().optional(),
  notionalMin: z.string().optional(),
  feeMaker: z.string().optional(),
  feeTaker: z.string().optional(),
  /** First price of the synthetic feed. */
  startPrice: z.string().optional(),
});

export const ConfigSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(0).max(65_535),
  dataDir: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** The venue orders go to; `paper` (Ordo's simulated exchange) is the one the service runs. */
  venue: z.literal('paper'),
  /** Where prices come from: the synthetic market (live venue feeds run under `ordo paper`). */
  feed: z.strictObject({
    kind: z.enum(['synthetic']),
    tickMs: z.number().int().min(10).max(3_600_000),
    seed: z.number().int(),
    volatilityTicks: z.number().int().min(0).max(1_000_000),
    spreadTicks: z.number().int().min(1).max(1_000_000),
    /** Options of a non-synthetic feed (a file path, a stream name, ...). */
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  instruments: z.array(InstrumentConfig).min(1).max(100),
  /** Opening balances of the paper account: currency → amount. */
  balances: z.record(z.string(), Decimal),
  /** Which advanced orders the paper venue holds natively (the rest Ordo emulates). */
  paperNative: z.strictObject({
    stop: z.boolean(),
    stop_limit: z.boolean(),
    trailing_stop: z.boolean(),
    bracket: z.boolean(),
    oco: z.boolean(),
    oto: z.boolean(),
  }),
  /** Pre-trade risk limits (RiskLimits); absent limits are not checked. */
  risk: z.strictObject({
    orderQtyMax: PerInstrument(Decimal).optional(),
    orderNotionalMax: PerInstrument(Decimal).optional(),
    positionQtyMax: PerInstrument(Decimal).optional(),
    positionNotionalMax: PerInstrument(Decimal).optional(),
    openOrdersMax: z.number().int().min(0).optional(),
    priceBandBps: PerInstrument(z.number().int().min(0)).optional(),
    dailyLossMax: z.record(z.string(), Decimal).optional(),
    ordersPerSecondMax: z.number().int().min(1).optional(),
    tradingState: z.enum(['active', 'reduce_only', 'halted']).optional(),
  }),
  /** How often equity is sampled into the equity curve. */
  equitySampleMs: z.number().int().min(100).max(86_400_000),
  /** The dashboard's built files. */
  webDist: z.string(),
});

export type OrdoConfig = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: OrdoConfig = {
  host: '127.0.0.1',
  port: 7878,
  dataDir: './data',
  logLevel: 'info',
  venue: 'paper',
  feed: { kind: 'synthetic', tickMs: 500, seed: 1, volatilityTicks: 400, spreadTicks: 2 },
  instruments: [
    {
      symbol: 'BTC/USD',
      priceIncrement: '0.01',
      qtyIncrement: '0.0001',
      qtyMin: '0.0001',
      notionalMin: '5',
      feeMaker: '0.001',
      feeTaker: '0.001',
      startPrice: '45000',
    },
    {
      symbol: 'ETH/USD',
      priceIncrement: '0.01',
      qtyIncrement: '0.001',
      qtyMin: '0.001',
      notionalMin: '5',
      feeMaker: '0.001',
      feeTaker: '0.001',
      startPrice: '2500',
    },
  ],
  balances: { USD: '100000' },
  paperNative: { stop: true, stop_limit: true, trailing_stop: false, bracket: false, oco: true, oto: false },
  risk: { orderQtyMax: { default: '10' }, openOrdersMax: 5000, priceBandBps: { default: 1000 } },
  equitySampleMs: 5000,
  webDist: './web/dist',
};

/** The ORDO_* variables read, with the config key each sets (documented in docs/api.md). */
export const ENV_KEYS: readonly (readonly [string, string])[] = [
  ['ORDO_HOST', 'host'],
  ['ORDO_PORT', 'port'],
  ['ORDO_DATA_DIR', 'dataDir'],
  ['ORDO_LOG_LEVEL', 'logLevel'],
  ['ORDO_VENUE', 'venue'],
  ['ORDO_FEED', 'feed.kind'],
  ['ORDO_FEED_TICK_MS', 'feed.tickMs'],
  ['ORDO_FEED_SEED', 'feed.seed'],
  ['ORDO_RISK_ORDER_QTY_MAX', 'risk.orderQtyMax.default'],
  ['ORDO_RISK_OPEN_ORDERS_MAX', 'risk.openOrdersMax'],
  ['ORDO_RISK_PRICE_BAND_BPS', 'risk.priceBandBps.default'],
  ['ORDO_RISK_TRADING_STATE', 'risk.tradingState'],
  ['ORDO_WEB_DIST', 'webDist'],
];

/** Keys whose values are numbers in the config (environment values are text). */
const NUMERIC = new Set([
  'port',
  'feed.tickMs',
  'feed.seed',
  'risk.openOrdersMax',
  'risk.priceBandBps.default',
]);

export interface ConfigSources {
  /** A config file: `--config`, else ORDO_CONFIG. */
  readonly file?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Dotted key → value from command-line flags (`--port 0` → `port: 0`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly cwd: string;
}

export function loadConfig(src: ConfigSources): Result<OrdoConfig> {
  const issues: FieldIssue[] = [];
  let merged: Record<string, unknown> = structuredClone(DEFAULT_CONFIG) as Record<string, unknown>;
  const file = src.file ?? src.env.ORDO_CONFIG;
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(resolve(src.cwd, file), 'utf8');
    } catch (e) {
      return err(
        issuesError([
          { field: 'config', rule: 'readable', message: `cannot read ${file}: ${(e as Error).message}` },
        ]),
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return err(
        issuesError([
          { field: 'config', rule: 'json', message: `${file} is not JSON: ${(e as Error).message}` },
        ]),
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return err(
        issuesError([{ field: 'config', rule: 'object', message: `${file} must hold a JSON object` }]),
      );
    const { $comment: _c, ...rest } = parsed as Record<string, unknown>;
    merged = deepMerge(merged, rest);
  }
  for (const [name, key] of ENV_KEYS) {
    const v = src.env[name];
    if (v === undefined || v === '') continue;
    if (NUMERIC.has(key)) {
      if (!/^-?[0-9]{1,15}$/.test(v)) {
        issues.push({
          field: name,
          rule: 'integer',
          message: `must be a whole number, not ${JSON.stringify(v)}`,
        });
        continue;
      }
      setPath(merged, key, Number(v));
    } else setPath(merged, key, v);
  }
  for (const [key, v] of Object.entries(src.overrides ?? {})) if (v !== undefined) setPath(merged, key, v);
  const r = ConfigSchema.safeParse(merged);
  if (!r.success || issues.length > 0)
    return err(
      issuesError([
        ...issues,
        ...(r.success ? [] : r.error.issues).map((i) => ({
          field: i.path.map(String).join('.') || 'config',
          rule: i.code,
          message: i.message,
        })),
      ]),
    );
  const config = r.data;
  const symbols = new Set<string>();
  for (const [i, inst] of config.instruments.entries()) {
    if (symbols.has(inst.symbol))
      issues.push({
        field: `instruments.${i}.symbol`,
        rule: 'unique',
        message: `${inst.symbol} is listed twice`,
      });
    symbols.add(inst.symbol);
  }
  if (issues.length > 0) return err(issuesError(issues));
  return ok({
    ...config,
    dataDir: resolve(src.cwd, config.dataDir),
    webDist: resolve(src.cwd, config.webDist),
  });
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    // Lists and scalars replace; objects merge key by key (so a file can change one risk limit).
    out[k] = isPlainObject(b) && isPlainObject(v) && k !== 'balances' ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (!isPlainObject(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

/**
 * Reads a secret from a file only its owner can read or write (mode 0600 or 0400): a key or token
 * file that others can read is refused, as ssh does, rather than used.
 */
export function readSecretFile(path: string): Result<string> {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    return err(issuesError([{ field: path, rule: 'readable', message: (e as Error).message }]));
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    return err(
      issuesError([
        {
          field: path,
          rule: 'owner_only',
          message: `is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
        },
      ]),
    );
  return ok(readFileSync(path, 'utf8').trim());
}
