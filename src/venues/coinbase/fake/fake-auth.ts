// Request authentication as Coinbase Advanced Trade checks it (venues.md 3.2), written
// independently of Ordo's client: every REST request carries `Authorization: Bearer <JWT>` and every
// user-channel subscribe message a `jwt` field. A JWT is accepted when
//   - it has three base64url parts and its header names `alg` ES256 (P-256 ECDSA, signature r‖s) or
//     EdDSA (Ed25519) matching the registered key's type, `kid` = a registered key name, a
//     non-empty `nonce`, and `typ` JWT when present;
//   - the signature over `header.payload` verifies with that key's public key;
//   - claims: `sub` = the key name, `iss` = "cdp", integer `nbf` ≤ now < `exp`, exp − nbf ≤ 120 s
//     (the injected clock, in seconds);
//   - REST only: `uri` = "<METHOD> <host><path>" (no scheme, no query string), where the host is
//     the one the request was sent to (its Host header) or one of the configured JWT hosts
//     (`api.coinbase.com` by default, what a production client signs). WebSocket JWTs have no uri;
//   - it is fresh: a (key, nonce) pair seen before, until its token expires, is refused — Coinbase
//     wants a new JWT per request and per subscribe.
// The private keys never reach the fake: it holds public keys only. Refusal reasons name the rule
// broken and never quote the token.

import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** A key the fake accepts: its name (the JWT `kid` and `sub`) and public key (SPKI PEM or KeyObject). */
export interface FakeApiKey {
  /** e.g. `organizations/{org_id}/apiKeys/{key_id}` (ECDSA) or a key id (Ed25519). */
  readonly name: string;
  readonly publicKey: string | KeyObject;
}

interface KeyEntry {
  readonly name: string;
  readonly alg: 'ES256' | 'EdDSA';
  readonly key: KeyObject;
}

/** The verdict on a token: the key it was signed with, or the rule it broke. */
export type JwtCheck =
  | { readonly ok: true; readonly keyName: string; readonly exp: number }
  | { readonly ok: false; readonly keyName: string | undefined; readonly reason: string };

/** What the verifier compares the `uri` claim with (REST only). */
export interface UriTarget {
  readonly method: string;
  /** Path without the query string, e.g. `/api/v3/brokerage/orders`. */
  readonly path: string;
  /** Hosts accepted in the claim (the request's Host header and the configured ones). */
  readonly hosts: readonly string[];
}

/** Longest token life Coinbase accepts (exp − nbf), in seconds. */
export const MAX_JWT_LIFE_S = 120;

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!B64URL.test(part)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const fail = (reason: string, keyName?: string): JwtCheck => ({ ok: false, keyName, reason });

/** Verifies Coinbase CDP JWTs against the registered public keys and remembers used nonces. */
export class JwtVerifier {
  private readonly keys = new Map<string, KeyEntry>();
  /** `${kid}\n${nonce}` → exp (s): nonces of accepted tokens until they expire. */
  private readonly seen = new Map<string, number>();

  constructor(keys: readonly FakeApiKey[]) {
    for (const k of keys) this.add(k);
  }

  /** Registers a key; throws when the public key is not P-256 ECDSA or Ed25519. */
  add(k: FakeApiKey): void {
    if (k.name === '') throw new Error('API key name must not be empty');
    const key = typeof k.publicKey === 'string' ? createPublicKey(k.publicKey) : k.publicKey;
    if (key.type !== 'public') throw new Error(`API key ${k.name}: give the public key, not the private key`);
    let alg: 'ES256' | 'EdDSA';
    if (key.asymmetricKeyType === 'ed25519') alg = 'EdDSA';
    else if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
      alg = 'ES256';
    else throw new Error(`API key ${k.name}: the public key must be P-256 ECDSA or Ed25519`);
    this.keys.set(k.name, { name: k.name, alg, key });
  }

  /**
   * Checks a token at `nowMs`; `uri` is the REST request to compare the uri claim with (undefined
   * for a WebSocket subscribe). An accepted token's nonce is remembered until it expires.
   */
  check(token: string, nowMs: number, uri: UriTarget | undefined): JwtCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return fail('not a JWT (three dot-separated parts)');
    const [h, p, s] = parts as [string, string, string];
    const header = decodePart(h);
    const claims = decodePart(p);
    if (header === undefined) return fail('JWT header is not base64url JSON');
    if (claims === undefined) return fail('JWT payload is not base64url JSON');
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') return fail('JWT header kid is missing');
    const entry = this.keys.get(kid);
    if (entry === undefined) return fail('JWT header kid names no registered key');
    if (header.alg !== entry.alg) return fail(`JWT header alg must be ${entry.alg} for this key`, kid);
    if (header.typ !== undefined && header.typ !== 'JWT') return fail('JWT header typ must be JWT', kid);
    if (typeof header.nonce !== 'string' || header.nonce === '')
      return fail('JWT header nonce is missing', kid);
    if (!B64URL.test(s) || !this.signatureValid(entry, `${h}.${p}`, Buffer.from(s, 'base64url')))
      return fail('JWT signature does not verify', kid);
    if (claims.sub !== kid) return fail('JWT claim sub must equal the key name (kid)', kid);
    if (claims.iss !== 'cdp') return fail('JWT claim iss must be "cdp"', kid);
    const { nbf, exp } = claims;
    if (!Number.isSafeInteger(nbf) || !Number.isSafeInteger(exp))
      return fail('JWT claims nbf and exp must be integer seconds', kid);
    const nbfS = nbf as number;
    const expS = exp as number;
    if (expS <= nbfS || expS - nbfS > MAX_JWT_LIFE_S)
      return fail(`JWT life (exp - nbf) must be 1..${MAX_JWT_LIFE_S} seconds`, kid);
    const nowS = Math.floor(nowMs / 1000);
    if (nowS < nbfS) return fail('JWT is not valid yet (nbf is in the future)', kid);
    if (nowS >= expS) return fail('JWT has expired', kid);
    if (uri !== undefined) {
      const want = uri.hosts.map((host) => `${uri.method} ${host}${uri.path}`);
      if (typeof claims.uri !== 'string') return fail('JWT claim uri is missing', kid);
      if (!want.includes(claims.uri))
        return fail(
          `JWT claim uri ${JSON.stringify(claims.uri)} does not match ${JSON.stringify(want[0])}`,
          kid,
        );
    }
    this.prune(nowS);
    const seenKey = `${kid}\n${header.nonce}`;
    if (this.seen.has(seenKey)) return fail('JWT was used before (a fresh token is needed per request)', kid);
    this.seen.set(seenKey, expS);
    return { ok: true, keyName: kid, exp: expS };
  }

  private signatureValid(entry: KeyEntry, signed: string, sig: Buffer): boolean {
    if (sig.length !== 64) return false;
    const data = Buffer.from(signed, 'ascii');
    try {
      return entry.alg === 'EdDSA'
        ? verify(null, data, entry.key, sig)
        : verify('sha256', data, { key: entry.key, dsaEncoding: 'ieee-p1363' }, sig);
    } catch {
      return false;
    }
  }

  private prune(nowS: number): void {
    for (const [k, exp] of this.seen) if (exp <= nowS) this.seen.delete(k);
  }
}

/** The token of an `Authorization: Bearer <JWT>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m === null ? undefined : m[1];
}
