import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { venueMatrix } from './venue-matrix.ts';

test('docs/venue-capabilities.md is the matrix routing reads (regenerate with `ordo venues`)', () => {
  const doc = readFileSync(new URL('../../docs/venue-capabilities.md', import.meta.url), 'utf8');
  assert.equal(doc, venueMatrix());
});

test('the matrix says what each venue takes natively', () => {
  const m = venueMatrix();
  const row = (label: string) => m.split('\n').find((l) => l.startsWith(`| ${label} |`));
  // Columns: paper, binance, alpaca equity, alpaca crypto, coinbase.
  assert.equal(row('OCO'), '| OCO | native | native | native | emulated | emulated |');
  assert.equal(row('trailing stop'), '| trailing stop | native | native | native | emulated | emulated |');
  // Coinbase holds a bracket's exits as one trigger bracket order; its entry is linked by Ordo.
  assert.equal(
    row('bracket take-profit + stop-loss as one native order (entry linked by Ordo)'),
    '| bracket take-profit + stop-loss as one native order (entry linked by Ordo) | no | no | no | no | yes |',
  );
});
