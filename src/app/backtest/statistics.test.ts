// Backtest statistics: exact drawdown over every sample, equity at period closes, the Sharpe ratio
// of the returns between them, and win rate from round trips' net results.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeStatistics,
  DrawdownTracker,
  PeriodSampler,
  ratio,
  sharpeRatio,
  statisticsJson,
} from './statistics.ts';

const M = 10n ** 18n;

describe('statistics', () => {
  it('drawdown is the deepest fall below a running peak, exactly', () => {
    const dd = new DrawdownTracker();
    for (const e of [100n, 110n, 90n, 120n, 100n, 105n]) dd.add(e * M);
    assert.equal(dd.maxDrawdown, 20n * M);
    assert.equal(dd.peakAtMaxDrawdown, 110n * M, 'the first of two equal falls is kept');
    assert.equal(ratio(dd.maxDrawdown, dd.peakAtMaxDrawdown), 0.181818181818);
  });

  it('period closes take the last sample before each boundary and carry it over empty periods', () => {
    const p = new PeriodSampler(1000);
    p.add(500, 100n);
    p.add(900, 101n);
    p.add(1200, 102n);
    p.add(3100, 103n);
    assert.deepEqual(p.finish(), [100n, 101n, 102n, 102n, 103n]);
  });

  it('Sharpe: mean over sample standard deviation of returns, annualised by periods per year', () => {
    assert.equal(sharpeRatio([100n, 100n], 1000), undefined, 'one return is not enough');
    assert.equal(sharpeRatio([100n, 100n, 100n], 1000), undefined, 'no variation');
    const s = sharpeRatio([10_000n, 11_000n, 9_900n, 10_890n], 86_400_000);
    // Returns +10 %, −10 %, +10 %: mean 3.333 %, sample sd 11.547 %.
    const mean = 0.1 / 3;
    const sd = Math.sqrt(((0.1 - mean) ** 2 * 2 + (-0.1 - mean) ** 2) / 2);
    assert.ok(Math.abs((s ?? 0) - (mean / sd) * Math.sqrt(365)) < 1e-9);
  });

  it('win rate counts round trips with a positive net result; money stays exact in JSON', () => {
    const dd = new DrawdownTracker();
    dd.add(1000n * M);
    dd.add(999n * M + 1n);
    const s = computeStatistics({
      currency: 'USDT',
      equityStart: 1000n * M,
      equityEnd: 1000n * M + 123456789012345678n,
      realizedPnl: 2n * M,
      fees: 1n,
      drawdown: dd,
      periodCloses: [],
      periodMs: 1000,
      trips: [{ realizedNet: 5n }, { realizedNet: -5n }, { realizedNet: 0n }, { realizedNet: 1n }],
      fills: 8,
      orders: 4,
    });
    assert.equal(s.winRate, 0.5);
    assert.equal(s.wins, 2);
    assert.equal(s.losses, 1);
    const j = statisticsJson(s);
    assert.equal(j.netPnl, '0.123456789012345678');
    assert.equal(j.fees, '0.000000000000000001');
    assert.equal(j.maxDrawdown, '0.999999999999999999');
    assert.equal(j.sharpe, null);
  });
});
