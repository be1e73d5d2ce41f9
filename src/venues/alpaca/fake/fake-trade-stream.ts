// The trade_updates WebSocket at `/stream`, as Alpaca's Trading API serves it.
//
// - Auth: `{"action":"auth","key":..,"secret":..}` or the documented
//   `{"action":"authenticate","data":{"key_id":..,"secret_key":..}}`; the answer is
//   `{"stream":"authorization","data":{"status":"authorized"|"unauthorized","action":"authenticate"}}`.
// - Listen: `{"action":"listen","data":{"streams":["trade_updates"]}}` → `{"stream":"listening",
//   "data":{"streams":[...]}}`, listing only the streams that exist; each listen replaces the set,
//   an empty list stops the updates. Listening before auth is answered unauthorized (action listen).
// - Every frame the server sends is a BINARY WebSocket frame holding UTF-8 JSON, as the paper host
//   sends trade_updates (venues.md 1.10); clients may send text or binary.
// - Faults: events produced while user data is paused are lost; duplicated and reordered events.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { KeyRing } from './fake-auth.ts';
import type { FakeFaults } from './fake-faults.ts';

const STREAMS = ['trade_updates'] as const;

interface Session {
  readonly socket: WebSocket;
  keyId: string | undefined;
  streams: readonly string[];
}

export class TradeStream {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Every trade_updates message produced (before faults), and those lost while paused. */
  readonly events: Record<string, unknown>[] = [];
  readonly dropped: Record<string, unknown>[] = [];
  private held: Record<string, unknown> | undefined;
  /** Frames of trade_updates sent to listeners, duplicates included. */
  sent = 0;

  constructor(
    private readonly keys: KeyRing,
    private readonly faults: FakeFaults,
    private readonly onError: (e: unknown) => void,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.faults.userDataPaused) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(socket: WebSocket): void {
    const session: Session = { socket, keyId: undefined, streams: [] };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => this.sessions.delete(session));
    socket.on('message', (data) => {
      try {
        this.onMessage(session, Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
      } catch (e) {
        this.onError(e);
      }
    });
  }

  private onMessage(s: Session, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.send(s, { stream: 'error', data: { error_message: 'invalid json' } });
      return;
    }
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
    const data = (typeof m.data === 'object' && m.data !== null ? m.data : {}) as Record<string, unknown>;
    switch (m.action) {
      case 'auth':
      case 'authenticate': {
        const key = m.action === 'auth' ? m.key : data.key_id;
        const secret = m.action === 'auth' ? m.secret : data.secret_key;
        const result = this.keys.check(
          typeof key === 'string' ? key : undefined,
          typeof secret === 'string' ? secret : undefined,
        );
        s.keyId = result.kind === 'ok' ? result.keyId : undefined;
        if (result.kind !== 'ok') s.streams = [];
        this.send(s, {
          stream: 'authorization',
          data: { status: result.kind === 'ok' ? 'authorized' : 'unauthorized', action: 'authenticate' },
        });
        return;
      }
      case 'listen': {
        if (s.keyId === undefined) {
          this.send(s, { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
          return;
        }
        const asked = Array.isArray(data.streams) ? data.streams : [];
        s.streams = STREAMS.filter((name) => asked.includes(name));
        this.send(s, { stream: 'listening', data: { streams: [...s.streams] } });
        return;
      }
      default:
        this.send(s, {
          stream: 'error',
          data: { error_message: `unknown action ${JSON.stringify(m.action)}` },
        });
    }
  }

  private send(s: Session, frame: unknown): void {
    if (s.socket.readyState === s.socket.OPEN)
      s.socket.send(Buffer.from(JSON.stringify(frame), 'utf8'), { binary: true });
  }

  /** Delivers one trade_updates message to every listener, through the stream faults. */
  deliver(frame: Record<string, unknown>): void {
    this.events.push(frame);
    const f = this.faults;
    if (f.userDataPaused) {
      this.dropped.push(frame);
      return;
    }
    if (f.reorder === 'armed') {
      this.held = frame;
      f.reorder = 'holding';
      return;
    }
    const twice = f.takeDuplicate();
    this.broadcast(frame);
    if (twice) this.broadcast(frame);
    if (f.reorder === 'holding') this.flushHeld();
  }

  /** Sends an event held back by reorderNextEvents. */
  flushHeld(): void {
    const held = this.held;
    this.held = undefined;
    this.faults.reorder = 'off';
    if (held !== undefined) this.broadcast(held);
  }

  private broadcast(frame: Record<string, unknown>): void {
    for (const s of this.sessions)
      if (s.keyId !== undefined && s.streams.includes('trade_updates')) {
        this.send(s, frame);
        this.sent++;
      }
  }

  /** Open connections, and those authorized and listening to trade_updates. */
  counts(): { connections: number; listening: number } {
    let listening = 0;
    for (const s of this.sessions)
      if (s.keyId !== undefined && s.streams.includes('trade_updates')) listening++;
    return { connections: this.sessions.size, listening };
  }

  disconnectAll(): void {
    for (const s of this.sessions) s.socket.terminate();
    this.sessions.clear();
  }

  close(): void {
    this.disconnectAll();
    this.wss.close();
  }
}
