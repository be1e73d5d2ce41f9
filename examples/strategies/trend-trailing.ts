// A trend follower with a trailing stop: when the fast moving average of bar closes crosses above
// the slow one, buy at market; once the entry has filled, protect it with a trailing stop that
// ratchets up behind the price. If the trend turns (fast crosses below slow) before the stop is hit,
// cancel the stop and sell at market. One position at a time.
//
// Averages are compared exactly: fast sum × slow length against slow sum × fast length, in
// integers (prices are integer units), so no float decides a trade.
//
// Run it: `ordo backtest --data FILE --strategy examples/strategies/trend-trailing.ts` or
// `ordo paper --feed synthetic --strategy examples/strategies/trend-trailing.ts`.
// Parameters (`--param key=value`): fast (bars, default 5), slow (bars, default 20), quantity
// (default 0.01), trailPercent (default 0.3).

import type { Bar, OrderView, Strategy, StrategyContext } from '../../src/index.ts';

export function createStrategy(params: Readonly<Record<string, string>>): Strategy {
  const fast = Number(params.fast ?? '5');
  const slow = Number(params.slow ?? '20');
  if (!Number.isSafeInteger(fast) || !Number.isSafeInteger(slow) || fast < 1 || slow <= fast)
    throw new Error('fast and slow must be whole numbers with 1 <= fast < slow');
  const quantity = params.quantity ?? '0.01';
  const trailPercent = params.trailPercent ?? '0.3';
  const closes: bigint[] = [];
  /** Sign of (fast average − slow average) at the previous bar: 1, 0 or −1. */
  let previous = 0;

  const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const working = (ctx: StrategyContext): OrderView[] =>
    ctx.oms.getActiveOrders().filter((o) => o.symbol === ctx.symbol);

  return {
    name: 'trend-trailing',
    onBar(bar: Bar, ctx: StrategyContext) {
      closes.push(BigInt(bar.close));
      if (closes.length > slow) closes.shift();
      if (closes.length < slow) return;
      const diff = sum(closes.slice(-fast)) * BigInt(slow) - sum(closes) * BigInt(fast);
      const sign = diff > 0n ? 1 : diff < 0n ? -1 : 0;
      const crossedUp = previous <= 0 && sign > 0;
      const crossedDown = previous >= 0 && sign < 0;
      previous = sign;
      if (crossedUp && ctx.flat() && working(ctx).length === 0) {
        const r = ctx.oms.placeOrder({
          symbol: ctx.symbol,
          side: 'buy',
          type: 'market',
          quantity,
          tag: 'trend-entry',
        });
        ctx.log(
          r.ok ? `trend up at ${ctx.price(bar.close)}: buy ${quantity}` : `entry refused: ${r.error.message}`,
        );
      } else if (crossedDown && !ctx.flat()) {
        for (const o of working(ctx)) ctx.oms.cancelOrder(o.id);
        const qty = ctx.position()?.qty ?? '0';
        if (qty.startsWith('-')) return;
        const r = ctx.oms.placeOrder({
          symbol: ctx.symbol,
          side: 'sell',
          type: 'market',
          quantity: qty,
          tag: 'trend-exit',
        });
        ctx.log(
          r.ok ? `trend down at ${ctx.price(bar.close)}: sell ${qty}` : `exit refused: ${r.error.message}`,
        );
      }
    },
    onFill(fill, ctx) {
      ctx.log(`${fill.tag ?? fill.role} ${fill.side} ${fill.quantity} at ${fill.price}`);
      if (fill.tag !== 'trend-entry' || ctx.oms.getOrder(fill.orderId)?.status !== 'filled') return;
      const qty = ctx.position()?.qty ?? '0';
      const r = ctx.oms.placeTrailingStop({
        symbol: ctx.symbol,
        side: 'sell',
        quantity: qty,
        offsetType: 'percent',
        offset: trailPercent,
        tag: 'trend-stop',
      });
      ctx.log(
        r.ok ? `trailing stop ${trailPercent}% on ${qty}` : `trailing stop refused: ${r.error.message}`,
      );
    },
  };
}
