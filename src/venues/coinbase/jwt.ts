// Coinbase Advanced Trade authentication (venues.md 3.2): every REST request carries its own
// `Authorization: Bearer <JWT>`, and every WebSocket subscribe message its own `jwt` field.
//
//   header  {"alg": "ES256" | "EdDSA", "kid": <key name>, "nonce": <64 random hex>, "typ": "JWT"}
//   claims  {"sub": <key name>, "iss": "cdp", "nbf": <now s>, "exp": <now + 120 s>,
//            "uri": "<METHOD> <host><path>"}            (REST only; no scheme, no query string)
//
// Keys: a CDP ECDSA key (SEC1 `EC PRIVATE KEY` or PKCS#8 PEM, curve P-256) signs ES256, with the
// signature as the 64-byte r‖s (JOSE), not DER; an Ed25519 key (PKCS#8 PEM, or base64 of the
// 32-byte seed or of seed‖public key as the CDP portal shows it) signs EdDSA. The key material is
// held in a private field and never printed: toString, toJSON and util.inspect show the algorithm
// and a masked key name only. Errors name the field and the rule, never the input.

import { createPrivateKey, sign as cryptoSign, type KeyObject, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { err, fieldError, ok, type Result } from '../../core/errors.ts';

/** JWT lifetime Coinbase accepts (seconds). */
export const JWT_LIFETIME_S = 120;

export type JwtAlgorithm = 'ES256' | 'EdDSA';

export interface CoinbaseCredentialsInput {
  /** `organizations/{org}/apiKeys/{id}` (ECDSA keys) or the key id (Ed25519 keys). */
  readonly keyName: string;
  /** PEM (SEC1 or PKCS#8), or base64 of an Ed25519 seed (32 bytes) or seed‖public key (64 bytes). */
  readonly privateKey: string;
}

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A key name and its signing key. The signing key cannot be read back, printed or serialised. */
export class CoinbaseCredentials {
  readonly keyName: string;
  readonly algorithm: JwtAlgorithm;
  readonly #key: KeyObject;

  private constructor(keyName: string, algorithm: JwtAlgorithm, key: KeyObject) {
    this.keyName = keyName;
    this.algorithm = algorithm;
    this.#key = key;
  }

  /** Validates the input: a single-line key name and a P-256 or Ed25519 private key. */
  static from(input: CoinbaseCredentialsInput): Result<CoinbaseCredentials> {
    const name = input?.keyName;
    if (typeof name !== 'string' || name.trim().length === 0 || /[\r\n]/.test(name))
      return err(fieldError('keyName', 'required', 'must be a non-empty single-line string'));
    const text = input.privateKey;
    if (typeof text !== 'string' || text.trim().length === 0)
      return err(fieldError('privateKey', 'required', 'must be a non-empty string'));
    const key = readPrivateKey(text);
    if (key === undefined)
      return err(
        fieldError(
          'privateKey',
          'key_format',
          'is neither a readable PEM private key nor base64 of an Ed25519 seed (32 or 64 bytes)',
        ),
      );
    if (key.asymmetricKeyType === 'ed25519') return ok(new CoinbaseCredentials(name.trim(), 'EdDSA', key));
    if (key.asymmetricKeyType === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== 'prime256v1' && curve !== 'P-256')
        return err(fieldError('privateKey', 'p256', 'an ECDSA key must be on curve P-256 (ES256)'));
      return ok(new CoinbaseCredentials(name.trim(), 'ES256', key));
    }
    return err(fieldError('privateKey', 'key_type', 'must be an ECDSA P-256 or an Ed25519 private key'));
  }

  /** Signs the JWS signing input: r‖s for ES256 (JOSE form), the 64-byte signature for EdDSA. */
  sign(signingInput: string): Buffer {
    const data = Buffer.from(signingInput, 'utf8');
    if (this.algorithm === 'EdDSA') return cryptoSign(null, data, this.#key);
    return cryptoSign('sha256', data, { key: this.#key, dsaEncoding: 'ieee-p1363' });
  }

  /** The key name with all but its last four characters hidden. */
  get maskedKeyName(): string {
    const k = this.keyName;
    return k.length <= 8 ? '****' : `…${k.slice(-4)}`;
  }

  toString(): string {
    return `CoinbaseCredentials(${this.algorithm}, key ${this.maskedKeyName})`;
  }

  toJSON(): { algorithm: JwtAlgorithm; keyName: string } {
    return { algorithm: this.algorithm, keyName: this.maskedKeyName };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Reads a PEM (escaped `\n` allowed, as in JSON key files and env values) or a base64 Ed25519 seed. */
function readPrivateKey(text: string): KeyObject | undefined {
  const t = text.trim().replace(/\\n/g, '\n');
  if (t.includes('-----BEGIN')) {
    try {
      return createPrivateKey({ key: t, format: 'pem' });
    } catch {
      // The parser's message can quote the input; it is not passed on.
      return undefined;
    }
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  const raw = Buffer.from(t, 'base64');
  if (raw.length !== 32 && raw.length !== 64) return undefined;
  try {
    const der = Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return undefined;
  }
}

/** base64url without padding, as JWS wants. */
export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export interface JwtOptions {
  /** Now, epoch ms (the venue's clock as far as it is known). */
  readonly nowMs: number;
  /** REST: `"<METHOD> <host><path>"`; absent for WebSocket subscriptions. */
  readonly uri?: string;
  /** Test hook: a fixed nonce. Default 32 random bytes as hex. */
  readonly nonce?: string;
}

export interface JwtHeader {
  readonly alg: JwtAlgorithm;
  readonly kid: string;
  readonly nonce: string;
  readonly typ: 'JWT';
}

export interface JwtClaims {
  readonly sub: string;
  readonly iss: 'cdp';
  readonly nbf: number;
  readonly exp: number;
  readonly uri?: string;
}

/** A fresh signed JWT: a new nonce and times every call, so one is never reused. */
export function buildJwt(creds: CoinbaseCredentials, options: JwtOptions): string {
  const nbf = Math.floor(options.nowMs / 1000);
  const header: JwtHeader = {
    alg: creds.algorithm,
    kid: creds.keyName,
    nonce: options.nonce ?? randomBytes(32).toString('hex'),
    typ: 'JWT',
  };
  const claims: JwtClaims =
    options.uri === undefined
      ? { sub: creds.keyName, iss: 'cdp', nbf, exp: nbf + JWT_LIFETIME_S }
      : { sub: creds.keyName, iss: 'cdp', nbf, exp: nbf + JWT_LIFETIME_S, uri: options.uri };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(creds.sign(input))}`;
}

/**
 * The `uri` claim of a REST request: method, one space, host (with a port when the URL has one)
 * and path, without scheme or query string — `"GET api.coinbase.com/api/v3/brokerage/accounts"`.
 */
export function restUri(method: string, url: string): string {
  const u = new URL(url);
  return `${method.toUpperCase()} ${u.host}${u.pathname}`;
}

/** Splits a JWT into its decoded header and claims (for tests and the fake; no verification). */
export function decodeJwt(token: string): { header: unknown; claims: unknown } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')),
      claims: JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')),
    };
  } catch {
    return undefined;
  }
}
