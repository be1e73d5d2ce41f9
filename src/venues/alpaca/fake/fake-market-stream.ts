// Alpaca's market data stream (data stream v2 for stocks at `/v2/{iex|sip|delayed_sip|test}`, the
// v1beta3 crypto stream at `/v1beta3/crypto/us`), fed by the fake's feedQuote / feedTrade.
//
// - On connect: `[{"T":"success","msg":"connected"}]`. Auth `{"action":"auth","key":..,"secret":..}`
//   → `[{"T":"success","msg":"authenticated"}]`, or `[{"T":"error","code":402,"msg":"auth failed"}]`;
//   a second auth is 403 `already authenticated`; subscribing first is 401 `not authenticated`;
//   a message that is not JSON with a known action is 400 `invalid syntax`.
// - `{"action":"subscribe"|"unsubscribe","trades":[..],"quotes":[..],"bars":[..]}` (`"*"` for every
//   symbol) → `[{"T":"subscription",...}]` listing the channels of that feed.
// - Messages are JSON arrays of objects tagged `T` in TEXT frames: trades `t`, quotes `q`, minute
//   bars `b`, with prices and sizes as JSON numbers written from the exact decimals. Stock messages
//   carry exchange / conditions / tape fields (`x`, `c`, `z`); crypto trades carry `tks`.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AssetSpec } from './fake-assets.ts';
import type { KeyRing } from './fake-auth.ts';
import type { MinuteBar } from './fake-bars.ts';
import { dec, isoTime } from './fake-format.ts';
import { type RawJson, RawNumber, stringifyRaw } from './fake-raw-json.ts';

export type Feed = 'stocks' | 'crypto';

const STOCK_PATHS = ['/v2/iex', '/v2/sip', '/v2/delayed_sip', '/v2/test'];
const CRYPTO_PATHS = ['/v1beta3/crypto/us'];

/** Channels a subscription message lists, per feed; the fake sends trades, quotes and bars. */
const CHANNELS: Readonly<Record<Feed, readonly string[]>> = {
  stocks: [
    'trades',
    'quotes',
    'bars',
    'updatedBars',
    'dailyBars',
    'statuses',
    'lulds',
    'corrections',
    'cancelErrors',
  ],
  crypto: ['trades', 'quotes', 'orderbooks', 'bars', 'updatedBars', 'dailyBars'],
};

interface Session {
  readonly socket: WebSocket;
  readonly feed: Feed;
  authed: boolean;
  readonly subs: Map<string, Set<string>>;
}

/** The stream a path serves, or undefined. */
export function feedOfPath(path: string): Feed | undefined {
  if (STOCK_PATHS.includes(path)) return 'stocks';
  if (CRYPTO_PATHS.includes(path)) return 'crypto';
  return undefined;
}

export class MarketStream {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();

