// A trading session on a live venue: an AdvancedOrderManager whose venue is an asynchronous
// adapter behind a VenueBridge. Opening it connects the adapter, restores the journal, seeds cash
// from the venue's balances, reconciles, and only then lets orders through; reports and market data
// from the venue flow into the manager as they arrive; every reconnect reconciles again. On a
// mismatch reconciliation cannot explain, trading is halted (cancels still go through) until the
// operator resumes it, unless the session was opened with `allowMismatch`.

import { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import type { SyncJournal } from '../engine/journal-port.ts';
import type { MarketData } from '../model/market.ts';
import { Portfolio } from '../portfolio/index.ts';
import { RiskManager } from '../risk/index.ts';
import { type Reconciliation, reconcile } from './reconcile.ts';
import { type ConnectionState, retrying, type VenueAdapter, type VenueListener } from './venue-adapter.ts';
import { type BridgeOptions, VenueBridge } from './venue-bridge.ts';

export interface LiveSessionOptions {
  readonly portfolio?: Portfolio;
  /** Halted on an unresolved mismatch; a RiskManager without limits when absent. */
  readonly risk?: RiskManager;
  readonly journal?: SyncJournal;
  readonly clientIdPrefix?: string;
  /** The session's clock (the venue adapters and the bridge keep their own). Default Date.now. */
  readonly clock?: () => number;
  readonly bridge?: BridgeOptions;
  /** Trade even when reconciliation leaves something unexplained. Default false. */
  readonly allowMismatch?: boolean;
  /** Subscribe to the venue's public trades and quotes of these symbols' instruments (all: true). */
  readonly marketData?: boolean;
  /** Called after every reconciliation. */
  readonly onReconcile?: (r: Reconciliation) => void;
}

export class LiveSession {
  readonly oms: AdvancedOrderManager;
  readonly bridge: VenueBridge;
  readonly risk: RiskManager;
  /** The last reconciliation's outcome. */
  lastReconciliation: Reconciliation | undefined;
  /** What keeps trading halted, if anything. */
  blockedBy: Reconciliation['mismatches'] = [];

  private readonly clock: () => number;
  private syncQueued = false;
  private reconciling: Promise<Reconciliation> | undefined;
  private closed = false;

  private constructor(
    readonly adapter: VenueAdapter,
    bridge: VenueBridge,
    oms: AdvancedOrderManager,
    risk: RiskManager,
    private readonly options: LiveSessionOptions,
  ) {
    this.bridge = bridge;
    this.oms = oms;
    this.risk = risk;
    this.clock = options.clock ?? Date.now;
    bridge.onActivity = () => this.queueSync();
  }

  /** Connects, restores, reconciles; resolves once the session can trade (or is halted). */
  static async open(adapter: VenueAdapter, options: LiveSessionOptions = {}): Promise<LiveSession> {
    const bridge = new VenueBridge(adapter, options.bridge);
    let session: LiveSession | undefined;
    const early: MarketData[] = [];
    const listener: VenueListener = {
      report: (r) => bridge.deliver([r]),
      market: (md) =>
        session === undefined ? early.length < 10_000 && early.push(md) : session.onMarket(md),
      connection: (state) => session?.onConnection(state),
    };
    await adapter.connect(listener);
    const risk = options.risk ?? new RiskManager({});
    const oms = new AdvancedOrderManager(bridge, {
      instruments: adapter.instruments(),
      portfolio: options.portfolio ?? new Portfolio(),
      risk,
      journal: options.journal,
      clientIdPrefix: options.clientIdPrefix,
    });
    oms.restore();
    session = new LiveSession(adapter, bridge, oms, risk, options);
    // Orders and fills first, then cash: Ordo's cash starts at what the venue holds once the fills
    // it missed are in; later reconciliations compare balances too.
    await session.reconcile(false);
    await session.seedCash();
    if (options.marketData === true) await adapter.subscribeMarket(adapter.instruments().map((i) => i.key));
    for (const md of early) session.onMarket(md);
    return session;
  }

  /** Compares with the venue and applies what Ordo missed (see reconcile.ts). */
  /**
   * A request while one runs gets a new run after it (one, however many ask): what happened
   * during the running one, a fill during a reconnect, is then seen too.
   */
  reconcile(balances = true): Promise<Reconciliation> {
    if (this.reconciling === undefined) {
      this.reconciling = this.reconcileOnce(balances).finally(() => {
        this.reconciling = undefined;
      });
      return this.reconciling;
    }
    this.queuedReconcile ??= this.reconciling
      .catch(() => undefined)
      .then(() => {
        this.queuedReconcile = undefined;
        return this.reconcile(balances);
      });
    return this.queuedReconcile;
  }

  private queuedReconcile: Promise<Reconciliation> | undefined;

  private async reconcileOnce(balances: boolean): Promise<Reconciliation> {
    await this.bridge.idle();
    const disconnects = this.disconnects;
    const wasUp = this.streamUp;
    const r = await reconcile(this.oms, this.adapter, this.bridge, {
      sinceMs: this.sinceMs(),
      balances,
      clock: this.clock,
    });
    // With the stream up from before this run to its end, every fill of the outage is in.
    if (wasUp && this.streamUp && this.disconnects === disconnects) this.streamDownSinceMs = undefined;
    this.lastReconciliation = r;
    this.blockedBy = r.mismatches;
    if (r.mismatches.length > 0 && this.options.allowMismatch !== true) this.risk.setTradingState('halted');
    this.options.onReconcile?.(r);
    return r;
  }

  /** Lets orders through again after a halt on a mismatch (the operator has looked). */
  resume(): void {
    this.blockedBy = [];
    this.risk.setTradingState('active');
  }

  /** Resolves once every command sent has been answered and the answers taken in. */
  async settle(): Promise<void> {
    for (;;) {
      await this.bridge.idle();
      await new Promise((r) => setImmediate(r));
      if (this.bridge.pending === 0 && !this.syncQueued) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bridge.idle();
    await this.adapter.close();
  }

  private onMarket(md: MarketData): void {
    if (!this.closed && this.oms.engine.instruments.has(md.instrument)) this.oms.feed(md);
  }

  private onConnection(state: ConnectionState): void {
    if (state === 'disconnected') {
      this.streamUp = false;
      this.disconnects++;
      this.streamDownSinceMs ??= this.clock();
    } else {
      this.streamUp = true;
      if (state === 'reconnected' && !this.closed) void this.reconcile(true);
    }
  }

  /** Whether the order stream is up (the adapter said nothing else since it opened). */
  private streamUp = true;
  private disconnects = 0;
  /**
   * When the order stream first dropped since the last reconciliation that ran with it up and no
   * drop during it: the fills of that whole outage are compared, however long it lasted.
   */
  private streamDownSinceMs: number | undefined = undefined;

  private queueSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    queueMicrotask(() => {
      this.syncQueued = false;
      if (!this.closed) this.oms.sync(this.clock());
    });
  }

  /**
   * Fills are compared from a minute (venue and Ordo clocks differ a little) before the earlier of
   * Ordo's last input and the start of the order stream's outage, or over the last day on a fresh
   * journal. Only the last input, when market data kept coming through a long outage, left out
   * the fills of its start (found by the simulator's asynchronous histories, seed 14000071).
   */
  private sinceMs(): number {
    const last = this.oms.nowMs;
    if (last <= 0) return this.clock() - 86_400_000;
    const down = this.streamDownSinceMs;
    return (down === undefined ? last : Math.min(last, down)) - 60_000;
  }

  /**
   * Ordo's cash on this venue starts at what the venue holds: deposits are not Ordo's business, so
   * the difference is taken as funding. Later reconciliations compare what moved since.
   */
  private async seedCash(): Promise<void> {
    const quotes = new Set(this.adapter.instruments().map((i) => i.quote));
    for (const b of await retrying(() => this.adapter.balances())) {
      if (!quotes.has(b.currency)) continue;
      const diff = b.total - this.oms.portfolio.cash(this.adapter.id, b.currency);
      if (diff > 0n) this.oms.portfolio.deposit(this.adapter.id, b.currency, diff);
      else if (diff < 0n) this.oms.portfolio.withdraw(this.adapter.id, b.currency, -diff);
    }
  }
}
