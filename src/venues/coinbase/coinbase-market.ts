// Coinbase public market data as Ordo MarketData: `market_trades` trades become TradeTicks (the
// `side` is the taker's), `ticker` best bid/ask become QuoteTicks. A snapshot of market_trades is
// the recent history (newest first) and is replayed oldest first; trades are taken once by trade id.

import type { z } from 'zod';
import type { MarketData } from '../../model/market.ts';
import {
  mapMarketTrade,
  mapTicker,
  type marketTradesEventSchema,
  type ParsedWsMessage,
  type tickerEventSchema,
} from './parsers.ts';
import type { ProductMap } from './products.ts';

/** Remembers the last trade id per product so a snapshot replayed after a reconnect adds nothing. */
export class MarketDataMapper {
  private readonly seenTrades = new Map<string, Set<string>>();

  constructor(private readonly products: () => ProductMap | undefined) {}

  /** The MarketData of one market-feed message (none for other channels or unknown products). */
  map(m: ParsedWsMessage, now: number): MarketData[] {
    const products = this.products();
    if (products === undefined) return [];
    const out: MarketData[] = [];
    if (m.channel === 'market_trades') {
      for (const ev of m.events as z.infer<typeof marketTradesEventSchema>[]) {
        const trades = ev.type === 'snapshot' ? [...ev.trades].reverse() : ev.trades;
        for (const t of trades) {
          const rules = products.byProductId(t.product_id);
          if (rules === undefined || this.seen(t.product_id, t.trade_id)) continue;
          const tick = mapMarketTrade(t, rules.instrument);
          if (tick.ok) out.push(tick.value);
        }
      }
    } else if (m.channel === 'ticker' || m.channel === 'ticker_batch') {
      for (const ev of m.events as z.infer<typeof tickerEventSchema>[])
        for (const t of ev.tickers) {
          const rules = products.byProductId(t.product_id);
          if (rules === undefined) continue;
          const q = mapTicker(t, rules.instrument, m.timestampMs ?? now);
          if (q.ok && q.value !== undefined) out.push(q.value);
        }
    }
    return out;
  }

  private seen(productId: string, tradeId: string): boolean {
    let s = this.seenTrades.get(productId);
    if (s === undefined) this.seenTrades.set(productId, (s = new Set()));
    if (s.has(tradeId)) return true;
    s.add(tradeId);
    if (s.size > 5_000) {
      // Keep the most recent half: trade ids only repeat within a snapshot's reach.
      const keep = [...s].slice(-2_500);
      s.clear();
      for (const id of keep) s.add(id);
    }
    return false;
  }
}
