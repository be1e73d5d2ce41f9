// A real `ordo serve` in the test process: the service on a temporary data directory with a real
// SQLite journal, the API on 127.0.0.1 port 0, and a market feed the test drives by hand, so every
// price is chosen by the test. Also a small WebSocket stream client that collects messages.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { StreamMessage } from '../../src/api/contract.ts';
import { DEFAULT_CONFIG, type OrdoConfig } from '../../src/app/config.ts';
import type { MarketFeed } from '../../src/app/market-feed.ts';
import { type RunningServer, serve } from '../../src/app/serve.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import type { MarketData } from '../../src/model/market.ts';
import { until } from './until.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A feed that delivers what the test pushes. */
export class ManualFeed implements MarketFeed {
  readonly name = 'manual';
  private onData: ((md: MarketData) => void) | undefined;
  instruments: readonly Instrument[] = [];
  async start(onData: (md: MarketData) => void): Promise<void> {
    this.onData = onData;
  }
  async stop(): Promise<void> {
    this.onData = undefined;
  }
  push(md: MarketData): void {
    this.onData?.(md);
  }
  /** A quote around `price` and a trade at it (price in whole dollars, BTC/USD units). */
  trade(price: number, symbol = 'BTC/USD', sizeLots = 10_000): void {
    const key = `paper:${symbol}`;
    const units = Math.round(price * 100);
    const ts = Date.now();
    this.push({
      kind: 'quote',
      instrument: key,
      ts,
      bid: units - 1,
      bidSize: 100_000,
      ask: units + 1,
      askSize: 100_000,
    });
    this.push({
      kind: 'trade',
      instrument: key,
      ts,
      price: units,
      size: sizeLots,
      aggressor: undefined,
      tradeId: undefined,
    });
  }
}

export interface Harness {
  readonly server: RunningServer;
  readonly url: string;
  readonly feed: ManualFeed;
  readonly dataDir: string;
  /** fetch with the token (unless `auth: false`) and a JSON body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: boolean; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and assert on them
  ): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  close(): Promise<void>;
  /** Closes and removes the data directory. */
  dispose(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ordo-api-'));
}

export async function startHarness(
  options: { dataDir?: string; config?: Partial<OrdoConfig> } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDataDir();
  const feed = new ManualFeed();
  const config: OrdoConfig = {
    ...DEFAULT_CONFIG,
    webDist: join(dataDir, 'no-web'),
    ...options.config,
    port: 0,
    dataDir,
    logLevel: 'silent',
  };
  const server = await serve({
    config,
    env: { ORDO_API_TOKEN: TEST_TOKEN },
    pretty: false,
    feed: (instruments) => {
      feed.instruments = instruments;
      return feed;
    },
  });
  const url = server.url;
  let closed = false;
  const h: Harness = {
    server,
    url,
    feed,
    dataDir,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.auth !== false) headers.authorization = `Bearer ${TEST_TOKEN}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text, headers: res.headers };
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
    async dispose() {
      await h.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A stream client that keeps every message it receives. */
export class StreamClient {
  readonly messages: StreamMessage[] = [];
  readonly ws: WebSocket;
  private opened: Promise<void>;

  constructor(url: string, query = '', protocols?: string[], headers?: Record<string, string>) {
    const wsUrl = `${url.replace(/^http/, 'ws')}/v1/stream${query}`;
    this.ws = new WebSocket(wsUrl, protocols ?? ['ordo.v1', `bearer.${TEST_TOKEN}`], { headers });
    this.ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as StreamMessage));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  open(): Promise<void> {
    return this.opened;
  }

  async waitFor(pred: (m: StreamMessage) => boolean, what: string, timeoutMs = 5000): Promise<StreamMessage> {
    await until(() => this.messages.some(pred), what, timeoutMs);
    return this.messages.find(pred)!;
  }

  /** The highest seq of an order, list or fill message. */
  lastEventSeq(): number {
    let seq = 0;
    for (const m of this.messages)
      if ((m.kind === 'order' || m.kind === 'list' || m.kind === 'fill') && m.seq > seq) seq = m.seq;
    return seq;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
