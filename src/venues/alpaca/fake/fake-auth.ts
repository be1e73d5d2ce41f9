// Credentials the fake accepts and how it checks them. Alpaca signs nothing: every REST request
// carries the key id and the secret in `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`, and the streams
// take the same pair in their auth message. Without both headers Alpaca's front answers 403
// `{"message": "forbidden."}`; an unknown key or a wrong secret gets 401 40110000. Secrets are
// compared in constant time and never copied into an answer, an error or the request log.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface FakeApiKey {
  /** `APCA-API-KEY-ID`, e.g. `PKTEST1234567890ABCD`. */
  readonly keyId: string;
  /** `APCA-API-SECRET-KEY`. */
  readonly secretKey: string;
}

/** `missing`: a credential absent or empty; `refused`: present but not a configured pair. */
export type AuthResult =
  | { readonly kind: 'ok'; readonly keyId: string }
  | { readonly kind: 'missing' | 'refused' };

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class KeyRing {
  private readonly secrets = new Map<string, Buffer>();

  constructor(keys: readonly FakeApiKey[]) {
    for (const k of keys) this.add(k);
  }

  add(key: FakeApiKey): void {
    if (key.keyId === '' || key.secretKey === '')
      throw new Error('FakeApiKey: keyId and secretKey must not be empty');
    this.secrets.set(key.keyId, digest(key.secretKey));
  }

  check(keyId: string | undefined, secret: string | undefined): AuthResult {
    if (keyId === undefined || keyId === '' || secret === undefined || secret === '')
      return { kind: 'missing' };
    const expected = this.secrets.get(keyId);
    // Compare a digest either way, so an unknown key costs the same as a wrong secret.
    const given = digest(secret);
    const match = timingSafeEqual(given, expected ?? digest(`${secret}\u0000`));
    return match && expected !== undefined ? { kind: 'ok', keyId } : { kind: 'refused' };
  }

  /** The REST headers of a request (names are case-insensitive; Node lower-cases them). */
  checkHeaders(headers: IncomingHttpHeaders): AuthResult {
    return this.check(one(headers['apca-api-key-id']), one(headers['apca-api-secret-key']));
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
