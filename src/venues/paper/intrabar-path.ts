// The order in which the paper venue assumes a bar's prices traded. A bar only says where the
// market opened, went and closed, so the matcher walks a fixed path through it: a bullish bar
// (close ≥ open) is taken to have dipped first (open → low → high → close), a bearish bar to have
// rallied first (open → high → low → close). The rule is a convention, not a fact about the bar;
// keeping it fixed and simple is what makes bar replays deterministic and easy to reason about.

import type { Bar } from '../../model/market.ts';

/** The four prices of `bar` in the order the paper venue treats them as trades. */
export function intrabarPath(bar: Bar): readonly [number, number, number, number] {
  return bar.close >= bar.open
    ? [bar.open, bar.low, bar.high, bar.close]
    : [bar.open, bar.high, bar.low, bar.close];
}
