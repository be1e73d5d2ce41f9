// The paper venue: Ordo's deterministic simulated exchange. Market and limit orders match in the
// PaperMatcher; stop, stop-limit and trailing-stop orders and bracket/OCO/OTO lists, where the
// venue is configured to support them natively, are held by a venue-side instance of Ordo's own
// engine, exactly as an exchange holds its conditional orders. Which of these the venue offers is
// configuration, so one scenario can run with every advanced order native here or emulated by the
// client engine, and must give identical fills.

import type { OrderId } from '../../core/ids.ts';
import type { TimestampMs } from '../../core/ports.ts';
import { type EngineOptions, OrderEngine, type PortfolioPort } from '../../engine/engine.ts';
import type { OrdoEvent } from '../../engine/events.ts';
import type { OrderSpec } from '../../engine/order-spec.ts';
import type {
  Capabilities,
  SyncVenue,
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../../engine/venue-port.ts';
import { formatPrice, formatQty, type Instrument } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import type { LegRole } from '../../model/order.ts';
import { PaperMatcher, type PaperMatcherOptions } from './paper-matcher.ts';

export interface PaperNative {
  readonly stop: boolean;
  readonly stop_limit: boolean;
  readonly trailing_stop: boolean;
  readonly bracket: boolean;
  readonly oco: boolean;
  readonly oto: boolean;
}

export const ALL_NATIVE: PaperNative = {
  stop: true,
  stop_limit: true,
  trailing_stop: true,
  bracket: true,
  oco: true,
  oto: true,
};
export const NONE_NATIVE: PaperNative = {
  stop: false,
  stop_limit: false,
  trailing_stop: false,
  bracket: false,
  oco: false,
  oto: false,
};

export interface PaperVenueOptions extends PaperMatcherOptions {
  /** Which advanced orders the venue holds itself; the rest the client engine emulates. */
  readonly native?: PaperNative;
}

const HELD_PREFIX = 'pv-';

const NO_PORTFOLIO: PortfolioPort = {
  applyFill: () => {},
  positionQty: () => 0,
  realizedPnlToday: () => 0n,
};

export class PaperVenue implements SyncVenue {
  readonly id: string;
  readonly capabilities: Capabilities;
  readonly matcher: PaperMatcher;
  private readonly held: OrderEngine;
  private readonly instruments = new Map<string, Instrument>();
  private readonly outerToHeld = new Map<string, OrderId>();
  private readonly heldToOuter = new Map<number, string>();
  private reports: VenueReport[] = [];
  private nowMs: TimestampMs = 0;

  constructor(options: PaperVenueOptions) {
    this.id = options.venue;
    const n = options.native ?? ALL_NATIVE;
    const s = (b: boolean) => (b ? 'native' : 'emulated') as 'native' | 'emulated';
    this.capabilities = {
      orderTypes: {
        market: 'native',
        limit: 'native',
        stop: s(n.stop),
        stop_limit: s(n.stop_limit),
        trailing_stop: s(n.trailing_stop),
      },
      contingencies: { bracket: s(n.bracket), oco: s(n.oco), oto: s(n.oto) },
      timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'native', gtd: 'native' },
      modify: true,
    };
    for (const inst of options.instruments) this.instruments.set(inst.key, inst);
    this.matcher = new PaperMatcher(options);
    const heldOptions: EngineOptions = {
      instruments: options.instruments,
      venues: {
        [options.venue]: {
          orderTypes: {
            market: 'native',
            limit: 'native',
            stop: 'emulated',
            stop_limit: 'emulated',
            trailing_stop: 'emulated',
          },
          contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
          timeInForce: this.capabilities.timeInForce,
          modify: true,
        },
      },
      portfolio: NO_PORTFOLIO,
      clientIdPrefix: HELD_PREFIX,
    };
    this.held = new OrderEngine(heldOptions);
    this.held.onEvent((e) => this.onHeldEvent(e));
  }

  handle(command: VenueCommand, ts: TimestampMs): void {
    this.nowMs = Math.max(this.nowMs, ts);
    switch (command.kind) {
      case 'submit': {
        const o = command.order;
        if (o.type === 'market' || o.type === 'limit') this.matcher.submit(o, ts);
        else this.placeHeld(o, ts);
        break;
      }
      case 'submit_list':
        this.placeHeldList(command.list, ts);
        break;
      case 'cancel': {
        const id = this.outerToHeld.get(command.clientOrderId);
        if (id === undefined) this.matcher.cancel(command.clientOrderId, ts);
        else {
          const r = this.held.cancel(id, ts);
          if (!r.ok)
            this.report({
              kind: 'cancel_rejected',
              clientOrderId: command.clientOrderId,
              reason: r.error.message,
              ts,
            });
        }
        break;
      }
      case 'modify': {
        const id = this.outerToHeld.get(command.clientOrderId);
        if (id === undefined)
          this.matcher.modify(
            command.clientOrderId,
            { quantity: command.quantity, price: command.price },
            ts,
          );
        else {
          const inst = this.instruments.get(command.instrument)!;
          const order = this.held.state.order(id);
          const r = this.held.modify(
            id,
            {
              quantity: command.quantity !== order.quantity ? formatQty(inst, command.quantity) : undefined,
              price:
                command.price === undefined || command.price === order.price
                  ? undefined
                  : formatPrice(inst, command.price),
              triggerPrice:
                command.triggerPrice === undefined || command.triggerPrice === order.triggerPrice
                  ? undefined
                  : formatPrice(inst, command.triggerPrice),
            },
            ts,
          );
          if (!r.ok)
            this.report({
              kind: 'modify_rejected',
              clientOrderId: command.clientOrderId,
              reason: r.error.message,
              ts,
            });
        }
        break;
      }
    }
    this.pump();
  }

  onMarket(md: MarketData): void {
    this.nowMs = Math.max(this.nowMs, md.ts);
    this.matcher.onMarket(md);
    this.pump();
    this.held.onMarket(md);
    this.pump();
  }

  drainReports(): VenueReport[] {
    this.pump();
    const out = this.reports;
    this.reports = [];
    return out;
  }

  private placeHeld(o: VenueOrderRequest, ts: TimestampMs): void {
    const r = this.held.place(this.specOf(o), ts);
    if (!r.ok) {
      this.report({
        kind: 'rejected',
        clientOrderId: o.clientOrderId,
        code: r.error.code,
        reason: r.error.message,
        ts,
      });
      return;
    }
    this.link(o.clientOrderId, r.value, ts);
  }

  private placeHeldList(list: VenueListRequest, ts: TimestampMs): void {
    const parentRole: LegRole = list.kind === 'bracket' ? 'entry' : 'oto_parent';
    const legRole = (i: number): LegRole =>
      list.kind === 'bracket'
        ? i === 0
          ? 'take_profit'
          : 'stop_loss'
        : list.kind === 'oco'
          ? 'oco_leg'
          : 'oto_child';
    const quantity = list.parent === undefined ? list.legs[0]?.quantity : undefined;
    const r = this.held.placeList(
      list.kind,
      list.parent === undefined ? undefined : { spec: this.specOf(list.parent), role: parentRole },
      list.legs.map((l, i) => ({ spec: this.specOf(l), role: legRole(i), field: `legs[${i}].` })),
      { trigger: list.trigger, oco: list.kind !== 'oto', quantity },
      ts,
    );
    const all = list.parent === undefined ? list.legs : [list.parent, ...list.legs];
    if (!r.ok) {
      for (const o of all)
        this.report({
          kind: 'rejected',
          clientOrderId: o.clientOrderId,
          code: r.error.code,
          reason: r.error.message,
          ts,
        });
      return;
    }
    for (const [i, o] of all.entries()) this.link(o.clientOrderId, r.value.orderIds[i]!, ts);
  }

  private link(outer: string, id: OrderId, ts: TimestampMs): void {
    this.outerToHeld.set(outer, id);
    this.heldToOuter.set(id, outer);
    this.report({ kind: 'accepted', clientOrderId: outer, venueOrderId: `${this.id}-h${id}`, ts });
  }

  private specOf(o: VenueOrderRequest): OrderSpec {
    const inst = this.instruments.get(o.instrument)!;
    const p = (v: number | undefined) => (v === undefined ? undefined : formatPrice(inst, v));
    const t = o.trailing;
    return {
      symbol: inst.symbol,
      venue: inst.venue,
      side: o.side,
      type: o.type,
      quantity: formatQty(inst, o.quantity),
      price: p(o.price),
      triggerPrice: p(o.triggerPrice),
      trailing:
        t === undefined
          ? undefined
          : {
              // Tick offsets travel as the price distance they stand for.
              offsetType: t.offsetKind === 'ticks' ? 'price' : t.offsetKind,
              offset:
                t.offsetKind === 'price' || t.offsetKind === 'ticks'
                  ? formatPrice(inst, t.offset)
                  : rateText(t),
              activationPrice: p(t.activationPrice),
              limitOffset: p(t.limitOffset),
            },
      tif: o.tif,
      expireAt: o.tif === 'gtd' ? o.expireAtMs : undefined,
      postOnly: o.postOnly || undefined,
      reduceOnly: o.reduceOnly || undefined,
    };
  }

  /** Venue-side engine events become the venue's reports about the client's orders. */
  private onHeldEvent(e: OrdoEvent): void {
    if (!('id' in e)) return;
    const outer = this.heldToOuter.get(e.id);
    if (outer === undefined) return;
    const ts = e.ts;
    switch (e.type) {
      case 'order_triggered':
        return this.report({ kind: 'triggered', clientOrderId: outer, ts });
      case 'order_filled':
        return this.report({
          kind: 'fill',
          clientOrderId: outer,
          tradeId: e.tradeId,
          price: e.price,
          quantity: e.quantity,
          fee: e.fee,
          feeCurrency: e.feeCurrency,
          liquidity: e.liquidity,
          ts,
        });
      case 'order_cancelled':
        return this.report({ kind: 'cancelled', clientOrderId: outer, reason: e.reason, ts });
      case 'order_expired':
        return this.report({ kind: 'expired', clientOrderId: outer, ts });
      case 'order_rejected':
        return this.report({ kind: 'rejected', clientOrderId: outer, code: e.code, reason: e.reason, ts });
      case 'order_modified':
        return this.report({
          kind: 'modified',
          clientOrderId: outer,
          quantity: e.quantity,
          price: e.price,
          triggerPrice: e.triggerPrice,
          ts,
        });
      case 'order_modify_rejected':
        return this.report({ kind: 'modify_rejected', clientOrderId: outer, reason: e.reason, ts });
      case 'order_cancel_rejected':
        return this.report({ kind: 'cancel_rejected', clientOrderId: outer, reason: e.reason, ts });
      default:
        return;
    }
  }

  private report(r: VenueReport): void {
    this.reports.push(r);
  }

  /** Moves commands from the venue-side engine to the matcher and the matcher's reports back. */
  private pump(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const commands = this.held.drainCommands();
      for (const { command } of commands) {
        const ts = this.nowMs;
        if (command.kind === 'submit') this.matcher.submit(command.order, ts);
        else if (command.kind === 'cancel') this.matcher.cancel(command.clientOrderId, ts);
        else if (command.kind === 'modify')
          this.matcher.modify(
            command.clientOrderId,
            { quantity: command.quantity, price: command.price },
            ts,
          );
      }
      const reports = this.matcher.drainReports();
      for (const r of reports) {
        if (r.clientOrderId.startsWith(HELD_PREFIX)) this.held.onReport(this.id as never, r);
        else this.report(r);
      }
      if (commands.length === 0 && reports.length === 0) return;
    }
    throw new Error('paper venue did not settle');
  }
}

function rateText(t: { offsetKind: string; offset: number }): string {
  // RATE units (1e-8 fractions) back to the percent or bps the client sent.
  const places = t.offsetKind === 'percent' ? 6 : 4;
  const v = BigInt(t.offset);
  const d = 10n ** BigInt(places);
  const frac = (v % d).toString().padStart(places, '0').replace(/0+$/, '');
  return frac.length > 0 ? `${v / d}.${frac}` : `${v / d}`;
}
