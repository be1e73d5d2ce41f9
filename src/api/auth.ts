// Bearer-token checks. One token guards every route but the public ones (health, the API
// description, the dashboard's static files). Browsers cannot set headers on a WebSocket, so the
// stream also takes the token as a `token` query parameter or as a `bearer.<token>` subprotocol.
// Comparison takes the same time whatever the input, so the token cannot be guessed byte by byte.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class TokenCheck {
  private readonly digest: Buffer;

  constructor(token: string) {
    if (token.length < 16) throw new Error('the API token must be at least 16 characters');
    this.digest = sha256(token);
  }

  /** Whether `candidate` is the token (hashes compared, so lengths leak nothing). */
  matches(candidate: string | undefined): boolean {
    if (candidate === undefined || candidate.length === 0 || candidate.length > 1024) return false;
    return timingSafeEqual(this.digest, sha256(candidate));
  }

  /** The token from an `Authorization: Bearer …` header. */
  fromHeader(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }

  /** A WebSocket upgrade: header, `bearer.<token>` subprotocol, or `?token=`. */
  upgradeAllowed(req: IncomingMessage, url: URL): boolean {
    if (this.matches(this.fromHeader(req.headers.authorization))) return true;
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    for (const p of protocols)
      if (p.startsWith('bearer.') && this.matches(p.slice('bearer.'.length))) return true;
    return this.matches(url.searchParams.get('token') ?? undefined);
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** A URL with any `token` query parameter masked, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
