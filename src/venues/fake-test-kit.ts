// What the fake venue servers' own tests share (each venue's fake/fake-test-kit.ts builds on it): a
// manual clock, a polling wait, and a raw `ws` client that queues every frame it receives, so the
// tests check the wire as a client would see it, without Ordo's own clients.

import WebSocket from 'ws';

export const T0 = 1_700_000_000_000;

export class ManualClock {
  t = T0;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Waits until `pred` holds, polling every 5 ms; throws after `timeoutMs`. */
export async function until(pred: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw WebSocket client: a queue of parsed frames, plus every frame as it came. */
export class FakeWsClient {
  /** Frames not taken yet. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  readonly frames: any[] = [];
  /** Every frame in arrival order (never removed). */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  readonly all: any[] = [];
  /** Raw text of every frame, in arrival order. */
  readonly raw: string[] = [];
  /** Whether each frame came binary, in arrival order. */
  readonly binary: boolean[] = [];
  closed = false;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      const frame = JSON.parse(text);
      this.raw.push(text);
      this.binary.push(isBinary);
      this.frames.push(frame);
      this.all.push(frame);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Connects a client of the class it is called on. */
  static connect<T extends FakeWsClient>(this: new (ws: WebSocket) => T, url: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new this(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Waits for (and removes) the first frame matching `pred`. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  async next(pred: (f: any) => boolean = () => true, timeoutMs = 2000): Promise<any> {
    const i = await this.find(pred, timeoutMs);
    return this.frames.splice(i, 1)[0];
  }

  /** Waits until a frame matching `pred` has arrived, leaving it in the queue. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  async waitFor(pred: (f: any) => boolean, timeoutMs = 2000): Promise<void> {
    await this.find(pred, timeoutMs);
  }

  /** Removes and returns every queued frame matching `pred`, in order. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  take(pred: (f: any) => boolean): any[] {
    const out = [];
    for (let i = 0; i < this.frames.length; )
      if (pred(this.frames[i])) out.push(this.frames.splice(i, 1)[0]);
      else i++;
    return out;
  }

  /** Closes the connection and waits until it has closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  private async find(pred: (f: any) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return i;
      if (this.closed) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting; frames: ${JSON.stringify(this.frames).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
