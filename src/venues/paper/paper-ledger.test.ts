// Tests of the paper ledger: exact parsing of starting balances, locks that cannot exceed what is
// available, and debits that take from the locked part.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvariantError } from '../../core/assert.ts';
import { PaperLedger } from './paper-ledger.ts';

const E18 = 10n ** 18n;

test('balances parse exactly and list currencies in first-seen order', () => {
  const l = new PaperLedger({ USD: '100.5', BTC: '0.000000000000000001' });
  l.open('ETH');
  l.open('USD');
  assert.deepEqual([...l.snapshot().keys()], ['USD', 'BTC', 'ETH']);
  assert.equal(l.get('USD').total, 1005n * 10n ** 17n);
  assert.equal(l.get('BTC').total, 1n);
  assert.throws(() => new PaperLedger({ USD: '-1' }), InvariantError);
  assert.throws(() => new PaperLedger({ USD: '0.1e3' }), InvariantError);
});

test('locks come out of available and debits out of the lock', () => {
  const l = new PaperLedger({ USD: '100' });
  l.lock('USD', 60n * E18);
  assert.throws(() => l.lock('USD', 41n * E18), InvariantError);
  l.debit('USD', 50n * E18, 50n * E18);
  assert.deepEqual(l.get('USD'), { total: 50n * E18, locked: 10n * E18, available: 40n * E18 });
  l.unlock('USD', 10n * E18);
  assert.throws(() => l.unlock('USD', 1n), InvariantError);
  l.credit('USD', 1n);
  assert.deepEqual(l.get('USD'), { total: 50n * E18 + 1n, locked: 0n, available: 50n * E18 + 1n });
});
