// A data file replayed as a live market feed (`ordo paper --feed file:PATH`): the items of a CSV or
// Binance capture, in file order, paced by the wall clock at a chosen speed (1 = as recorded, 10 =
// ten times faster, 0 = as fast as the engine takes them). Paced replays can restamp items to wall
// time, keeping their spacing, so a session looks live; an unpaced replay keeps the data's own time.
// The feed ends when the file does: `finished` resolves then.

import type { Result } from '../../core/errors.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import { type DataFormatName, loadMarketData } from '../backtest/data-formats.ts';
import type { MarketFeed } from '../market-feed.ts';

export interface FileFeedOptions {
  readonly path: string;
  readonly format: DataFormatName;
  readonly instrument: Instrument;
  /** Replay speed relative to the recording; 0 = no pacing. */
  readonly speed: number;
  /** `wall`: restamp to the wall clock from the start, keeping spacing (scaled by speed); `data`: keep. */
  readonly timestamps: 'wall' | 'data';
  readonly now?: () => number;
}

/** Items handed over per turn of the event loop when unpaced, so a stop is heard between turns. */
const BATCH_UNPACED = 2000;

export class FileFeed implements MarketFeed {
  readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private resolveFinished!: () => void;
  /** Resolves when the last item has been delivered (or the feed was stopped). */
  readonly finished = new Promise<void>((r) => {
    this.resolveFinished = r;
  });
  delivered = 0;

  private constructor(
    private readonly items: readonly MarketData[],
    private readonly options: FileFeedOptions,
  ) {
    this.name = `file:${options.path}`;
  }

  /** Reads the whole file; the first bad line is the error. */
  static open(options: FileFeedOptions): Result<FileFeed> {
    const data = loadMarketData(options.path, options.format, options.instrument);
    return data.ok ? { ok: true, value: new FileFeed(data.value, options) } : data;
  }

  get length(): number {
    return this.items.length;
  }

  async start(onData: (md: MarketData) => void): Promise<void> {
    const { items, options } = this;
    const now = options.now ?? Date.now;
    const startWall = now();
    const first = items[0]?.ts ?? 0;
    const speed = options.speed;
    const stamp =
      options.timestamps === 'wall'
        ? (md: MarketData): MarketData => ({
            ...md,
            ts: startWall + Math.floor((md.ts - first) / (speed > 0 ? speed : 1)),
          })
        : (md: MarketData) => md;
    let i = 0;
    const finish = () => {
      this.timer = undefined;
      this.resolveFinished();
    };
    const turn = () => {
      if (this.stopped) return finish();
      if (speed <= 0) {
        const end = Math.min(items.length, i + BATCH_UNPACED);
        for (; i < end; i++) onData(stamp(items[i] as MarketData));
      } else {
        const due = first + (now() - startWall) * speed;
        for (; i < items.length && (items[i] as MarketData).ts <= due; i++)
          onData(stamp(items[i] as MarketData));
      }
      this.delivered = i;
      if (i >= items.length) return finish();
      const next = items[i] as MarketData;
      const waitMs =
        speed <= 0 ? 0 : Math.max(1, Math.min(1000, (next.ts - first) / speed - (now() - startWall)));
      this.timer = setTimeout(turn, waitMs);
    };
    turn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.resolveFinished();
  }

  connected(): boolean {
    return !this.stopped;
  }
}
