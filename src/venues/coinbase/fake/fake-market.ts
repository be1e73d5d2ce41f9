// Public market state of one product as the fake's market channels show it: the last trade, the
// best bid and ask fed in, recent trades (the market_trades snapshot) and the 24-hour statistics
// of the ticker channel (ws_ticker.json), all from the trades fed to the fake, in exact units.

import { formatUnits } from '../../../core/decimal.ts';
import { isoMicros, type ProductSpec, priceText, qtyText } from './fake-products.ts';

/** The aggressor side of a public trade. */
export type TradeSide = 'BUY' | 'SELL';

/** A trade fed to the fake, as the market_trades channel shows it. */
export interface PublicTrade {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  /** The aggressor side as fed (Coinbase's `side` of market_trades). */
  readonly side: TradeSide;
  readonly timeMs: number;
}

const DAY_MS = 86_400_000;
const RECENT = 50;

/** The public market state of one product. */
export class ProductMarket {
  last: number | undefined;
  bid: number | undefined;
  bidSize = 0;
  ask: number | undefined;
  askSize = 0;
  private nextTradeId = 1;
  /** Trades of the last 24 h (for the ticker), oldest first. */
  private readonly day: PublicTrade[] = [];
  private readonly recent: PublicTrade[] = [];
  private low52: number | undefined;
  private high52: number | undefined;

  constructor(readonly spec: ProductSpec) {}

  quote(bid: number, bidSize: number, ask: number, askSize: number): void {
    this.bid = bid > 0 && bidSize > 0 ? bid : undefined;
    this.bidSize = bidSize;
    this.ask = ask > 0 && askSize > 0 ? ask : undefined;
    this.askSize = askSize;
  }

  trade(price: number, size: number, side: TradeSide, timeMs: number): PublicTrade {
    const t: PublicTrade = { tradeId: String(this.nextTradeId++), price, size, side, timeMs };
    this.last = price;
    this.day.push(t);
    this.recent.push(t);
    if (this.recent.length > RECENT) this.recent.shift();
    if (this.low52 === undefined || price < this.low52) this.low52 = price;
    if (this.high52 === undefined || price > this.high52) this.high52 = price;
    return t;
  }

  /** The most recent trades, newest first. */
  recentTrades(): readonly PublicTrade[] {
    return [...this.recent].reverse();
  }

  /** A `market_trades` trade object. */
  tradeJson(t: PublicTrade): Record<string, unknown> {
    return {
      trade_id: t.tradeId,
      product_id: this.spec.productId,
      price: priceText(this.spec, t.price),
      size: qtyText(this.spec, t.size),
      side: t.side,
      time: isoMicros(t.timeMs),
    };
  }

  /** A `ticker` object; undefined before the first trade or quote. */
  tickerJson(nowMs: number): Record<string, unknown> | undefined {
    if (this.last === undefined && this.bid === undefined && this.ask === undefined) return undefined;
    const spec = this.spec;
    while (this.day.length > 0 && this.day[0]!.timeMs <= nowMs - DAY_MS) this.day.shift();
    let volume = 0n;
    let low: number | undefined;
    let high: number | undefined;
    for (const t of this.day) {
      volume += BigInt(t.size);
      if (low === undefined || t.price < low) low = t.price;
      if (high === undefined || t.price > high) high = t.price;
    }
    const px = (v: number | undefined): string => (v === undefined ? '' : priceText(spec, v));
    const first = this.day[0]?.price;
    return {
      type: 'ticker',
      product_id: spec.productId,
      price: px(this.last),
      volume_24_h: formatUnits(volume, spec.instrument.qtyScale, true),
      low_24_h: px(low),
      high_24_h: px(high),
      low_52_w: px(this.low52),
      high_52_w: px(this.high52),
      price_percent_chg_24_h:
        first === undefined || this.last === undefined ? '0' : percent(first, this.last),
      best_bid: px(this.bid),
      best_bid_quantity: this.bid === undefined ? '' : qtyText(spec, this.bidSize),
      best_ask: px(this.ask),
      best_ask_quantity: this.ask === undefined ? '' : qtyText(spec, this.askSize),
    };
  }
}

/** (to − from) / from × 100, rounded toward zero to 8 places. */
function percent(from: number, to: number): string {
  const scaled = ((BigInt(to) - BigInt(from)) * 10_000_000_000n) / BigInt(from);
  return formatUnits(scaled, 8, true);
}
