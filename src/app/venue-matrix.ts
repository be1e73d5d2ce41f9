// The capability matrix of every venue Ordo knows, from the matrices routing reads (never written
// by hand): shown by `ordo venues` and kept in docs/venue-capabilities.md, which a test holds equal
// to this output.

import type { Capabilities } from '../engine/venue-port.ts';
import { ALPACA_CRYPTO_CAPABILITIES, ALPACA_EQUITY_CAPABILITIES } from '../venues/alpaca/capabilities.ts';
import { BINANCE_SPOT_CAPABILITIES } from '../venues/binance/requests.ts';
import { COINBASE_CAPABILITIES } from '../venues/coinbase/requests.ts';
import { ALL_NATIVE, PaperVenue } from '../venues/paper/paper-venue.ts';

/** The venues and instrument kinds, in column order. */
export function knownVenues(): { readonly name: string; readonly caps: Capabilities }[] {
  const paper = new PaperVenue({ venue: 'paper', instruments: [], balances: {}, native: ALL_NATIVE });
  return [
    { name: 'paper (default)', caps: paper.capabilities },
    { name: 'binance spot', caps: BINANCE_SPOT_CAPABILITIES },
    { name: 'alpaca equity', caps: ALPACA_EQUITY_CAPABILITIES },
    { name: 'alpaca crypto', caps: ALPACA_CRYPTO_CAPABILITIES },
    { name: 'coinbase spot', caps: COINBASE_CAPABILITIES },
  ];
}

type Row = readonly [label: string, cell: (c: Capabilities) => string];

const yesNo = (v: boolean | undefined, whenUnset = 'yes') => (v === undefined ? whenUnset : v ? 'yes' : 'no');

/** A refinement only means something where the thing it refines is native. */
const when = (native: boolean, text: string) => (native ? text : '—');
const trailing = (c: Capabilities) => c.orderTypes.trailing_stop === 'native';
const stops = (c: Capabilities) =>
  c.orderTypes.stop === 'native' || c.orderTypes.stop_limit === 'native' || trailing(c);
const lists = (c: Capabilities) => Object.values(c.contingencies).includes('native');

const ROWS: readonly Row[] = [
  ['market', (c) => c.orderTypes.market],
  ['limit', (c) => c.orderTypes.limit],
  ['stop (stop-market)', (c) => c.orderTypes.stop],
  ['stop-limit', (c) => c.orderTypes.stop_limit],
  ['trailing stop', (c) => c.orderTypes.trailing_stop],
  ['bracket', (c) => c.contingencies.bracket],
  [
    'bracket take-profit + stop-loss as one native order (entry linked by Ordo)',
    (c) => yesNo(c.bracketExitPair, 'no'),
  ],
  ['OCO', (c) => c.contingencies.oco],
  ['OTO', (c) => c.contingencies.oto],
  [
    'time in force gtc / ioc / fok',
    (c) => `${c.timeInForce.gtc} / ${c.timeInForce.ioc} / ${c.timeInForce.fok}`,
  ],
  ['time in force day / gtd', (c) => `${c.timeInForce.day} / ${c.timeInForce.gtd}`],
  ['native stops trigger on', (c) => when(stops(c), (c.triggerBases ?? ['last', 'quote', 'mid']).join(', '))],
  [
    'native trailing offsets',
    (c) => when(trailing(c), (c.trailingOffsets ?? ['price', 'ticks', 'percent', 'bps']).join(', ')),
  ],
  ['native trailing activation price', (c) => when(trailing(c), yesNo(c.trailingActivation))],
  ['native trailing stop-limit', (c) => when(trailing(c), yesNo(c.trailingLimit))],
  ['native trailing stop quantity raised', (c) => when(trailing(c), yesNo(c.trailingRaise))],
  [
    'native lists release children on a partial fill',
    (c) =>
      when(lists(c), yesNo(c.listsReleaseOnFullFill === undefined ? undefined : !c.listsReleaseOnFullFill)),
  ],
  [
    'native list legs cancelled or re-priced one at a time',
    (c) => when(lists(c), yesNo(c.listLegsFixed === undefined ? undefined : !c.listLegsFixed)),
  ],
  [
    'native OTO children at most',
    (c) => when(c.contingencies.oto === 'native', String(c.otoMaxChildren ?? 'any')),
  ],
];

/** The matrix as a Markdown table. `emulated`: Ordo holds the order and sends what it releases. */
export function venueMatrix(): string {
  const venues = knownVenues();
  const header = `| | ${venues.map((v) => v.name).join(' | ')} |`;
  const rule = `|---|${venues.map(() => '---').join('|')}|`;
  const rows = ROWS.map(([label, cell]) => `| ${label} | ${venues.map((v) => cell(v.caps)).join(' | ')} |`);
  return [
    '# Venue capabilities',
    '',
    'Generated from the capability matrices Ordo routes by (`ordo venues` prints the same).',
    '`native`: the venue holds the order; `emulated`: Ordo holds it and sends the market or limit',
    'order it releases when the trigger holds (or links the list itself); `unsupported`: refused.',
    'A list goes native only when every order of it can; anything a venue cannot take natively for',
    'one of the refinements below is emulated where Ordo can emulate it. `oms.explain(...)` shows',
    'the plan for one order, with reasons.',
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
}
