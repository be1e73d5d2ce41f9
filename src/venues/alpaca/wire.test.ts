import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimal, formatTime, numberText, parseTime } from './wire.ts';

describe('wire values', () => {
  it('reads numbers through their shortest decimal text, exponents spelled out', () => {
    assert.equal(numberText(64625.4), '64625.4');
    assert.equal(numberText(0.1), '0.1');
    assert.equal(numberText(1e-7), '0.0000001');
    assert.equal(numberText(-2.5e-8), '-0.000000025');
    assert.equal(numberText(1.5e21), '1500000000000000000000');
    assert.equal(numberText(100), '100');
    assert.equal(numberText(Number.NaN), undefined);
    assert.equal(decimal.parse(3.654), '3.654');
    assert.equal(decimal.parse(' 500.75 '), '500.75');
    assert.equal(decimal.safeParse('1e5').success, false);
  });

  it('reads RFC 3339 times with nanoseconds and any offset', () => {
    assert.equal(parseTime('2022-04-19T13:45:04.981350886-04:00'), Date.UTC(2022, 3, 19, 17, 45, 4, 981));
    assert.equal(parseTime('2021-03-16T18:38:01.942282Z'), Date.UTC(2021, 2, 16, 18, 38, 1, 942));
    assert.equal(parseTime('2024-07-18T09:30:00+05:30'), Date.UTC(2024, 6, 18, 4, 0, 0));
    assert.equal(parseTime('2024-07-18T09:30:00.5Z'), Date.UTC(2024, 6, 18, 9, 30, 0, 500));
    assert.equal(parseTime('2024-07-18'), undefined);
    assert.equal(formatTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), '2024-01-02T03:04:05.006Z');
  });
});
