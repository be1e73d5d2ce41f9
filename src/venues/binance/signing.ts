// Request signing for Binance Spot, REST and WebSocket API. The two differ (venues.md 2.2):
//
// - REST signs the exact bytes sent: the percent-encoded query string followed, with no separator,
//   by the percent-encoded form body, parameters in the order sent. Non-ASCII is percent-encoded
//   as UTF-8 before signing. `signature` is appended last (to the body when there is one).
// - The WebSocket API signs every param except `signature`, sorted by name, joined `k=v&...` with
//   the values as plain UTF-8 text (no percent-encoding).
//
// HMAC-SHA256 keys sign as lowercase hex; Ed25519 keys (PKCS#8 PEM) as base64. Credentials keep
// their key material in private fields and never print it: toString, toJSON and util.inspect show
// the key type and a masked API key only.

import {
  createHmac,
  createPrivateKey,
  createSecretKey,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { inspect } from 'node:util';
import { err, fieldError, ok, type Result } from '../../core/errors.ts';

/** One request parameter, already formatted as text. Order matters: it is the order sent. */
export type Param = readonly [key: string, value: string];
export type Params = readonly Param[];

export type CredentialsInput =
  | { readonly apiKey: string; readonly hmacSecret: string }
  | { readonly apiKey: string; readonly ed25519PrivateKeyPem: string };

export type KeyType = 'hmac' | 'ed25519';

/** An API key and its signing key. The signing key cannot be read back, printed or serialised. */
export class Credentials {
  readonly apiKey: string;
  readonly keyType: KeyType;
  readonly #key: KeyObject;

  private constructor(apiKey: string, keyType: KeyType, key: KeyObject) {
    this.apiKey = apiKey;
    this.keyType = keyType;
    this.#key = key;
  }

  /** Validates the input: a non-empty API key and an HMAC secret or an Ed25519 PKCS#8 PEM key. */
  static from(input: CredentialsInput): Result<Credentials> {
    if (typeof input.apiKey !== 'string' || input.apiKey.length === 0 || /[\r\n]/.test(input.apiKey))
      return err(fieldError('apiKey', 'required', 'must be a non-empty single-line string'));
    if ('hmacSecret' in input) {
      if (typeof input.hmacSecret !== 'string' || input.hmacSecret.length === 0)
        return err(fieldError('hmacSecret', 'required', 'must be a non-empty string'));
      return ok(
        new Credentials(input.apiKey, 'hmac', createSecretKey(Buffer.from(input.hmacSecret, 'utf8'))),
      );
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: input.ed25519PrivateKeyPem, format: 'pem' });
    } catch {
      // The parser's message can quote the input; it is not passed on.
      return err(fieldError('ed25519PrivateKeyPem', 'pem', 'is not a readable PKCS#8 PEM private key'));
    }
    if (key.asymmetricKeyType !== 'ed25519')
      return err(fieldError('ed25519PrivateKeyPem', 'ed25519', 'must be an Ed25519 private key'));
    return ok(new Credentials(input.apiKey, 'ed25519', key));
  }

  /** Signs `payload` (UTF-8): lowercase hex for HMAC-SHA256, base64 for Ed25519. */
  sign(payload: string): string {
    const data = Buffer.from(payload, 'utf8');
    if (this.keyType === 'hmac') return createHmac('sha256', this.#key).update(data).digest('hex');
    return cryptoSign(null, data, this.#key).toString('base64');
  }

  /** The API key with all but its first and last four characters hidden. */
  get maskedApiKey(): string {
    const k = this.apiKey;
    return k.length <= 8 ? '****' : `${k.slice(0, 4)}…${k.slice(-4)}`;
  }

  toString(): string {
    return `Credentials(${this.keyType}, apiKey ${this.maskedApiKey})`;
  }

  toJSON(): { keyType: KeyType; apiKey: string } {
    return { keyType: this.keyType, apiKey: this.maskedApiKey };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Encodes parameters as `k=v&k=v` in the given order, keys and values percent-encoded as UTF-8
 * (`encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`). This is the exact
 * text sent and signed for REST.
 */
export function encodeParams(params: Params): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** Appends `recvWindow` (when given) and `timestamp`, as every SIGNED endpoint needs. */
export function withTimestamp(params: Params, timestampMs: number, recvWindowMs?: number): Params {
  const out: Param[] = [...params];
  if (recvWindowMs !== undefined) out.push(['recvWindow', String(recvWindowMs)]);
  out.push(['timestamp', String(timestampMs)]);
  return out;
}

/** The REST signing payload: the encoded query string and the encoded body, concatenated. */
export function restSigningPayload(query: string, body: string): string {
  return query + body;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A signed REST request, ready to send: `path?query` and, for POST/PUT, the form body. */
export interface SignedRest {
  readonly method: HttpMethod;
  /** Query string without the leading `?`; includes `signature` when it was placed there. */
  readonly query: string;
  /** Form body (`application/x-www-form-urlencoded`); empty for GET and DELETE. */
  readonly body: string;
  /** Exactly what was signed. */
  readonly payload: string;
  readonly signature: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Signs a REST request whose parameters (timestamp included) are split between query and body.
 * GET and DELETE carry everything in the query string. POST and PUT may use either or both; the
 * signature goes to the body when the body is not empty, else to the query string.
 */
export function signRest(
  creds: Credentials,
  method: HttpMethod,
  parts: { readonly query?: Params; readonly body?: Params },
): Result<SignedRest> {
  const queryParams = parts.query ?? [];
  const bodyParams = parts.body ?? [];
  if ((method === 'GET' || method === 'DELETE') && bodyParams.length > 0)
    return err(fieldError('body', 'query_only', `${method} parameters must be sent in the query string`));
  for (const [k] of [...queryParams, ...bodyParams])
    if (k === 'signature') return err(fieldError(k, 'reserved', 'is added by the signer'));
  const query = encodeParams(queryParams);
  const body = encodeParams(bodyParams);
  const payload = restSigningPayload(query, body);
  const signature = creds.sign(payload);
  const sig = `signature=${encodeURIComponent(signature)}`;
  const toBody = body.length > 0;
  const headers: Record<string, string> = { 'X-MBX-APIKEY': creds.apiKey };
  if (toBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return ok({
    method,
    query: toBody ? query : query.length > 0 ? `${query}&${sig}` : sig,
    body: toBody ? `${body}&${sig}` : body,
    payload,
    signature,
    headers,
  });
}

/** Where the parameters of a POST/PUT go. GET and DELETE always use the query string. */
export type Placement = 'query' | 'body';

/**
 * Adds `recvWindow`/`timestamp` to `params` and signs them. POST and PUT send a form body by
 * default (`placement: 'body'`); GET and DELETE send the query string.
 */
export function signRequest(
  creds: Credentials,
  method: HttpMethod,
  params: Params,
  opts: { readonly timestampMs: number; readonly recvWindowMs?: number; readonly placement?: Placement },
): Result<SignedRest> {
  const all = withTimestamp(params, opts.timestampMs, opts.recvWindowMs);
  const inBody = (method === 'POST' || method === 'PUT') && (opts.placement ?? 'body') === 'body';
  return signRest(creds, method, inBody ? { body: all } : { query: all });
}

/** A WebSocket API parameter value as sent in the JSON `params` object. */
export type WsParamValue = string | number | boolean;
export type WsParams = Readonly<Record<string, WsParamValue>>;

/**
 * The WebSocket API signing payload: every param but `signature`, sorted by name (code-unit
 * order), joined `k=v&...` with values as plain text, not percent-encoded.
 */
export function wsSigningPayload(params: WsParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/** Adds `apiKey`, `recvWindow` (when given), `timestamp` and `signature` to WS API params. */
export function signWsParams(
  creds: Credentials,
  params: WsParams,
  timestampMs: number,
  recvWindowMs?: number,
): Record<string, WsParamValue> {
  const out: Record<string, WsParamValue> = { ...params, apiKey: creds.apiKey, timestamp: timestampMs };
  if (recvWindowMs !== undefined) out.recvWindow = recvWindowMs;
  delete out.signature;
  out.signature = creds.sign(wsSigningPayload(out));
  return out;
}

/** A WebSocket API request frame. */
export interface WsRequest {
  readonly id: string | number;
  readonly method: string;
  readonly params?: Readonly<Record<string, WsParamValue>>;
}

/** A signed WS API request, e.g. `order.place` or `userDataStream.subscribe.signature`. */
export function signedWsRequest(
  creds: Credentials,
  id: string | number,
  method: string,
  params: WsParams,
  timestampMs: number,
  recvWindowMs?: number,
): WsRequest {
  return { id, method, params: signWsParams(creds, params, timestampMs, recvWindowMs) };
}

/**
 * `session.logon`: authenticates the connection so that later requests omit apiKey and
 * signature. Binance accepts it only for Ed25519 keys.
 */
export function sessionLogonRequest(
  creds: Credentials,
  id: string | number,
  timestampMs: number,
  recvWindowMs?: number,
): Result<WsRequest> {
  if (creds.keyType !== 'ed25519')
    return err(fieldError('credentials', 'ed25519', 'session.logon needs an Ed25519 key'));
  return ok(signedWsRequest(creds, id, 'session.logon', {}, timestampMs, recvWindowMs));
}
