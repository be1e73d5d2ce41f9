// Reconciliation: brings Ordo's view of a venue in line with the venue's own, on connect and after
// every reconnect. It compares open orders, fills since the last journaled point and balances;
// applies what Ordo missed (fills, cancels, expiries: as venue reports, so the engine takes them
// through its one path and ignores what it already has), adopts orders placed outside Ordo, and
// lists what it cannot explain. The caller decides whether trading may start on a mismatch.

import { formatUnits } from '../core/decimal.ts';
import type { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import type { VenueReport } from '../engine/venue-port.ts';
import { MONEY_SCALE } from '../model/instrument.ts';
import { isTerminal, isWorkingAtVenue } from '../model/status.ts';
import { reportsOf, retrying, type VenueAdapter, type VenueOrderState } from './venue-adapter.ts';
import type { VenueBridge } from './venue-bridge.ts';

export type MismatchKind =
  /** An order open at the venue that Ordo did not place and could not adopt. */
  | 'external_order'
  /** A fill at the venue of an order Ordo does not know. */
  | 'external_fill'
  /** An order Ordo believes is working that the venue does not have. */
  | 'missing_order'
  /** A balance that differs from Ordo's cash. */
  | 'balance';

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly detail: string;
}

export interface Reconciliation {
  /** Reports applied to bring orders up to date (fills, acceptances, cancels, expiries). */
  readonly applied: number;
  /** Fills Ordo had missed, now applied. */
  readonly missedFills: number;
  /** Orders placed outside Ordo, adopted as external orders. */
  readonly adopted: readonly string[];
  /** What could not be explained: trading should not start until someone has looked. */
  readonly mismatches: readonly Mismatch[];
}

export interface ReconcileOptions {
  /** Fills at or after this time are compared (the last journaled point). */
  readonly sinceMs: number;
  /** Compare balances with the portfolio's cash for this venue (currencies Ordo trades). */
  readonly balances?: boolean;
  readonly clock: () => number;
  /** How long a balance difference is given to resolve before it counts. Default 250 ms. */
  readonly settleMs?: number;
}

/**
 * Reconciles once. Run it while the bridge is idle (no command in flight), so that an order on
 * its way is not mistaken for a missing one.
 */
