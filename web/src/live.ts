// Keeps the store in step with the server: loads a snapshot over REST, then follows the WebSocket
// stream, resuming from the last sequence number seen after a reconnect (the server replays what
// was missed, or says `reset` when that is too far back and the snapshot is loaded again).

import type { ApiClient } from './api-client.ts';
import type {
  AccountView,
  Candle,
  EquityPoint,
  FillRecord,
  ListView,
  OrderView,
  PositionView,
  QuoteView,
  RoundTripRecord,
  StreamMessage,
  VenueView,
} from './api-types.ts';
import type { Store } from './store.ts';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** Round trips are re-read this long after a fill (a fill may close a trip; none is streamed). */
const TRIPS_REFRESH_MS = 150;
/** RFC 7230 token characters: what a WebSocket subprotocol may contain. */
const SUBPROTOCOL_SAFE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export class Live {
  private ws: WebSocket | undefined;
  private stopped = false;
  private retryMs = RECONNECT_MIN_MS;
  private tripsTimer: ReturnType<typeof setTimeout> | undefined;
  private candleKey = '';
  private candleInterval = '1s';
  private snapshotLoaded = false;

  constructor(
    readonly api: ApiClient,
    readonly store: Store,
  ) {}

  async start(): Promise<void> {
    await this.loadSnapshot();
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
    if (this.tripsTimer !== undefined) clearTimeout(this.tripsTimer);
  }

  /** Every view's data, read fresh (first load, and after a `reset`). */
  async loadSnapshot(): Promise<void> {
    const { api, store } = this;
    // The journal position the snapshot is at least as new as: the stream resumes from it, so no
    // event between the snapshot and the connection is lost (one seen twice is harmless: each
    // message carries the whole order).
    const health = await api.get<{ seq: number }>('/health');
    const [orders, lists, positions, account, equity, venues, fills, trips, quotes] = await Promise.all([
      api.get<{ orders: OrderView[] }>('/v1/orders?status=open&limit=5000'),
      api.get<{ lists: ListView[] }>('/v1/lists?status=all'),
      api.get<{ positions: PositionView[] }>('/v1/positions'),
      api.get<AccountView>('/v1/account'),
      api.get<{ currency: string; points: EquityPoint[] }>('/v1/equity'),
      api.get<{ venues: VenueView[] }>('/v1/venues'),
      api.get<{ fills: FillRecord[] }>('/v1/fills'),
      api.get<{ roundTrips: RoundTripRecord[] }>('/v1/round-trips'),
      api.get<{ quotes: QuoteView[] }>('/v1/market/quotes'),
    ]);
    if (orders.ok) for (const o of orders.value.orders) store.upsertOrder(o);
    if (lists.ok) for (const l of lists.value.lists) store.upsertList(l);
    if (positions.ok) store.setPositions(positions.value.positions);
    if (account.ok) store.account = account.value;
    if (equity.ok) {
      store.equityCurrency = equity.value.currency;
      store.equity = equity.value.points;
    }
    if (venues.ok) store.venues = venues.value.venues;
    if (fills.ok) store.fills = fills.value.fills;
    if (trips.ok) store.roundTrips = trips.value.roundTrips;
    if (quotes.ok)
      for (const q of quotes.value.quotes)
        store.quotes.set(`${q.venue}:${q.symbol}`, { last: q.last, bid: q.bid, ask: q.ask, ts: q.ts });
    if (health.ok && health.value.seq > store.lastSeq) store.lastSeq = health.value.seq;
    this.snapshotLoaded = true;
    store.changed();
  }

  /** Loads candles for the chart and follows that symbol's candles on the stream. */
  async watchCandles(venue: string, symbol: string, interval: string): Promise<void> {
    this.candleKey = `${venue}:${symbol}`;
    this.candleInterval = interval;
    const q = new URLSearchParams({ symbol, venue, interval, limit: '500' });
    const r = await this.api.get<{ candles: Candle[] }>(`/v1/market/candles?${q}`);
    if (r.ok) this.store.setCandles(this.candleKey, r.value.candles);
  }

  async refreshRoundTrips(): Promise<void> {
    const r = await this.api.get<{ roundTrips: RoundTripRecord[] }>('/v1/round-trips');
    if (!r.ok) return;
    this.store.roundTrips = r.value.roundTrips;
    this.store.changed();
  }

  private connect(): void {
    if (this.stopped) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = new URLSearchParams({ market: '1' });
    if (this.snapshotLoaded) q.set('since', String(this.store.lastSeq));
    // Browsers cannot set an Authorization header on a WebSocket: the token goes as a
    // `bearer.<token>` subprotocol (kept out of URLs and logs), or as `token=` when it has
    // characters a subprotocol may not carry.
    const protocols = ['ordo.v1'];
    if (SUBPROTOCOL_SAFE.test(this.api.token)) protocols.push(`bearer.${this.api.token}`);
    else q.set('token', this.api.token);
    const ws = new WebSocket(`${proto}//${location.host}/v1/stream?${q}`, protocols);
    this.ws = ws;
    ws.onmessage = (e) => this.onMessage(String(e.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.store.connection = this.stopped ? 'offline' : 'reconnecting';
      this.store.changed();
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    };
  }

  private onMessage(data: string): void {
    let m: StreamMessage;
    try {
      m = JSON.parse(data) as StreamMessage;
    } catch {
      return;
    }
    try {
      this.apply(m);
    } catch (e) {
      // A message kind this build does not know: keep following the stream.
      console.warn(e);
    }
    this.store.changed();
  }

  /** Applies one stream message to the store. Exported for the tests' synthetic bursts. */
  apply(m: StreamMessage): void {
    const { store } = this;
    store.pushEvent(m);
    switch (m.kind) {
      case 'hello':
        store.connection = 'live';
        this.retryMs = RECONNECT_MIN_MS;
        break;
      case 'order':
        store.upsertOrder(m.order);
        break;
      case 'list':
        store.upsertList(m.list);
        break;
      case 'fill':
        store.upsertOrder(m.order);
        store.addFill(m.fill);
        this.scheduleTrips();
        break;
      case 'position':
        store.upsertPosition(m.position);
        break;
      case 'account':
        store.account = m.account;
        store.addEquityPoint({ ts: m.account.ts, equity: m.account.equity });
        break;
      case 'trade':
        store.quotes.set(`${m.venue}:${m.symbol}`, {
          ...store.quotes.get(`${m.venue}:${m.symbol}`),
          last: m.price,
          ts: m.ts,
        });
        break;
      case 'candle':
        if (`${m.venue}:${m.symbol}` === this.candleKey && m.interval === this.candleInterval)
          store.upsertCandle(this.candleKey, m.candle);
        break;
      case 'reset':
        // The server cannot replay what was missed: start again from a fresh snapshot.
        store.orders.clear();
        store.lists.clear();
        store.lastSeq = 0;
        void this.loadSnapshot();
        break;
      default:
        assertNever(m);
    }
  }

  private scheduleTrips(): void {
    if (this.tripsTimer !== undefined) return;
    this.tripsTimer = setTimeout(() => {
      this.tripsTimer = undefined;
      void this.refreshRoundTrips();
    }, TRIPS_REFRESH_MS);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected stream message ${JSON.stringify(x)}`);
}
