// `npm start`'s session: it places every order type, fills, ends flat, and is deterministic.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_DEFAULTS, runDemo } from './demo-session.ts';

describe('demo session', () => {
  it('exercises every order type and gives the same report for the same seed', () => {
    const a = runDemo(DEMO_DEFAULTS);
    const b = runDemo(DEMO_DEFAULTS);
    assert.equal(a.report, b.report);
    assert.ok(!a.report.includes('refused'), a.report);
    for (const kind of [
      'market',
      'limit',
      'stop',
      'stop_limit',
      'trailing_stop',
      'entry',
      'take_profit',
      'stop_loss',
      'oco_leg',
      'oto_parent',
      'oto_child',
      'scale_leg',
    ])
      assert.match(a.report, new RegExp(`\\b${kind}\\b`), kind);
    assert.match(a.report, /emulated/);
    assert.match(a.report, /Round trips closed: 1/);
    assert.ok(a.fills >= 15, `fills: ${a.fills}`);
  });
});
