import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legOfFill, PairBook, pairClientId, splitPairId } from './exit-pair.ts';

test('an exit pair’s client id names both legs and splits back, even with the separator in the prefix', () => {
  assert.equal(pairClientId('ordo-2', 'ordo-3'), 'ordo-2_ordo-3');
  assert.deepEqual(splitPairId('ordo-2_ordo-3'), { takeProfit: 'ordo-2', stopLoss: 'ordo-3' });
  const id = pairClientId('my_bot-12', 'my_bot-13r1')!;
  assert.deepEqual(splitPairId(id), { takeProfit: 'my_bot-12', stopLoss: 'my_bot-13r1' });
  // Ids that could not be split back make no pair id; ids without a middle separator name no pair.
  assert.equal(pairClientId('a_b', 'c'), undefined);
  assert.equal(pairClientId('x'.repeat(64), 'y'.repeat(64)), undefined, 'over 128 characters');
  assert.equal(splitPairId('ordo-7'), undefined);
  assert.equal(splitPairId('a_b_c'), undefined);
  assert.equal(splitPairId('_x'), undefined);
});

test('a fill known only by its price: the take-profit never fills worse than its limit', () => {
  // Before the trigger, every fill is the take-profit's.
  assert.equal(legOfFill('sell', false, 4_000_000, 5_500_000), 'take_profit');
  // After it, a sell below the take-profit's limit is the stop-loss's; at or above, the take-profit's.
  assert.equal(legOfFill('sell', true, 4_449_850, 5_500_000), 'stop_loss');
  assert.equal(legOfFill('sell', true, 5_500_000, 5_500_000), 'take_profit');
  // A buy bracket (exits of a short) the other way round.
  assert.equal(legOfFill('buy', true, 5_600_000, 5_000_000), 'stop_loss');
  assert.equal(legOfFill('buy', true, 4_990_000, 5_000_000), 'take_profit');
});

test('the book of fill legs survives a round trip through JSON, dropping what it cannot read', () => {
  const book = new PairBook();
  assert.equal(book.set('f1', 'take_profit'), true);
  assert.equal(book.set('f1', 'take_profit'), false);
  book.set('f2', 'stop_loss');
  const back = PairBook.fromJSON(JSON.parse(JSON.stringify({ ...book.toJSON(), f3: 'entry' })));
  assert.equal(back.get('f1'), 'take_profit');
  assert.equal(back.get('f2'), 'stop_loss');
  assert.equal(back.get('f3'), undefined);
  assert.equal(PairBook.fromJSON(null).get('f1'), undefined);
});
