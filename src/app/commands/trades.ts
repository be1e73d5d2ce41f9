// `ordo trades`: the trade log of a running `ordo serve` — closed round trips (or fills with
// --fills) as a table, as JSON, or as the trade log's CSV (RFC 4180, ready for a spreadsheet).

import type { FillRecord, RoundTripRecord } from '../../api/contract.ts';
import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, request, resolveTarget } from '../api-client.ts';
import { defineCommand, EXIT, table, usage, writeJson } from '../cli-kit.ts';

export const tradesCommand = defineCommand({
  name: 'trades',
  summary: 'round trips (or fills) of a running ordo serve, as a table, JSON or CSV',
  usage: `Usage:
  ordo trades [--fills] [--csv | --json] [--symbol S] [--tag T] [--from MS] [--to MS]

Flags:
  --fills       fills instead of round trips
  --csv         the trade log's CSV (one row per round trip, or per fill)
  --json        JSON
  --symbol S    only this symbol
  --tag T       only orders with this tag
  --from MS     from this time (epoch ms, inclusive)
  --to MS       until this time (epoch ms, exclusive)

${CLIENT_FLAGS_HELP}`,
  examples: ['ordo trades', 'ordo trades --csv > trades.csv', 'ordo trades --fills --json --symbol BTC/USD'],
  flags: {
    ...CLIENT_FLAGS,
    fills: { type: 'boolean' },
    csv: { type: 'boolean' },
    symbol: { type: 'string' },
    tag: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  async run({ flags }, io) {
    if (flags.csv === true && flags.json) return usage('give --csv or --json, not both');
    const target = resolveTarget('trades', flags, io);
    if (!target.ok) return target.exit;
    const q = new URLSearchParams();
    for (const k of ['symbol', 'tag', 'from', 'to'] as const) {
      const v = flags[k];
      if (v !== undefined) q.set(k, v);
    }
    if (flags.csv === true) q.set('format', 'csv');
    const path = `${flags.fills === true ? '/v1/fills' : '/v1/round-trips'}${q.size > 0 ? `?${q}` : ''}`;
    const r = await request(io, 'trades', target.value, 'GET', path);
    if (!r.ok) return r.exit;
    if (flags.csv === true) {
      io.stdout.write(r.text);
      return EXIT.ok;
    }
    if (flags.fills === true) {
      const fills = (r.json as { fills: FillRecord[] }).fills;
      if (flags.json) writeJson(io, { fills });
      else
        io.stdout.write(
          fills.length === 0
            ? 'no fills\n'
            : table(
                [
                  { header: 'time' },
                  { header: 'order', align: 'right' },
                  { header: 'symbol' },
                  { header: 'side' },
                  { header: 'qty', align: 'right' },
                  { header: 'price', align: 'right' },
                  { header: 'fee', align: 'right' },
                  { header: 'liquidity' },
                ],
                fills.map((f) => [
                  new Date(f.ts).toISOString(),
                  String(f.orderId),
                  f.symbol,
                  f.side,
                  f.quantity,
                  f.price,
                  `${f.fee} ${f.feeCurrency}`,
                  f.liquidity,
                ]),
              ),
        );
      return EXIT.ok;
    }
    const trips = (r.json as { roundTrips: RoundTripRecord[] }).roundTrips;
    if (flags.json) writeJson(io, { roundTrips: trips });
    else
      io.stdout.write(
        trips.length === 0
          ? 'no round trips yet\n'
          : table(
              [
                { header: 'id', align: 'right' },
                { header: 'symbol' },
                { header: 'side' },
                { header: 'qty', align: 'right' },
                { header: 'entry', align: 'right' },
                { header: 'exit', align: 'right' },
                { header: 'P&L net', align: 'right' },
                { header: 'fees', align: 'right' },
                { header: 'duration', align: 'right' },
                { header: 'orders' },
              ],
              trips.map((t) => [
                String(t.id),
                t.symbol,
                t.side,
                t.quantity,
                t.priceEntryAvg,
                t.priceExitAvg ?? '',
                t.realizedNet,
                t.feesQuote,
                t.durationMs === undefined ? '' : `${(t.durationMs / 1000).toFixed(1)}s`,
                t.orderIds.join(' '),
              ]),
            ),
      );
    return EXIT.ok;
  },
});
