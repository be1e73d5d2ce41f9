// `ordo explain`: the routing plan of an order before anything is sent — each order native at the
// venue or held and emulated by Ordo, why, and when it starts working — decided offline from the
// venue's capability table by the same rules placement uses (AdvancedOrderManager.explain).

import { assertNever } from '../../core/assert.ts';
import { AdvancedOrderManager } from '../../engine/advanced-order-manager.ts';
import type { ExecutionPlan } from '../../engine/engine.ts';
import type { Capabilities } from '../../engine/venue-port.ts';
import { defineInstrument, type InstrumentKind, readPrice } from '../../model/instrument.ts';
import { Portfolio } from '../../portfolio/index.ts';
import { ALPACA_CAPABILITIES } from '../../venues/alpaca/capabilities.ts';
import { BINANCE_SPOT_CAPABILITIES } from '../../venues/binance/requests.ts';
import { COINBASE_CAPABILITIES } from '../../venues/coinbase/requests.ts';
import { ALL_NATIVE, PaperVenue } from '../../venues/paper/paper-venue.ts';
import { choiceFlag, defineCommand, EXIT, table, usage, writeJson } from '../cli-kit.ts';
import { ORDER_FLAGS, ORDER_FLAGS_HELP, place, placementFromFlags } from './order-flags.ts';

const VENUES = ['paper', 'binance', 'alpaca', 'coinbase'] as const;
type VenueName = (typeof VENUES)[number];

function capabilitiesOf(venue: VenueName): Capabilities {
  switch (venue) {
    case 'paper':
      return new PaperVenue({ venue: 'paper', instruments: [], balances: {}, native: ALL_NATIVE })
        .capabilities;
    case 'binance':
      return BINANCE_SPOT_CAPABILITIES;
    case 'alpaca':
      return ALPACA_CAPABILITIES;
    case 'coinbase':
      return COINBASE_CAPABILITIES;
    default:
      return assertNever(venue, 'venue');
  }
}

export const explainCommand = defineCommand({
  name: 'explain',
  summary: 'the routing plan of an order: native or emulated per leg, and why (offline)',
  usage: `Usage:
  ordo explain --type T --side buy|sell --symbol S --qty D [order flags] [--venue V] [--json]

Prints what Ordo would do with the order on a venue, without sending anything: each order native
at the venue or held by Ordo (emulated) with the reason, what reaches the venue, and when each
order starts working. Decided from the venue's capability table alone (see 'ordo venues').

Flags:
  --venue V            ${VENUES.join(', ')} (default paper)
  --kind K             crypto (default) or equity: the instrument kind (Alpaca routes by it)
  --tick D --lot D     price and quantity increments of the instrument (default 0.01 and 0.00001,
                       or 1 for equities)
  --market-price D     the last price, for a market-entry bracket with percent levels
  --json               the plan as JSON

${ORDER_FLAGS_HELP}`,
  examples: [
    'ordo explain --type bracket --side buy --symbol BTC/USDT --qty 0.01 --price 60000 --take-profit 2% --stop-loss 1% --venue binance',
    'ordo explain --type trailing-stop --side sell --symbol BTC/USD --qty 0.5 --trail-offset 2 --venue coinbase',
    'ordo explain --type oco --side sell --symbol AAPL/USD --kind equity --qty 10 --price 210 --trigger 180 --venue alpaca --json',
  ],
  flags: {
    ...ORDER_FLAGS,
    venue: { type: 'string' },
    kind: { type: 'string' },
    tick: { type: 'string' },
    lot: { type: 'string' },
    'market-price': { type: 'string' },
  },
  run({ flags }, io) {
    const venue = choiceFlag('venue', flags.venue, VENUES, 'paper');
    if (!venue.ok) return venue.problem;
    const kindFlag = choiceFlag('kind', flags.kind, ['crypto', 'equity'] as const, 'crypto');
    if (!kindFlag.ok) return kindFlag.problem;
    const placement = placementFromFlags(flags);
    if (!placement.ok) return placement.problem;
    const kind: InstrumentKind = kindFlag.value === 'equity' ? 'equity' : 'crypto_spot';
    const inst = defineInstrument({
      venue: venue.value,
      symbol: flags.symbol ?? '',
      kind,
      priceIncrement: flags.tick ?? '0.01',
      qtyIncrement: flags.lot ?? (kind === 'equity' ? '1' : '0.00001'),
    });
    if (!inst.ok) return usage(`--symbol/--tick/--lot: ${inst.error.message}`);
    // Routing reads only the capability matrix: a venue that is only its matrix is enough.
    const oms = new AdvancedOrderManager(
      {
        id: venue.value,
        capabilities: capabilitiesOf(venue.value),
        handle: () => {},
        onMarket: () => {},
        drainReports: () => [],
      },
      { instruments: [inst.value], portfolio: new Portfolio() },
    );
    if (flags['market-price'] !== undefined) {
      const issues: { field: string; rule: string; message: string }[] = [];
      const price = readPrice(inst.value, flags['market-price'], 'market-price', issues);
      if (price === undefined) return usage(`--market-price: ${issues[0]?.message ?? 'not a price'}`);
      oms.feed({
        kind: 'trade',
        instrument: inst.value.key,
        ts: 0,
        price,
        size: 0,
        aggressor: undefined,
        tradeId: undefined,
      });
    }
    const plan = oms.explain((o) => place(o, placement.value));
    if (!plan.ok) {
      if (flags.json) writeJson(io, { ok: false, error: plan.error });
      io.stderr.write(
        `ordo explain: refused: ${plan.error.message}\n${plan.error.issues.map((i) => `  ${i.field} (${i.rule}): ${i.message}\n`).join('')}`,
      );
      return EXIT.failure;
    }
    if (flags.json) writeJson(io, { ok: true, plan: plan.value });
    else io.stdout.write(planText(plan.value));
    return EXIT.ok;
  },
});

function planText(plan: ExecutionPlan): string {
  const list =
    plan.list === undefined ? '' : `; list ${plan.list.route ?? 'unsupported'}: ${plan.list.reason}`;
  const head = `${plan.kind} on ${plan.venue}${list}\n\n`;
  return (
    head +
    table(
      [
        { header: 'role' },
        { header: 'side' },
        { header: 'type' },
        { header: 'route' },
        { header: 'when' },
        { header: 'sends' },
        { header: 'why' },
      ],
      plan.orders.map((o) => [o.role, o.side, o.type, o.route ?? 'unsupported', o.when, o.sends, o.reason]),
    )
  );
}
