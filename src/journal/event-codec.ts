// How an engine event is written to a journal record and read back. Records are JSON with a
// format version; bigints (money) are written as decimal strings tagged `{"$n": "…"}` so no
// number ever passes through a float. Each record's checksum chains the previous one (CRC-32 of
// the previous checksum and this payload), so a verify pass finds a gap, an edit or a torn write.
// Checkpoint state is JSON with the same bigint tags (no format version: it is rewritten often).

import { crc32 } from 'node:zlib';
import type { OrdoEvent } from '../engine/events.ts';

/** Version of the record format written today; readers accept this and older. */
export const RECORD_VERSION = 1;

/** The key of a tagged bigint: `{"$n": "-123"}`. */
const BIGINT_TAG = '$n';
/** A quick pre-check: a payload without this text holds no tagged bigint, so it needs no walk. */
const BIGINT_TAG_TEXT = `"${BIGINT_TAG}"`;

function tagBigint(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v;
}

export function encodeEvent(e: OrdoEvent): string {
  return stringifyTagged(e)!;
}

/**
 * JSON.stringify with bigints tagged. A replacer (a call from the serializer per value) is the
 * obvious way and costs a third of the append path, so the value is copied instead, only where
 * a bigint sits, and serialized plainly; the output is the same text. On a value the copy cannot
 * take (a cycle), the replacer runs, for JSON.stringify's own error message.
 */
function stringifyTagged(value: unknown): string | undefined {
  let copy: unknown;
  try {
    copy = withTaggedBigints(value);
  } catch {
    return JSON.stringify(value, tagBigint);
  }
  return JSON.stringify(copy);
}

/** `v` itself when it holds no bigint, else a copy with each bigint replaced by its tag. */
function withTaggedBigints(v: unknown): unknown {
  if (typeof v === 'bigint') return { [BIGINT_TAG]: v.toString() };
  if (v === null || typeof v !== 'object') return v;
  // toJSON runs before a replacer would see the value: leave such objects to JSON.stringify.
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'bigint' && (x === null || typeof x !== 'object')) continue;
      const y = withTaggedBigints(x);
      if (y !== x) {
        out ??= v.slice();
        out[i] = y;
      }
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (typeof x !== 'bigint' && (x === null || typeof x !== 'object')) continue;
    const y = withTaggedBigints(x);
    if (y !== x) {
      out ??= { ...o };
      out[k] = y;
    }
  }
  return out ?? o;
}

export type DecodeResult =
  | { readonly ok: true; readonly event: OrdoEvent }
  | { readonly ok: false; readonly message: string };

export function decodeEvent(payload: string, version: number): DecodeResult {
  if (!Number.isInteger(version) || version < 1 || version > RECORD_VERSION)
    return {
      ok: false,
      message: `record format ${version} is not readable by this Ordo (reads up to ${RECORD_VERSION})`,
    };
  try {
    const event = parseTagged(payload) as OrdoEvent;
    if (
      event === null ||
      typeof event !== 'object' ||
      typeof event.type !== 'string' ||
      typeof event.ts !== 'number'
    )
      return { ok: false, message: 'record is not an event' };
    return { ok: true, event };
  } catch (e) {
    return { ok: false, message: `record is not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * Decodes `count` records of the current format that the store joined into one JSON array
 * (`[record,record,…]`), for replay: one parse per page instead of one per record. Returns
 * undefined when the text is not exactly `count` events; the caller then decodes record by
 * record with decodeEvent, which says which record is damaged and how.
 */
export function decodeEventArray(text: string, count: number): OrdoEvent[] | undefined {
  let events: unknown;
  try {
    events = parseTagged(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(events) || events.length !== count) return undefined;
  for (const event of events as OrdoEvent[]) {
    if (
      event === null ||
      typeof event !== 'object' ||
      typeof event.type !== 'string' ||
      typeof event.ts !== 'number'
    )
      return undefined;
  }
  return events as OrdoEvent[];
}

/** Checkpoint state as JSON with tagged bigints; throws on what JSON cannot hold (a cycle). */
export function encodeCheckpointState(state: unknown): string {
  return stringifyTagged(state) ?? 'null';
}

/** The inverse of encodeCheckpointState; throws on a payload that is not JSON. */
export function decodeCheckpointState(payload: string): unknown {
  return parseTagged(payload);
}

/**
 * JSON.parse, then tagged bigints replaced in place. Replay decodes every event, and a reviver
 * (one call from the parser per value) runs at a quarter of the speed of a plain parse, while
 * most records carry no bigint at all: those skip the walk after one substring test.
 */
function parseTagged(payload: string): unknown {
  const value: unknown = JSON.parse(payload);
  return payload.includes(BIGINT_TAG_TEXT) ? reviveBigints(value) : value;
}

function reviveBigints(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null || typeof x !== 'object') continue;
      const y = reviveBigints(x);
      if (y !== x) v[i] = y;
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  const tag = o[BIGINT_TAG];
  if (typeof tag === 'string' && hasOneKey(o)) return BigInt(tag);
  // JSON.parse makes plain objects: for-in sees exactly their own keys.
  for (const k in o) {
    const x = o[k];
    if (x === null || typeof x !== 'object') continue;
    const y = reviveBigints(x);
    if (y !== x) o[k] = y;
  }
  return o;
}

function hasOneKey(o: object): boolean {
  let n = 0;
  for (const _ in o) if (++n > 1) return false;
  return n === 1;
}

/** The chained checksum of a record: CRC-32 over the previous checksum and the payload. */
export function chainChecksum(previous: number, payload: string): number {
  return crc32(payload, previous >>> 0) >>> 0;
}

export const CHECKSUM_SEED = 0;
