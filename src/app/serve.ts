// `ordo serve` as a function: loads nothing itself (the config is given), opens the service (which
// resumes from the journal), starts the API server and the market feed, and returns a handle
// whose `close` shuts down gracefully: stop accepting connections, let in-flight requests finish,
// close stream clients, stop the feed, then flush and close the journal.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { SqliteIdempotencyStore } from '../api/idempotency-store.ts';
import { ApiServer } from '../api/server.ts';
import type { Instrument } from '../model/instrument.ts';
import { type ApiToken, loadOrCreateToken } from './api-token.ts';
import type { OrdoConfig } from './config.ts';
import type { MarketFeed } from './market-feed.ts';
import { IDEMPOTENCY_FILE, OrdoService } from './service.ts';

export interface ServeOptions {
  readonly config: OrdoConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Pretty, coloured logs (a terminal) or JSON lines. */
  readonly pretty: boolean;
  /** Where logs go; default stderr. */
  readonly logDestination?: NodeJS.WritableStream;
  readonly now?: () => number;
  readonly feed?: (instruments: readonly Instrument[], lastPrices: Record<string, number>) => MarketFeed;
}

export interface RunningServer {
  readonly url: string;
  readonly token: ApiToken;
  readonly service: OrdoService;
  readonly api: ApiServer;
  readonly log: Logger;
  close(): Promise<void>;
}

/** Paths pino replaces with `[redacted]`: the token and any key never reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
];

const VERBOSE = new Set(['debug', 'trace']);

export function createLogger(
  level: string,
  prettyOutput: boolean,
  destination?: NodeJS.WritableStream,
): Logger {
  const options = { level, redact: { paths: LOG_REDACT, censor: '[redacted]' }, base: { service: 'ordo' } };
  if (prettyOutput)
    return pino(
      options,
      pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        destination: destination ?? 2,
        sync: true,
      }),
    );
  return pino(options, destination ?? pino.destination({ fd: 2, sync: false }));
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const log = createLogger(config.logLevel, options.pretty, options.logDestination);
  const service = new OrdoService({
    config,
    now: options.now,
    feed: options.feed,
    log,
    version: packageVersion(),
  });
  const tokenResult = loadOrCreateToken(config.dataDir, options.env);
  if (!tokenResult.ok) {
    await service.stop();
    throw new Error(tokenResult.error.message);
  }
  const token = tokenResult.value;
  const api = new ApiServer(service, {
    token: token.token,
    idempotency: new SqliteIdempotencyStore(join(config.dataDir, IDEMPOTENCY_FILE)),
    // Fastify logs every request at info; the service keeps that for debug and trace.
    logger: log.child(
      { component: 'http' },
      { level: VERBOSE.has(config.logLevel) ? config.logLevel : 'warn' },
    ),
    webDist: config.webDist,
  });
  let url: string;
  try {
    url = await api.listen(config.host, config.port);
  } catch (e) {
    await api.close();
    await service.stop();
    throw e;
  }
  await service.start();
  log.info(
    {
      url,
      dataDir: config.dataDir,
      feed: service.feed.name,
      venue: config.venue,
      restoredEvents: service.restored.events,
      tokenFile: token.source === 'env' ? undefined : token.path,
    },
    'ordo serve is running',
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    service,
    api,
    log,
    close() {
      closing ??= (async () => {
        log.info({}, 'shutting down: draining requests, stopping the feed, closing the journal');
        await api.close();
        const seq = service.journalSeq();
        await service.stop();
        log.info({ seq }, 'stopped; the journal is closed');
        log.flush?.();
      })();
      return closing;
    },
  };
}
