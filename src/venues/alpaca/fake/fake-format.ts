// How the fake Alpaca writes values: decimals as plain strings with trailing zeros dropped (Alpaca
// sends "500", "0.5", "105.8988475"), times as RFC 3339 UTC with microseconds (the documented
// order entity writes "2021-03-16T18:38:01.942282Z"), and UUIDs drawn from a seeded generator so
// that one seed gives the same ids on every run. Nothing here goes through a binary fraction.

import { createHash } from 'node:crypto';
import { divRound, formatUnits, pow10 } from '../../../core/decimal.ts';
import { SeededRandom } from '../../../core/ports.ts';
import { MONEY_SCALE } from '../../../model/instrument.ts';

/** Units of 10^-scale as a decimal string, trailing zeros dropped. */
export function dec(units: number | bigint, scale: number): string {
  return formatUnits(units, scale, true);
}

/** Money (bigint units of 10^-18) as a decimal string, trailing zeros dropped. */
export function money(units: bigint): string {
  return formatUnits(units, MONEY_SCALE, true);
}

/** num / den rounded half-even to `digits` places, trailing zeros dropped; "0" when den is 0. */
export function ratio(num: bigint, den: bigint, digits: number): string {
  if (den === 0n) return '0';
  return formatUnits(divRound(num * pow10(digits), den, 'half_even'), digits, true);
}

/** RFC 3339 in UTC with microseconds, e.g. `2023-11-14T22:13:20.123000Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

/** `YYYYMMDDhhmmssSSS`, the time part of an account activity id. */
export function activityStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:TZ.]/g, '');
}

/** Formats 16 bytes as a version-4 UUID. */
function uuidOf(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID that depends only on `text` (asset ids, the account id). */
export function stableUuid(text: string): string {
  return uuidOf(createHash('sha256').update(text).digest());
}

/** UUIDs from a seeded generator: the same seed gives the same sequence. */
export class UuidSource {
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  next(): string {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const v = this.random.nextU32();
      bytes[i] = v >>> 24;
      bytes[i + 1] = (v >>> 16) & 0xff;
      bytes[i + 2] = (v >>> 8) & 0xff;
      bytes[i + 3] = v & 0xff;
    }
    return uuidOf(bytes);
  }
}
