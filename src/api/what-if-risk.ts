// Risk what-if for any placement, through the engine's own path. The service gives the engine this
// RiskPort in front of the real RiskManager. Normally it passes every call through; during
// `probe`, it answers each check with the RiskManager's what-if (which changes nothing, the rate
// limit included), keeps the answers, and then denies, so the engine stops before creating
// anything. Validation, bracket level derivation and the choice of which orders of a list are
// checked (a bracket's entry, every leg of an OCO, OTO or scale) stay the engine's own.

import type { OrdoError, Result } from '../core/errors.ts';
import type { RiskPort } from '../engine/engine.ts';
import type { Denial, OrderIntent, RiskContext, RiskManager, RiskWhatIf } from '../risk/index.ts';

export interface WhatIfCheck {
  readonly allowed: boolean;
  readonly checked: readonly string[];
  readonly summary: string;
  readonly denials: readonly Denial[];
}

export type ProbeResult =
  | { readonly ok: true; readonly allowed: boolean; readonly checks: readonly WhatIfCheck[] }
  | { readonly ok: false; readonly error: OrdoError };

const PROBE_MARKER = '__what_if_probe__';

export class WhatIfRisk implements RiskPort {
  private probing: RiskWhatIf[] | undefined;

  constructor(readonly inner: RiskManager | undefined) {}

  check(intent: OrderIntent, ctx: RiskContext): { ok: true } | { ok: false; denials: readonly Denial[] } {
    if (this.probing !== undefined) {
      this.probing.push(
        this.inner === undefined
          ? { verdict: { ok: true }, checked: [], summary: 'no risk limits are configured' }
          : this.inner.whatIf(intent, ctx),
      );
      return { ok: false, denials: [{ code: PROBE_MARKER } as unknown as Denial] };
    }
    return this.inner === undefined ? { ok: true } : this.inner.check(intent, ctx);
  }

  record(intent: OrderIntent, ctx: RiskContext): void {
    if (this.probing === undefined) this.inner?.record(intent, ctx);
  }

  /**
   * Runs a placement with every risk check answered by what-if and then denied: nothing is
   * created. Invalid input gives the placement's own error.
   */
  probe(place: () => Result<unknown>): ProbeResult {
    const answers: RiskWhatIf[] = [];
    this.probing = answers;
    let r: Result<unknown>;
    try {
      r = place();
    } finally {
      this.probing = undefined;
    }
    if (r.ok) throw new Error('a what-if probe placed an order: the engine skipped its risk check');
    if (answers.length === 0) return { ok: false, error: r.error };
    const checks = answers.map(
      (a): WhatIfCheck => ({
        allowed: a.verdict.ok,
        checked: a.checked,
        summary: a.summary,
        denials: a.verdict.ok ? [] : a.verdict.denials,
      }),
    );
    return { ok: true, allowed: checks.every((c) => c.allowed), checks };
  }
}
