// The HTTP server under each local fake venue (src/venues/*/fake/): listening on loopback, a
// handler that throws is recorded and answered 500 in the venue's own error format, WebSocket
// upgrades handed to the fake, and a stop that does not wait for idle keep-alive connections.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface FakeServerOptions {
  readonly port?: number;
  /** 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Where a handler's failure goes (the fake's list of internal errors). */
  readonly onError: (e: Error) => void;
  /** The venue's answer to a request its handler failed on. */
  readonly internalError: (e: unknown) => { readonly contentType: string; readonly text: string };
}

export interface FakeServer {
  readonly server: Server;
  readonly port: number;
  /** `host:port`, the host in brackets when it is IPv6, for building URLs. */
  readonly authority: string;
}

export async function startFakeServer(o: FakeServerOptions): Promise<FakeServer> {
  const host = o.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    o.handle(req, res).catch((e: unknown) => {
      o.onError(e instanceof Error ? e : new Error(String(e)));
      if (!res.headersSent) {
        const answer = o.internalError(e);
        res.writeHead(500, { 'Content-Type': answer.contentType });
        res.end(answer.text);
      }
    });
  });
  server.on('upgrade', o.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('fake venue: no TCP address');
  return { server, port: addr.port, authority: `${host.includes(':') ? `[${host}]` : host}:${addr.port}` };
}

/** Closes the server and every connection it holds, idle keep-alive ones included. */
export function stopFakeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
