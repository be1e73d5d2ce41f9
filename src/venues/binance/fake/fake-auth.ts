// Request security as Binance checks it (venues.md 2.2), written independently of Ordo's client:
// API keys, the signed payload of REST (query string + body exactly as sent, signature removed) and
// of the WebSocket API (params sorted by name, unencoded), HMAC-SHA256 hex and Ed25519 base64
// signatures, and the timestamp/recvWindow rule.

import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { errors } from './fake-errors.ts';
import { wsParamText } from './fake-params.ts';

export interface FakeApiKey {
  readonly apiKey: string;
  /** HMAC-SHA256 secret key: signatures are hex. */
  readonly hmacSecret?: string;
  /** Ed25519 public key (SPKI PEM): signatures are base64; allows session.logon. */
  readonly ed25519PublicKeyPem?: string;
}

export interface KeyEntry {
  readonly apiKey: string;
  readonly hmacSecret: string | undefined;
  readonly ed25519: KeyObject | undefined;
}

export class KeyRing {
  private readonly keys = new Map<string, KeyEntry>();

  constructor(keys: readonly FakeApiKey[]) {
    for (const k of keys) this.add(k);
  }

  add(k: FakeApiKey): void {
    if (k.hmacSecret === undefined && k.ed25519PublicKeyPem === undefined)
      throw new Error(`API key ${k.apiKey} needs an HMAC secret or an Ed25519 public key`);
    let ed25519: KeyObject | undefined;
    if (k.ed25519PublicKeyPem !== undefined) {
      ed25519 = createPublicKey(k.ed25519PublicKeyPem);
      if (ed25519.asymmetricKeyType !== 'ed25519') throw new Error(`API key ${k.apiKey}: not an Ed25519 key`);
    }
    this.keys.set(k.apiKey, { apiKey: k.apiKey, hmacSecret: k.hmacSecret, ed25519 });
  }

  /** The key for an X-MBX-APIKEY value: -2014 when missing or malformed, -2015 when unknown. */
  resolve(apiKey: string | undefined): KeyEntry {
    if (apiKey === undefined || apiKey === '' || !/^[A-Za-z0-9]+$/.test(apiKey))
      throw errors.badApiKeyFormat();
    const k = this.keys.get(apiKey);
    if (k === undefined) throw errors.rejectedApiKey();
    return k;
  }
}

/** Whether `signature` signs `payload` with `key`: HMAC hex (any case) or Ed25519 base64. */
export function signatureValid(key: KeyEntry, payload: string, signature: string): boolean {
  if (key.hmacSecret !== undefined && /^[0-9a-fA-F]{64}$/.test(signature)) {
    const want = createHmac('sha256', key.hmacSecret).update(payload, 'utf8').digest();
    return timingSafeEqual(want, Buffer.from(signature, 'hex'));
  }
  if (key.ed25519 !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
    const sig = Buffer.from(signature, 'base64');
    if (sig.length !== 64) return false;
    try {
      return verify(null, Buffer.from(payload, 'utf8'), key.ed25519, sig);
    } catch {
      return false;
    }
  }
  return false;
}

/** Drops every `signature=` pair from a raw query string or body, keeping the rest byte for byte. */
function withoutSignature(raw: string): string {
  if (!raw.includes('signature=')) return raw;
  return raw
    .split('&')
    .filter((part) => !part.startsWith('signature='))
    .join('&');
}

/** The REST signed payload: the query string concatenated to the body, as sent, minus signature. */
export function restPayload(rawQuery: string, rawBody: string): string {
  return withoutSignature(rawQuery) + withoutSignature(rawBody);
}

/** The WebSocket API signed payload: params except signature, sorted by name, `k=v` joined by `&`. */
export function wsPayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${wsParamText(params[k])}`)
    .join('&');
}

/**
 * Binance's timing rule: process when timestamp < serverTime + 1000 and serverTime − timestamp ≤
 * recvWindow. Timestamps may be ms or µs (16+ digits); recvWindow is ms with up to 3 decimals,
 * default 5000, at most 60000.
 */
export function checkTimestamp(timestamp: string, recvWindow: string | undefined, nowMs: number): void {
  if (!/^[0-9]{1,20}$/.test(timestamp)) throw errors.mandatory('timestamp');
  const raw = BigInt(timestamp);
  const tsUs = timestamp.length >= 16 ? raw : raw * 1000n;
  let windowUs = 5_000_000n;
  if (recvWindow !== undefined) {
    const m = /^([0-9]{1,20})(?:\.([0-9]{1,3}))?$/.exec(recvWindow);
    if (m === null) throw errors.mandatory('recvWindow');
    windowUs = BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0') || '0');
    if (windowUs > 60_000_000n) throw errors.greaterThan('recvWindow', '60000');
  }
  const nowUs = BigInt(nowMs) * 1000n;
  if (tsUs >= nowUs + 1_000_000n) throw errors.timestampAhead();
  if (nowUs - tsUs > windowUs) throw errors.timestampOutside();
}
