// The event stream behind `GET /v1/stream`. Every engine event becomes one or more messages
// numbered with the event's journal sequence number (events are journaled one to one and in
// order, so the hub counts them from the journal's last seq at start). Recent messages stay in a
// ring; a client that reconnects with `?since=SEQ` gets every message after SEQ from the ring, or
// rebuilt from the journal when the ring no longer reaches back that far, and then the live
// stream. Messages of one engine input are sent after the input returns, when its events are
// durable: a client never sees an event a crash could take back.
//
// Positions, the account, trades and candles are state, not history: they carry the seq of the
// latest event when sent, are not kept in the ring, and after a resume the current position and
// account are sent instead.

import type { WebSocket } from 'ws';
import type { OrdoEvent } from '../engine/events.ts';
import type { FillRecord } from '../engine/trade-log.ts';
import { formatPrice, formatQty, type Instrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import { isTerminal } from '../model/status.ts';
import type { ApiBackend } from './api-backend.ts';
import { CANDLE_INTERVALS, type CandleBook, type CandleInterval } from './candle-book.ts';
import type { StreamMessage } from './contract.ts';
import { eventJson, type InstrumentLookup } from './event-json.ts';
import { accountView } from './views.ts';

export const STREAM_LIMITS = Object.freeze({
  /** Messages kept for resume in memory. */
  ringMessagesMax: 20_000,
  /** Furthest back a resume may reach through the journal; beyond it the client gets `reset`. */
  replayEventsMax: 200_000,
  /** A client this far behind (bytes queued) is disconnected; it resumes with `since`. */
  clientBufferedBytesMax: 8 * 1024 * 1024,
  /** How often positions and the account are sent while clients are connected. */
  stateIntervalMs: 1000,
});

export type StreamLimits = { readonly [K in keyof typeof STREAM_LIMITS]: number };

interface Client {
  readonly ws: WebSocket;
  readonly market: boolean;
}

interface RingEntry {
  readonly seq: number;
  readonly text: string;
}

export class StreamHub {
  private seqNow: number;
  private readonly ring: RingEntry[] = [];
  private ringStart = 0;
  /** Every message with a seq at or above this is in the ring. */
  private ringFloor: number;
  private readonly clients = new Set<Client>();
  private pending: RingEntry[] = [];
  private flushQueued = false;
  private readonly look: InstrumentLookup;
  private readonly trailingStops = new Map<number, string | undefined>();
  private readonly unsubscribe: (() => void)[] = [];
  private stateTimer: NodeJS.Timeout | undefined;
  /** Messages sent (to all clients), for metrics. */
  sent = 0;

  constructor(
    private readonly backend: ApiBackend,
    private readonly candles: CandleBook,
    private readonly limits: StreamLimits = STREAM_LIMITS,
  ) {
    const oms = backend.oms;
    this.seqNow = backend.journalSeq();
    this.ringFloor = this.seqNow + 1;
    const byKey = new Map(backend.instruments.map((i) => [i.key, i]));
    this.look = {
      ofOrder: (id) => oms.engine.state.orders.get(id as never)?.instrument,
      byKey: (key) => byKey.get(key),
    };
    for (const o of oms.getActiveOrders())
      if (o.type === 'trailing_stop') this.trailingStops.set(o.id, o.stopPrice);
    this.unsubscribe.push(oms.on((e) => this.onEvent(e)));
    this.unsubscribe.push(backend.onMarket((md) => this.onMarket(md)));
    this.stateTimer = setInterval(() => this.sendState(), this.limits.stateIntervalMs);
    this.stateTimer.unref();
  }

  /** The journal seq of the latest event. */
  get seq(): number {
    return this.seqNow;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Adds a connected client: hello, what it missed since `since` (when given), then live. */
  attach(ws: WebSocket, since: number | undefined, market: boolean): void {
    const client: Client = { ws, market };
    // Whatever an input still has queued is sent first, so the replay below ends where live begins.
    this.flush();
    this.send(client, JSON.stringify({ kind: 'hello', seq: this.seqNow, resumedFrom: since }));
    if (since !== undefined) this.replay(client, since);
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    if (this.stateTimer !== undefined) clearInterval(this.stateTimer);
    this.flush();
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    this.clients.clear();
  }

  // ---- engine events ----------------------------------------------------------------------------

  private onEvent(e: OrdoEvent): void {
    const seq = ++this.seqNow;
    for (const m of this.messagesOf(e, seq)) this.queue(seq, JSON.stringify(m));
    if (e.type === 'order_filled' && this.clients.size > 0) {
      // Position and account move with every fill: sent with it, not kept for replay.
      const inst = this.look.ofOrder(e.id);
      const pos = inst === undefined ? undefined : this.backend.oms.portfolio.position(inst.key);
      if (pos !== undefined) this.queueState(JSON.stringify({ kind: 'position', seq, position: pos }));
      this.queueState(this.accountText(seq));
    }
  }

  /** The messages one event becomes, with views as they are now. */
  private messagesOf(e: OrdoEvent, seq: number): StreamMessage[] {
    const oms = this.backend.oms;
    if (e.type === 'list_created') {
      const list = oms.getList(e.list.id);
      return list === undefined ? [] : [{ kind: 'list', seq, event: eventJson(e, this.look), list }];
    }
    if (e.type === 'watermark_moved') return this.trailingMoves(e.instrument, seq);
    const order = oms.getOrder(e.type === 'order_created' ? e.order.id : e.id)?.snapshot();
    if (order === undefined) return [];
    if (e.type === 'order_created' && order.type === 'trailing_stop')
      this.trailingStops.set(order.id, order.stopPrice);
    else if (isTerminal(order.status)) this.trailingStops.delete(order.id);
    const event = eventJson(e, this.look);
    if (e.type === 'order_filled') {
      const fill: FillRecord = {
        seq,
        ts: e.ts,
        orderId: e.id,
        venue: order.venue,
        symbol: order.symbol,
        side: order.side,
        price: event.price as string,
        quantity: event.quantity as string,
        fee: event.fee as string,
        feeCurrency: e.feeCurrency,
        liquidity: e.liquidity,
        tradeId: e.tradeId,
        tag: order.tag,
      };
      return [{ kind: 'fill', seq, event, fill, order }];
    }
    return [{ kind: 'order', seq, event, order }];
  }

  /** A watermark moved: the trailing stops on that instrument whose stop price changed. */
  private trailingMoves(instrumentKey: string, seq: number): StreamMessage[] {
    const out: StreamMessage[] = [];
    const oms = this.backend.oms;
    for (const [id, last] of this.trailingStops) {
      const o = oms.getOrder(id as never);
      if (o === undefined || isTerminal(o.status)) {
        this.trailingStops.delete(id);
        continue;
      }
      if (`${o.venue}:${o.symbol}` !== instrumentKey) continue;
      const stop = o.stopPrice;
      if (stop === last) continue;
      this.trailingStops.set(id, stop);
      out.push({
        kind: 'order',
        seq,
        event: { type: 'stop_moved', ts: oms.nowMs, id, stopPrice: stop },
        order: o.snapshot(),
      });
    }
    return out;
  }

  // ---- market data ------------------------------------------------------------------------------

  private onMarket(md: MarketData): void {
    const book = this.candles.apply(md);
    if (book === undefined || this.clients.size === 0) return;
    const inst: Instrument = book.inst;
    const seq = this.seqNow;
    const texts: string[] = [];
    if (md.kind === 'trade')
      texts.push(
        JSON.stringify({
          kind: 'trade',
          seq,
          venue: inst.venue,
          symbol: inst.symbol,
          ts: md.ts,
          price: formatPrice(inst, md.price),
          size: formatQty(inst, md.size),
        }),
      );
    for (const interval of Object.keys(CANDLE_INTERVALS) as CandleInterval[]) {
      const candle = this.candles.latest(inst.key, interval);
      if (candle !== undefined)
        texts.push(
          JSON.stringify({ kind: 'candle', seq, venue: inst.venue, symbol: inst.symbol, interval, candle }),
        );
    }
    for (const c of this.clients) if (c.market) for (const t of texts) this.send(c, t);
  }

  // ---- sending ----------------------------------------------------------------------------------

  private queue(seq: number, text: string): void {
    const entry = { seq, text };
    this.ring.push(entry);
    if (this.ring.length - this.ringStart > this.limits.ringMessagesMax) {
      // The evicted message's seq may have others still in the ring: that seq is no longer whole.
      this.ringFloor = this.ring[this.ringStart]!.seq + 1;
      this.ringStart++;
    }
    // Compact now and then rather than shifting on every message.
    if (this.ringStart > this.limits.ringMessagesMax) {
      this.ring.splice(0, this.ringStart);
      this.ringStart = 0;
    }
    this.pending.push(entry);
    this.scheduleFlush();
  }

  /** State messages go out with the input's messages but are not kept for replay. */
  private queueState(text: string): void {
    this.pending.push({ seq: -1, text });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // A microtask runs once the current input (and its journal append) has returned.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const c of this.clients) for (const m of batch) this.send(c, m.text);
  }

  private send(c: Client, text: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > this.limits.clientBufferedBytesMax) {
      this.clients.delete(c);
      c.ws.close(1013, 'too far behind: reconnect with since');
      return;
    }
    c.ws.send(text);
    this.sent++;
  }

  private replay(client: Client, since: number): void {
    const seq = this.seqNow;
    if (!Number.isSafeInteger(since) || since < 0 || since > seq) {
      this.send(client, JSON.stringify({ kind: 'reset', seq, reason: `since ${since} is not in 0..${seq}` }));
      return;
    }
    if (since + 1 >= this.ringFloor) {
      for (let i = this.ringStart; i < this.ring.length; i++) {
        const m = this.ring[i]!;
        if (m.seq > since) this.send(client, m.text);
      }
    } else if (since < seq) {
      const journal = this.backend.journal;
      if (journal === undefined || seq - since > this.limits.replayEventsMax) {
        this.send(
          client,
          JSON.stringify({ kind: 'reset', seq, reason: 'too far back to replay: reload over REST' }),
        );
        return;
      }
      for (const entry of journal.readSync(since))
        for (const m of this.messagesOf(entry.event, entry.seq)) this.send(client, JSON.stringify(m));
    }
    this.sendStateTo(client);
  }

  private accountText(seq: number): string {
    return JSON.stringify({
      kind: 'account',
      seq,
      account: accountView(this.backend.oms, this.backend.now()),
    });
  }

  private sendState(): void {
    if (this.clients.size === 0) return;
    for (const c of this.clients) this.sendStateTo(c);
  }

  private sendStateTo(c: Client): void {
    const seq = this.seqNow;
    for (const position of this.backend.oms.portfolio.positions())
      this.send(c, JSON.stringify({ kind: 'position', seq, position }));
    this.send(c, this.accountText(seq));
  }
}
