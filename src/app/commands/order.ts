// `ordo order place|cancel|modify|list`: orders on a running `ordo serve`, over its HTTP API.
// Placement takes the same order flags as `ordo explain` (one set of names for every order type);
// the server validates and answers, and a refusal prints every failing field with exit code 1.

import type { ListView, OrderView } from '../../api/contract.ts';
import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, request, resolveTarget } from '../api-client.ts';
import {
  type CliIo,
  type Command,
  commandHelp,
  defineCommand,
  EXIT,
  table,
  usage,
  usageError,
  writeJson,
} from '../cli-kit.ts';
import { ORDER_FLAGS, ORDER_FLAGS_HELP, type Placement, placementFromFlags } from './order-flags.ts';

const ORDER_COLUMNS = [
  { header: 'id', align: 'right' },
  { header: 'list', align: 'right' },
  { header: 'role' },
  { header: 'symbol' },
  { header: 'side' },
  { header: 'type' },
  { header: 'qty', align: 'right' },
  { header: 'filled', align: 'right' },
  { header: 'price', align: 'right' },
  { header: 'trigger', align: 'right' },
  { header: 'status' },
  { header: 'route' },
] as const;

export function orderRows(orders: readonly OrderView[]): string[][] {
  return orders.map((o) => [
    String(o.id),
    o.listId === undefined ? '' : String(o.listId),
    o.role,
    o.symbol,
    o.side,
    o.type,
    o.quantity,
    o.filled,
    o.price ?? '',
    o.stopPrice ?? o.triggerPrice ?? '',
    o.status,
    o.route,
  ]);
}

export function ordersTable(orders: readonly OrderView[]): string {
  return orders.length === 0 ? 'no orders\n' : table(ORDER_COLUMNS, orderRows(orders));
}

/** The HTTP route and body for a placement built from flags. */
export function placementRequest(p: Placement): { path: string; body: unknown } {
  switch (p.kind) {
    case 'single':
      return { path: '/v1/orders', body: p.spec };
    case 'trailing': {
      const s = p.spec;
      return {
        path: '/v1/orders',
        body: {
          symbol: s.symbol,
          venue: s.venue,
          side: s.side,
          type: 'trailing_stop',
          quantity: s.quantity,
          triggerBasis: s.triggerBasis,
          tag: s.tag,
          trailing: {
            offsetType: s.offsetType,
            offset: s.offset,
            activationPrice: s.activationPrice,
            limitOffset: s.limitOffset,
          },
        },
      };
    }
    case 'bracket':
      return { path: '/v1/orders/bracket', body: p.spec };
    case 'oco':
      return { path: '/v1/orders/oco', body: p.spec };
    case 'oto':
      return { path: '/v1/orders/oto', body: p.spec };
    case 'scale':
      return { path: '/v1/orders/scale', body: p.spec };
    default:
      return p satisfies never;
  }
}

const place = defineCommand({
  name: 'order place',
  summary: 'place any order type on the running server',
  usage: `Usage:
  ordo order place --type T --side buy|sell --symbol S --qty D [order flags] [--idempotency-key K]

${ORDER_FLAGS_HELP}
  --idempotency-key K  retrying with the same key never places a second order

${CLIENT_FLAGS_HELP}`,
  examples: [
    'ordo order place --type limit --side buy --symbol BTC/USD --qty 0.1 --price 45000',
    'ordo order place --type bracket --side buy --symbol BTC/USD --qty 0.1 --price 45000 --take-profit 2% --stop-loss 1%',
    'ordo order place --type trailing-stop --side sell --symbol BTC/USD --qty 0.1 --trail-offset 0.5',
  ],
  flags: { ...ORDER_FLAGS, ...CLIENT_FLAGS, 'idempotency-key': { type: 'string' } },
  async run({ flags }, io) {
    const placement = placementFromFlags(flags);
    if (!placement.ok) return placement.problem;
    const target = resolveTarget('order place', flags, io);
    if (!target.ok) return target.exit;
    const { path, body } = placementRequest(placement.value);
    const key = flags['idempotency-key'];
    const r = await request(
      io,
      'order place',
      target.value,
      'POST',
      path,
      body,
      key === undefined ? {} : { 'idempotency-key': key },
    );
    if (!r.ok) return r.exit;
    const answer = r.json as { order?: OrderView; list?: ListView };
    if (flags.json) writeJson(io, answer);
    else {
      const orders = answer.order !== undefined ? [answer.order] : (answer.list?.orders ?? []);
      if (answer.list !== undefined) io.stdout.write(`${answer.list.kind} list ${answer.list.listId}\n`);
      io.stdout.write(ordersTable(orders));
    }
    return EXIT.ok;
  },
});