export async function reconcile(
  oms: AdvancedOrderManager,
  adapter: VenueAdapter,
  bridge: VenueBridge,
  options: ReconcileOptions,
): Promise<Reconciliation> {
  const mismatches: Mismatch[] = [];
  const reports: VenueReport[] = [];
  const engine = oms.engine;
  const known = (clientOrderId: string) => engine.state.byClientId.get(clientOrderId);
  // A quantity the venue changed while Ordo was not listening (a native list resizing a leg to its
  // parent's fills, a modify whose report was lost): told first, so the fills after it fit
  // (found by the simulator's asynchronous histories, seed 387).
  const resized = (st: VenueOrderState): VenueReport[] => {
    const id = known(st.clientOrderId);
    const o = id === undefined ? undefined : engine.state.orders.get(id);
    if (o === undefined || isTerminal(o.status) || st.quantity === o.quantity || st.quantity < o.filled)
      return [];
    return [
      {
        kind: 'modified',
        clientOrderId: st.clientOrderId,
        quantity: st.quantity,
        price: st.price,
        triggerPrice: st.triggerPrice,
        ts: st.ts,
      },
    ];
  };

  // 1. Orders open at the venue.
  const open = await retrying(() => adapter.openOrders());
  const openIds = new Set<string>();
  const adopted: string[] = [];
  for (const st of open) {
    openIds.add(st.clientOrderId);
    if (known(st.clientOrderId) !== undefined) {
      reports.push(...resized(st), ...reportsOf(st));
      continue;
    }
    // Placed outside Ordo: adopted, with the fills it already has.
    const adoptedOrder = oms.adoptOrder(
      {
        instrument: st.instrument,
        side: st.side,
        type: st.type,
        quantity: st.quantity,
        price: st.price,
        triggerPrice: st.triggerPrice,
        clientOrderId: st.clientOrderId,
        venueOrderId: st.venueOrderId,
      },
      options.clock(),
    );
    if (!adoptedOrder.ok) {
      mismatches.push({ kind: 'external_order', detail: `${describe(st)}: ${adoptedOrder.error.message}` });
      continue;
    }
    adopted.push(st.clientOrderId);
    if (st.filled > 0) {
      const full = await retrying(() => adapter.lookup(st.instrument, st.clientOrderId));
      if (full !== undefined) reports.push(...reportsOf(full));
    }
  }

  // 2. Orders Ordo thinks are working at the venue but the venue does not list as open.
  for (const o of engine.state.orders.values()) {
    // A native stop the venue has triggered works there too.
    const working = isWorkingAtVenue(o.status) || (o.status === 'triggered' && o.route === 'native');
    if (o.instrument.venue !== adapter.id || !working) continue;
    const coid = engine.clientOrderId(o);
    if (openIds.has(coid)) continue;
    const st = await retrying(() => adapter.lookup(o.instrument.key, coid));
    if (st !== undefined) reports.push(...resized(st), ...reportsOf(st));
    else if (o.status === 'submitted')
      // Never reached the venue (the request was lost before it arrived): safe to call rejected.
      reports.push({
        kind: 'rejected',
        clientOrderId: coid,
        code: 'not_at_venue',
        reason: 'the venue has no such order (found on reconciliation)',
        ts: options.clock(),
      });
    else
      mismatches.push({
        kind: 'missing_order',
        detail: `${coid} is ${o.status} in Ordo but unknown to ${adapter.id}`,
      });
  }

  // 3. Fills since the last journaled point.
  let missedFills = 0;
  for (const inst of adapter.instruments()) {
    if (!engine.instruments.has(inst.key)) continue;
    for (const f of await retrying(() => adapter.fillsSince(inst.key, options.sinceMs))) {
      const id = known(f.clientOrderId);
      if (id === undefined) {
        mismatches.push({
          kind: 'external_fill',
          detail: `trade ${f.tradeId} of order ${f.clientOrderId} on ${inst.symbol}, not placed by Ordo`,
        });
        continue;
      }
      if (!engine.state.tradeIds.has(inst.venue, f.tradeId)) missedFills++;
      reports.push({
        kind: 'fill',
        clientOrderId: f.clientOrderId,
        tradeId: f.tradeId,
        price: f.price,
        quantity: f.quantity,
        fee: f.fee,
        feeCurrency: f.feeCurrency,
        liquidity: f.liquidity,
        ts: f.ts,
      });
    }
  }
  // Fills before terminal statuses, so an order's last fills land before its cancel.
  reports.sort((a, b) => rank(a) - rank(b));
  bridge.deliver(reports);
  oms.sync(options.clock());

  // 4. Balances of the currencies Ordo trades on this venue. A fill on its way while balances are
  // read makes a passing difference: a difference counts only if it is still there after the
  // order stream has had a moment and Ordo has taken in what it said.
  if (options.balances === true) {
    const currencies = new Set<string>();
    for (const inst of adapter.instruments())
      if (engine.instruments.has(inst.key)) currencies.add(inst.quote);
    const differences = async () => {
      const out: Mismatch[] = [];
      for (const b of await retrying(() => adapter.balances())) {
        if (!currencies.has(b.currency)) continue;
        const mine = oms.portfolio.cash(adapter.id, b.currency);
        if (mine !== b.total)
          out.push({
            kind: 'balance',
            detail: `${b.currency}: ${adapter.id} holds ${formatUnits(b.total, MONEY_SCALE, true)}, Ordo counts ${formatUnits(mine, MONEY_SCALE, true)}`,
          });
      }
      return out;
    };
    let diff = await differences();
    if (diff.length > 0) {
      await new Promise((r) => setTimeout(r, options.settleMs ?? 250));
      await bridge.idle();
      oms.sync(options.clock());
      diff = await differences();
    }
    mismatches.push(...diff);
  }
  return { applied: reports.length, missedFills, adopted, mismatches };
}

function rank(r: VenueReport): number {
  if (r.kind === 'accepted' || r.kind === 'modified') return 0;
  if (r.kind === 'fill') return 1;
  return 2;
}

function describe(st: VenueOrderState): string {
  return `${st.clientOrderId} (${st.side} ${st.type} on ${st.instrument}, venue id ${st.venueOrderId})`;
}
