// `ordo positions`: positions on a running `ordo serve` — quantity, average price, unrealized and
// realized P&L, and the stops protecting each — with the account's cash and equity below.

import type { AccountView, PositionView } from '../../api/contract.ts';
import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, request, resolveTarget } from '../api-client.ts';
import { defineCommand, EXIT, keyValues, table, writeJson } from '../cli-kit.ts';

export const positionsCommand = defineCommand({
  name: 'positions',
  summary: 'positions and the account of a running ordo serve',
  usage: `Usage:
  ordo positions [--json]

${CLIENT_FLAGS_HELP}`,
  examples: ['ordo positions', 'ordo positions --json', 'ORDO_URL=http://127.0.0.1:8080 ordo positions'],
  flags: { ...CLIENT_FLAGS },
  async run({ flags }, io) {
    const target = resolveTarget('positions', flags, io);
    if (!target.ok) return target.exit;
    const p = await request(io, 'positions', target.value, 'GET', '/v1/positions');
    if (!p.ok) return p.exit;
    const a = await request(io, 'positions', target.value, 'GET', '/v1/account');
    if (!a.ok) return a.exit;
    const positions = (p.json as { positions: (PositionView & { protectedBy: number[] })[] }).positions;
    const account = a.json as AccountView;
    if (flags.json) {
      writeJson(io, { positions, account });
      return EXIT.ok;
    }
    const open = positions.filter((x) => x.side !== 'flat');
    io.stdout.write(
      open.length === 0
        ? 'no open positions\n'
        : table(
            [
              { header: 'venue' },
              { header: 'symbol' },
              { header: 'side' },
              { header: 'qty', align: 'right' },
              { header: 'avg price', align: 'right' },
              { header: 'unrealized', align: 'right' },
              { header: 'realized', align: 'right' },
              { header: 'protected by' },
            ],
            open.map((x) => [
              x.venue,
              x.symbol,
              x.side,
              x.qty,
              x.avgPriceTick ?? '',
              x.unrealized,
              x.realized,
              x.protectedBy.length === 0 ? 'none' : x.protectedBy.join(', '),
            ]),
          ),
    );
    io.stdout.write('\n');
    io.stdout.write(
      keyValues([
        ['equity', `${account.equity} ${account.currency}`],
        ...account.cash.map((c) => [`cash ${c.venue} ${c.currency}`, c.amount] as const),
        ['P&L today', account.realizedToday],
        ['P&L total', account.realizedTotal],
        ['unrealized', account.unrealized],
        ['fees', account.feesTotal],
      ]),
    );
    return EXIT.ok;
  },
});
