// Denial strings are exact: trimmed, padded to a minimum precision, never rounded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDecimal } from './format.ts';

test('formatDecimal trims, pads and keeps every significant digit', () => {
  assert.equal(formatDecimal(500000n, 2, 2), '5000.00');
  assert.equal(formatDecimal(5000n * 10n ** 18n, 18, 2), '5000.00');
  assert.equal(formatDecimal(123456789n, 5, 2), '1234.56789');
  assert.equal(formatDecimal(-15n, 1, 2), '-1.50');
  assert.equal(formatDecimal(0n, 18, 0), '0');
  assert.equal(formatDecimal(7n, 0, 3), '7.000');
});
