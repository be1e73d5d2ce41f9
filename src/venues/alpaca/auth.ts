// Alpaca authentication (venues.md 1.2): nothing is signed. Every REST call carries the key id and
// the secret in two headers; the trading stream authenticates with an `authenticate` action and
// the market-data stream with an `auth` action, each carrying the same pair. Credentials keep the
// secret in a private field and never print it: toString, toJSON and util.inspect show a masked
// key id only, and every message built here that carries the secret is a string handed straight
// to the socket or the fetch call, never logged.

import { inspect } from 'node:util';
import { err, fieldError, ok, type Result } from '../../core/errors.ts';

/** Alpaca's documented endpoints. Paper first: real simulated matching, play money. */
export const ALPACA_URLS = {
  paper: {
    rest: 'https://paper-api.alpaca.markets',
    stream: 'wss://paper-api.alpaca.markets/stream',
    data: 'https://data.alpaca.markets',
    dataStream: 'wss://stream.data.alpaca.markets',
  },
  live: {
    rest: 'https://api.alpaca.markets',
    stream: 'wss://api.alpaca.markets/stream',
    data: 'https://data.alpaca.markets',
    dataStream: 'wss://stream.data.alpaca.markets',
  },
} as const;

export interface AlpacaUrls {
  /** Trading API base (`/v2/...` is appended). */
  readonly rest: string;
  /** The trading stream (`trade_updates`), a full URL. */
  readonly stream: string;
  /** Market-data stream base: `/v2/{feed}` and `/v1beta3/crypto/us` are appended. */
  readonly dataStream: string;
}

export interface CredentialsInput {
  readonly keyId: string;
  readonly secretKey: string;
}

const LINE_RE = /^[^\s]+$/;

/** An API key id and its secret. The secret cannot be printed or serialised. */
export class AlpacaCredentials {
  readonly keyId: string;
  readonly #secret: string;

  private constructor(keyId: string, secret: string) {
    this.keyId = keyId;
    this.#secret = secret;
  }

  /** Validates the input: a non-empty key id and secret without whitespace. */
  static from(input: CredentialsInput): Result<AlpacaCredentials> {
    if (typeof input.keyId !== 'string' || !LINE_RE.test(input.keyId))
      return err(fieldError('keyId', 'required', 'must be a non-empty string without spaces'));
    if (typeof input.secretKey !== 'string' || !LINE_RE.test(input.secretKey))
      return err(fieldError('secretKey', 'required', 'must be a non-empty string without spaces'));
    return ok(new AlpacaCredentials(input.keyId, input.secretKey));
  }

  /** The two headers every Trading and Market Data REST call carries. */
  headers(): Record<string, string> {
    return { 'APCA-API-KEY-ID': this.keyId, 'APCA-API-SECRET-KEY': this.#secret };
  }

  /** The trading stream's first message (`{"action":"authenticate",...}`), as sent. */
  streamAuthFrame(): string {
    return JSON.stringify({ action: 'authenticate', data: { key_id: this.keyId, secret_key: this.#secret } });
  }

  /** The market-data stream's auth message (`{"action":"auth",...}`), as sent. */
  dataAuthFrame(): string {
    return JSON.stringify({ action: 'auth', key: this.keyId, secret: this.#secret });
  }

  /** The key id with all but its first and last four characters hidden. */
  get maskedKeyId(): string {
    const k = this.keyId;
    return k.length <= 8 ? '****' : `${k.slice(0, 4)}…${k.slice(-4)}`;
  }

  toString(): string {
    return `AlpacaCredentials(keyId ${this.maskedKeyId})`;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.maskedKeyId };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
