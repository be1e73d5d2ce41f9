// The paper venue's input log, for incremental checkpoints (see `PaperVenue.checkpoint`). The venue
// is deterministic, so instead of saving its whole state at every checkpoint it can save the inputs
// it has been given since the previous one: a chain of a full snapshot followed by input parts.
// This file holds what an input part is made of, its reading back from plain data (after the
// journal's checkpoint codec: JSON with tagged bigints) with errors naming the path, and the
// weight of a snapshot that decides when a chain restarts.

import type { TimestampMs } from '../../core/ports.ts';
import type { VenueCommand, VenueListRequest } from '../../engine/venue-port.ts';
import type { MarketData } from '../../model/market.ts';
import type { SnapshotReader } from './snapshot-reader.ts';

/** One state-changing call of the venue, as plain data. */
export type VenueInput =
  | { readonly op: 'handle'; readonly command: VenueCommand; readonly ts: TimestampMs }
  | { readonly op: 'market'; readonly md: MarketData }
  | { readonly op: 'drain' };

/** The state of a delta checkpoint part: the venue's inputs since the previous part, oldest first. */
export interface VenueInputsState {
  readonly version: 1;
  readonly inputs: readonly VenueInput[];
}

/**
 * The size measure of a full snapshot that the chain rule compares input counts with: its open
 * matcher orders, client ids in the id table, commands in flight, orders the venue-side engine
 * holds and undrained reports, plus 64 so that a nearly empty venue does not restart its chain
 * after every few inputs. Each counts as about one recorded input (one is a few hundred bytes of
 * JSON either way), which is what keeps a chain within about twice one snapshot. The venue-side
 * engine's events are not counted, only its orders: a restored venue's history may hold a few
 * `watermark_moved` events more than the live one's (see PaperVenue.snapshot), and a restored
 * venue must restart its chain exactly when the live one would.
 */
export function snapshotWeight(s: {
  readonly matcher: {
    readonly openOrders: readonly unknown[];
    readonly ids: readonly unknown[];
    readonly commands: readonly unknown[];
  };
  readonly links: readonly unknown[];
  readonly reports: readonly unknown[];
}): number {
  return (
    s.matcher.openOrders.length +
    s.matcher.ids.length +
    s.matcher.commands.length +
    s.links.length +
    s.reports.length +
    64
  );
}

const OPS = ['handle', 'market', 'drain'] as const;
const COMMAND_KINDS = ['submit', 'submit_list', 'cancel', 'modify'] as const;
const LIST_KINDS = ['bracket', 'oco', 'oto'] as const;
const LIST_TRIGGERS = ['partial', 'full'] as const;
const MARKET_KINDS = ['quote', 'trade', 'bar'] as const;
const SIDES = ['buy', 'sell'] as const;

/**
 * Reads a delta part's state back: `{ version: 1, inputs }`, every input rebuilt with exactly the
 * keys the live one had (JSON drops undefined values; a replay must see the same objects).
 */
export function readVenueInputs(r: SnapshotReader, v: unknown, path: string): VenueInput[] {
  const s = r.object(v, path);
  if (s.version !== 1) r.fail(`${path}.version`, `must be 1, got ${JSON.stringify(s.version)}`);
  return r.array(s.inputs, `${path}.inputs`).map((e, i) => readInput(r, e, `${path}.inputs[${i}]`));
}

function readInput(r: SnapshotReader, v: unknown, path: string): VenueInput {
  const o = r.object(v, path);
  const op = r.oneOf(o.op, `${path}.op`, OPS);
  switch (op) {
    case 'handle':
      return { op, command: readCommand(r, o.command, `${path}.command`), ts: r.int(o.ts, `${path}.ts`) };
    case 'market':
      return { op, md: readMarket(r, o.md, `${path}.md`) };
    case 'drain':
      return { op };
  }
}

function readCommand(r: SnapshotReader, v: unknown, path: string): VenueCommand {
  const o = r.object(v, path);
  const kind = r.oneOf(o.kind, `${path}.kind`, COMMAND_KINDS);
  switch (kind) {
    case 'submit':
      return { kind, order: r.request(o.order, `${path}.order`) };
    case 'submit_list':
      return { kind, list: readList(r, o.list, `${path}.list`) };
    case 'cancel':
      return {
        kind,
        instrument: r.string(o.instrument, `${path}.instrument`),
        clientOrderId: r.string(o.clientOrderId, `${path}.clientOrderId`),
      };
    case 'modify': {
      const pairQuantity = r.optInt(o.pairQuantity, `${path}.pairQuantity`);
      return {
        kind,
        instrument: r.string(o.instrument, `${path}.instrument`),
        clientOrderId: r.string(o.clientOrderId, `${path}.clientOrderId`),
        quantity: r.int(o.quantity, `${path}.quantity`),
        price: r.optInt(o.price, `${path}.price`),
        triggerPrice: r.optInt(o.triggerPrice, `${path}.triggerPrice`),
        // Optional key: present only when the engine set it.
        ...(pairQuantity === undefined ? {} : { pairQuantity }),
      };
    }
  }
}

function readList(r: SnapshotReader, v: unknown, path: string): VenueListRequest {
  const o = r.object(v, path);
  return {
    kind: r.oneOf(o.kind, `${path}.kind`, LIST_KINDS),
    listClientId: r.string(o.listClientId, `${path}.listClientId`),
    parent: o.parent === null || o.parent === undefined ? undefined : r.request(o.parent, `${path}.parent`),
    legs: r.array(o.legs, `${path}.legs`).map((l, i) => r.request(l, `${path}.legs[${i}]`)),
    trigger: r.oneOf(o.trigger, `${path}.trigger`, LIST_TRIGGERS),
  };
}

function readMarket(r: SnapshotReader, v: unknown, path: string): MarketData {
  const o = r.object(v, path);
  const kind = r.oneOf(o.kind, `${path}.kind`, MARKET_KINDS);
  const instrument = r.string(o.instrument, `${path}.instrument`);
  const ts = r.int(o.ts, `${path}.ts`);
  const int = (key: string) => r.int(o[key], `${path}.${key}`);
  switch (kind) {
    case 'quote':
      return {
        kind,
        instrument,
        ts,
        bid: int('bid'),
        bidSize: int('bidSize'),
        ask: int('ask'),
        askSize: int('askSize'),
      };
    case 'trade':
      return {
        kind,
        instrument,
        ts,
        price: int('price'),
        size: int('size'),
        aggressor:
          o.aggressor === null || o.aggressor === undefined
            ? undefined
            : r.oneOf(o.aggressor, `${path}.aggressor`, SIDES),
        tradeId:
          o.tradeId === null || o.tradeId === undefined ? undefined : r.string(o.tradeId, `${path}.tradeId`),
      };
    case 'bar':
      return {
        kind,
        instrument,
        ts,
        open: int('open'),
        high: int('high'),
        low: int('low'),
        close: int('close'),
        volume: int('volume'),
        durationMs: int('durationMs'),
      };
  }
}
