// A breakout strategy with brackets: when a bar closes above the highest high of the bars before it,
// buy at market with a bracket — a take-profit limit above and a stop-loss below, linked so the one
// that fills cancels the other. One position at a time.
//
// Run it: `ordo backtest --data FILE --strategy examples/strategies/breakout.ts` or
// `ordo paper --feed synthetic --strategy examples/strategies/breakout.ts`.
// Parameters (`--param key=value`): lookback (bars, default 20), quantity (default 0.01),
// takeProfitPercent (default 0.5), stopLossPercent (default 0.25).

import type { Bar, Strategy, StrategyContext } from '../../src/index.ts';

export function createStrategy(params: Readonly<Record<string, string>>): Strategy {
  const lookback = Number(params.lookback ?? '20');
  if (!Number.isSafeInteger(lookback) || lookback < 1)
    throw new Error('lookback must be a whole number >= 1');
  const quantity = params.quantity ?? '0.01';
  const takeProfit = params.takeProfitPercent ?? '0.5';
  const stopLoss = params.stopLossPercent ?? '0.25';
  /** Highs of the latest `lookback` closed bars, oldest first (price units: exact integers). */
  const highs: number[] = [];

  const busy = (ctx: StrategyContext) =>
    !ctx.flat() || ctx.oms.getActiveOrders().some((o) => o.symbol === ctx.symbol);

  return {
    name: 'breakout',
    onBar(bar: Bar, ctx: StrategyContext) {
      const ceiling = highs.length === lookback ? Math.max(...highs) : undefined;
      highs.push(bar.high);
      if (highs.length > lookback) highs.shift();
      if (ceiling === undefined || bar.close <= ceiling || busy(ctx)) return;
      const r = ctx.oms.placeBracketOrder({
        symbol: ctx.symbol,
        side: 'buy',
        quantity,
        entry: { type: 'market' },
        takeProfit: { percent: takeProfit },
        stopLoss: { percent: stopLoss },
        tag: 'breakout',
      });
      if (r.ok) ctx.log(`breakout above ${ctx.price(ceiling)}: bracket ${r.value.listId} placed`);
      else ctx.log(`bracket refused: ${r.error.message}`);
    },
    onFill(fill, ctx) {
      ctx.log(`${fill.role} ${fill.side} ${fill.quantity} at ${fill.price}`);
    },
  };
}
