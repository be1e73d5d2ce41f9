import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimeMs } from './time-format.ts';

describe('parseTimeMs', () => {
  it('reads epoch numbers in s, ms, us and ns, flooring below a millisecond', () => {
    assert.equal(parseTimeMs('1315922016', 's'), 1315922016000);
    assert.equal(parseTimeMs('1315922016.2509', 's'), 1315922016250);
    assert.equal(parseTimeMs('1723161255342', 'ms'), 1723161255342);
    assert.equal(parseTimeMs('1582329601096999', 'us'), 1582329601096);
    assert.equal(parseTimeMs('1723161254087896568', 'ns'), 1723161254087);
    assert.equal(parseTimeMs(' 17 ', 'ms'), 17);
  });

  it('reads ISO and space-separated UTC times with fractions and zones', () => {
    assert.equal(parseTimeMs('2021-12-31 23:01:00.000000', 'iso'), Date.UTC(2021, 11, 31, 23, 1));
    assert.equal(parseTimeMs('2021-12-31T23:01:00.123999Z', 'iso'), Date.UTC(2021, 11, 31, 23, 1, 0, 123));
    assert.equal(parseTimeMs('2021-12-31T23:01:00+02:00', 'iso'), Date.UTC(2021, 11, 31, 21, 1));
    assert.equal(parseTimeMs('2021-12-31T23:01-0130', 'iso'), Date.UTC(2022, 0, 1, 0, 31));
    assert.equal(parseTimeMs('2011-12-30', 'iso'), Date.UTC(2011, 11, 30));
    assert.equal(parseTimeMs('0050-01-01', 'iso'), -60589296000000);
  });

  it("reads NinjaTrader's yyyyMMdd HHmmss as UTC", () => {
    assert.equal(parseTimeMs('20110309 143100', 'yyyyMMdd HHmmss'), Date.UTC(2011, 2, 9, 14, 31));
  });

  it('refuses text that names no real time', () => {
    for (const [text, format] of [
      ['2021-02-30 00:00:00', 'iso'],
      ['2021-13-01', 'iso'],
      ['2021-01-01 24:00:00', 'iso'],
      ['2021-01-01T00:00:00+25:00', 'iso'],
      ['20110309 1431', 'yyyyMMdd HHmmss'],
      ['1e12', 'ms'],
      ['-5', 's'],
      ['', 'us'],
      ['abc', 'ns'],
    ] as const)
      assert.equal(parseTimeMs(text, format), undefined, `${text} as ${format}`);
  });
});