  constructor(
    private readonly keys: KeyRing,
    private readonly onError: (e: unknown) => void,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, feed: Feed): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, feed));
  }

  private onConnection(socket: WebSocket, feed: Feed): void {
    const subs = new Map<string, Set<string>>();
    for (const c of CHANNELS[feed]) subs.set(c, new Set());
    const s: Session = { socket, feed, authed: false, subs };
    this.sessions.add(s);
    socket.on('close', () => this.sessions.delete(s));
    socket.on('error', () => this.sessions.delete(s));
    socket.on('message', (data) => {
      try {
        this.onMessage(s, Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
      } catch (e) {
        this.onError(e);
      }
    });
    this.send(s, [{ T: 'success', msg: 'connected' }]);
  }

  private onMessage(s: Session, text: string): void {
    let m: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      m = v as Record<string, unknown>;
    } catch {
      this.send(s, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      return;
    }
    switch (m.action) {
      case 'auth': {
        if (s.authed) {
          this.send(s, [{ T: 'error', code: 403, msg: 'already authenticated' }]);
          return;
        }
        const r = this.keys.check(
          typeof m.key === 'string' ? m.key : undefined,
          typeof m.secret === 'string' ? m.secret : undefined,
        );
        s.authed = r.kind === 'ok';
        this.send(s, [
          s.authed ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' },
        ]);
        return;
      }
      case 'subscribe':
      case 'unsubscribe': {
        if (!s.authed) {
          this.send(s, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
          return;
        }
        for (const [channel, set] of s.subs) {
          const list = m[channel];
          if (list === undefined) continue;
          if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
            this.send(s, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
            return;
          }
          for (const sym of list as string[])
            if (m.action === 'subscribe') set.add(sym);
            else set.delete(sym);
        }
        const ack: Record<string, RawJson> = { T: 'subscription' };
        for (const [channel, set] of s.subs) ack[channel] = [...set];
        if (s.feed === 'stocks') {
          ack.corrections = [...(s.subs.get('trades') ?? [])];
          ack.cancelErrors = [...(s.subs.get('trades') ?? [])];
        }
        this.send(s, [ack]);
        return;
      }
      default:
        this.send(s, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    }
  }

  private send(s: Session, messages: readonly RawJson[]): void {
    if (s.socket.readyState === s.socket.OPEN) s.socket.send(stringifyRaw(messages));
  }

  private publish(asset: AssetSpec, channel: string, message: RawJson): void {
    const feed: Feed = asset.cls === 'crypto' ? 'crypto' : 'stocks';
    for (const s of this.sessions) {
      if (!s.authed || s.feed !== feed) continue;
      const set = s.subs.get(channel);
      if (set !== undefined && (set.has(asset.symbol) || set.has('*'))) this.send(s, [message]);
    }
  }

  trade(asset: AssetSpec, price: number, size: number, id: number, time: number): void {
    const inst = asset.instrument;
    const common = {
      T: 't',
      S: asset.symbol,
      p: new RawNumber(dec(price, inst.priceScale)),
      s: new RawNumber(dec(size, inst.qtyScale)),
      t: isoTime(time),
      i: id,
    };
    this.publish(
      asset,
      'trades',
      asset.cls === 'crypto' ? { ...common, tks: 'B' } : { ...common, x: 'V', c: ['@'], z: 'C' },
    );
  }

  quote(asset: AssetSpec, bid: number, bidSize: number, ask: number, askSize: number, time: number): void {
    const inst = asset.instrument;
    const p = (u: number) => new RawNumber(dec(u, inst.priceScale));
    const q = (u: number) => new RawNumber(dec(u, inst.qtyScale));
    const message: Record<string, RawJson> =
      asset.cls === 'crypto'
        ? {
            T: 'q',
            S: asset.symbol,
            bp: p(bid),
            bs: q(bidSize),
            ap: p(ask),
            as: q(askSize),
            t: isoTime(time),
          }
        : {
            T: 'q',
            S: asset.symbol,
            bx: 'V',
            bp: p(bid),
            bs: q(bidSize),
            ax: 'V',
            ap: p(ask),
            as: q(askSize),
            c: ['R'],
            t: isoTime(time),
            z: 'C',
          };
    this.publish(asset, 'quotes', message);
  }

  bar(b: MinuteBar): void {
    this.publish(b.asset, 'bars', {
      T: 'b',
      S: b.asset.symbol,
      o: new RawNumber(b.open),
      h: new RawNumber(b.high),
      l: new RawNumber(b.low),
      c: new RawNumber(b.close),
      v: new RawNumber(b.volume),
      t: isoTime(b.start).replace('.000000Z', 'Z'),
      n: b.trades,
      vw: new RawNumber(b.vwap),
    });
  }

  counts(): { connections: number; authenticated: number } {
    let authenticated = 0;
    for (const s of this.sessions) if (s.authed) authenticated++;
    return { connections: this.sessions.size, authenticated };
  }

  disconnectAll(): void {
    for (const s of this.sessions) s.socket.terminate();
    this.sessions.clear();
  }

  close(): void {
    this.disconnectAll();
    this.wss.close();
  }
}
