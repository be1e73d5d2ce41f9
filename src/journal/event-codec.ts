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
  return JSON.stringify(e, tagBigint);
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

/** Checkpoint state as JSON with tagged bigints; throws on what JSON cannot hold (a cycle). */
export function encodeCheckpointState(state: unknown): string {
  return JSON.stringify(state, tagBigint) ?? 'null';
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
      const x = v[i];
      const y = reviveBigints(x);
      if (y !== x) v[i] = y;
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  const tag = o[BIGINT_TAG];
  if (typeof tag === 'string' && Object.keys(o).length === 1) return BigInt(tag);
  for (const k in o) {
    const x = o[k];
    const y = reviveBigints(x);
    if (y !== x) o[k] = y;
  }
  return o;
}

/** The chained checksum of a record: CRC-32 over the previous checksum and the payload. */
export function chainChecksum(previous: number, payload: string): number {
  return crc32(payload, previous >>> 0) >>> 0;
}

export const CHECKSUM_SEED = 0;