const cancel = defineCommand({
  name: 'order cancel',
  summary: 'cancel an order (or a whole list with --list)',
  usage: `Usage:
  ordo order cancel ID [--list]
  ordo order cancel --all [--symbol S]

Flags:
  --list        ID is a list: cancel every working order of it
  --all         cancel every open order (of --symbol)
  --symbol S    with --all: only this symbol

${CLIENT_FLAGS_HELP}`,
  examples: [
    'ordo order cancel 12',
    'ordo order cancel 3 --list',
    'ordo order cancel --all --symbol BTC/USD',
  ],
  flags: { ...CLIENT_FLAGS, list: { type: 'boolean' }, all: { type: 'boolean' }, symbol: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run({ flags, positionals }, io) {
    const id = positionals[0];
    if (flags.all === true) {
      if (id !== undefined) return usage('give an ID or --all, not both');
    } else if (id === undefined || !/^[0-9]+$/.test(id))
      return usage('give the id of the order (or list) to cancel');
    const target = resolveTarget('order cancel', flags, io);
    if (!target.ok) return target.exit;
    if (flags.all === true) {
      const r = await request(io, 'order cancel', target.value, 'POST', '/v1/orders/cancel-all', {
        symbol: flags.symbol,
      });
      if (!r.ok) return r.exit;
      const a = r.json as { cancelled: number[]; failed: { id: number; message: string }[] };
      if (flags.json) writeJson(io, a);
      else {
        io.stdout.write(
          `cancelled ${a.cancelled.length} order(s)${a.cancelled.length > 0 ? `: ${a.cancelled.join(', ')}` : ''}\n`,
        );
        for (const f of a.failed) io.stdout.write(`not cancelled ${f.id}: ${f.message}\n`);
      }
      return a.failed.length === 0 ? EXIT.ok : EXIT.failure;
    }
    const path = flags.list === true ? `/v1/lists/${id}` : `/v1/orders/${id}`;
    const r = await request(io, 'order cancel', target.value, 'DELETE', path);
    if (!r.ok) return r.exit;
    const a = r.json as { order?: OrderView; list?: ListView };
    if (flags.json) writeJson(io, a);
    else io.stdout.write(ordersTable(a.order !== undefined ? [a.order] : (a.list?.orders ?? [])));
    return EXIT.ok;
  },
});

const modify = defineCommand({
  name: 'order modify',
  summary: 'change the quantity, price or trigger of an open order',
  usage: `Usage:
  ordo order modify ID [--qty D] [--price D] [--trigger D]

${CLIENT_FLAGS_HELP}`,
  examples: ['ordo order modify 12 --price 44950', 'ordo order modify 12 --qty 0.05 --trigger 44000'],
  flags: { ...CLIENT_FLAGS, qty: { type: 'string' }, price: { type: 'string' }, trigger: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ flags, positionals }, io) {
    const id = positionals[0] ?? '';
    if (!/^[0-9]+$/.test(id)) return usage(`'${id}' is not an order id`);
    if (flags.qty === undefined && flags.price === undefined && flags.trigger === undefined)
      return usage('give at least one of --qty, --price, --trigger');
    const target = resolveTarget('order modify', flags, io);
    if (!target.ok) return target.exit;
    const r = await request(io, 'order modify', target.value, 'PATCH', `/v1/orders/${id}`, {
      quantity: flags.qty,
      price: flags.price,
      triggerPrice: flags.trigger,
    });
    if (!r.ok) return r.exit;
    const a = r.json as { order: OrderView };
    if (flags.json) writeJson(io, a);
    else io.stdout.write(ordersTable([a.order]));
    return EXIT.ok;
  },
});

const list = defineCommand({
  name: 'order list',
  summary: 'list orders, newest first',
  usage: `Usage:
  ordo order list [--status open|closed|all|STATUS] [--symbol S] [--limit N]

${CLIENT_FLAGS_HELP}`,
  examples: ['ordo order list', 'ordo order list --status all --symbol BTC/USD --json'],
  flags: {
    ...CLIENT_FLAGS,
    status: { type: 'string' },
    symbol: { type: 'string' },
    limit: { type: 'string' },
  },
  async run({ flags }, io) {
    const target = resolveTarget('order list', flags, io);
    if (!target.ok) return target.exit;
    const q = new URLSearchParams();
    if (flags.status !== undefined) q.set('status', flags.status);
    if (flags.symbol !== undefined) q.set('symbol', flags.symbol);
    if (flags.limit !== undefined) q.set('limit', flags.limit);
    const r = await request(io, 'order list', target.value, 'GET', `/v1/orders${q.size > 0 ? `?${q}` : ''}`);
    if (!r.ok) return r.exit;
    const a = r.json as { orders: OrderView[] };
    if (flags.json) writeJson(io, a);
    else io.stdout.write(ordersTable(a.orders));
    return EXIT.ok;
  },
});

const SUBCOMMANDS: readonly Command[] = [place, cancel, modify, list];

export const orderCommand: Command = {
  name: 'order',
  summary: 'place, cancel, modify and list orders on a running ordo serve',
  usage: `Usage:
  ordo order place [flags]     place any order type (see ordo order place --help)
  ordo order cancel ID         cancel an order; --list for a whole list, --all for everything
  ordo order modify ID [flags] change quantity, price or trigger
  ordo order list [flags]      orders, newest first

Talks to the server over HTTP: the URL and token come from --url/--token, ORDO_URL/ORDO_API_TOKEN,
or the config and data directory of the server.`,
  examples: [
    'ordo order place --type bracket --side buy --symbol BTC/USD --qty 0.1 --price 45000 --take-profit 2% --stop-loss 1%',
    'ordo order list --status all',
    'ordo order cancel 12',
    'ordo order modify 12 --price 44950',
  ],
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout.write(commandHelp(orderCommand));
      return sub === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = SUBCOMMANDS.find((c) => c.name === `order ${sub}`);
    if (command === undefined)
      return usageError(io, 'order', `unknown subcommand '${sub}'; expected place, cancel, modify or list`);
    return command.run(rest, io);
  },
};
