// Timestamp text to epoch milliseconds (UTC), for the formats market-data files use: epoch
// numbers in s/ms/us/ns, ISO-8601 and `YYYY-MM-DD HH:MM:SS(.ffffff)` (no zone means UTC), and
// NinjaTrader's `yyyyMMdd HHmmss`. Sub-millisecond digits are truncated toward the past (floor),
// so an event never appears later than it happened. No float ever touches the digits.

import { assertNever } from '../core/assert.ts';
import { divRound, parseUnitsRounded, pow10 } from '../core/decimal.ts';
import type { TimestampMs } from '../core/ports.ts';

export type TimeFormat = 's' | 'ms' | 'us' | 'ns' | 'iso' | 'yyyyMMdd HHmmss';

export const TIME_FORMATS: readonly TimeFormat[] = ['s', 'ms', 'us', 'ns', 'iso', 'yyyyMMdd HHmmss'];

/** Digits of a unit below one millisecond (negative: above). */
const EPOCH_SCALE: Record<'s' | 'ms' | 'us' | 'ns', number> = { s: -3, ms: 0, us: 3, ns: 6 };

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const NT_RE = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/;

/** Parses a timestamp; undefined when the text does not match the format or names no real time. */
export function parseTimeMs(text: string, format: TimeFormat): TimestampMs | undefined {
  const t = text.trim();
  switch (format) {
    case 's':
    case 'ms':
    case 'us':
    case 'ns':
      return parseEpoch(t, EPOCH_SCALE[format]);
    case 'iso':
      return parseIso(t);
    case 'yyyyMMdd HHmmss': {
      const m = NT_RE.exec(t);
      return m === null ? undefined : civilMs(m.slice(1, 7).map(Number), 0);
    }
    default:
      return assertNever(format, 'time format');
  }
}

function parseEpoch(t: string, subMsDigits: number): TimestampMs | undefined {
  // Seconds may carry a fraction ("1315922016.25"); the finer units are read as integers or
  // decimals alike and floored to whole milliseconds.
  let ms: bigint | undefined;
  if (subMsDigits < 0) ms = parseUnitsRounded(t, -subMsDigits, 'floor');
  else {
    const units = parseUnitsRounded(t, 0, 'floor');
    ms = units === undefined ? undefined : divRound(units, pow10(subMsDigits), 'floor');
  }
  if (ms === undefined || ms < 0n || ms > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(ms);
}

function parseIso(t: string): TimestampMs | undefined {
  const m = ISO_RE.exec(t);
  if (m === null) return undefined;
  const fields = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const msOfFraction = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const base = civilMs(fields, msOfFraction);
  if (base === undefined) return undefined;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') return base;
  const digits = zone.replace(':', '');
  const sign = digits[0] === '-' ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 23 || minutes > 59) return undefined;
  // A local time at +02:00 is two hours *ahead* of UTC, so UTC = local − offset.
  return base - sign * (hours * 60 + minutes) * 60_000;
}

/** [year, month, day, hour, minute, second] in UTC to epoch ms, refusing overflowing fields. */
function civilMs(f: number[], ms: number): TimestampMs | undefined {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = f;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear keeps years below 100 literal (Date.UTC would read 0050 as 1950).
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  // The Date rolls 31 April into 1 May; a round trip of the day catches it.
  if (date.getUTCDate() !== d) return undefined;
  return date.getTime();
}
