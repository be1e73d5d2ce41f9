// The order ticket's preview: the levels the engine would compute, the routing plan (each order
// native at the venue or emulated by Ordo, with the reason and when it starts working) and the
// risk what-if result. Announced politely to screen readers as it updates.

import { readable } from '../decimal-text.ts';
import { RouteBadge } from '../ui.tsx';

export interface PlanOrder {
  readonly role: string;
  readonly side: string;
  readonly type: string;
  readonly route: 'native' | 'emulated';
  readonly sends: string;
  readonly when: string;
  readonly reason: string;
}

export interface PreviewResult {
  readonly plan?: {
    readonly venue: string;
    readonly kind: string;
    readonly list?: { readonly route?: 'native' | 'emulated'; readonly reason: string } | null;
    readonly orders: readonly PlanOrder[];
  };
  readonly risk?: {
    readonly allowed: boolean;
    readonly checks: readonly {
      readonly allowed: boolean;
      readonly summary: string;
      readonly checked?: readonly string[];
      readonly denials?: readonly { readonly code: string; readonly message?: string }[];
    }[];
  };
  readonly levels?: {
    readonly entry?: string;
    readonly takeProfit?: string;
    readonly stopLoss?: string;
    readonly levels?: readonly { readonly price: string; readonly quantity: string }[];
    readonly trailing?: { readonly reference?: string; readonly distance?: string; readonly stop?: string };
  };
}

const ROLE: Readonly<Record<string, string>> = {
  single: 'order',
  entry: 'entry',
  take_profit: 'take profit',
  stop_loss: 'stop loss',
  oco_leg: 'leg',
  oto_parent: 'parent',
  oto_child: 'child',
  scale_leg: 'level',
};

export function PreviewPanel({ preview }: { preview: PreviewResult | undefined }) {
  const lv = preview?.levels;
  const hasLevels =
    lv !== undefined &&
    (lv.entry !== undefined ||
      lv.takeProfit !== undefined ||
      lv.stopLoss !== undefined ||
      lv.levels !== undefined ||
      lv.trailing !== undefined);
  return (
    <aside class="preview" aria-labelledby="preview-h" aria-live="polite" data-testid="preview">
      <h3 id="preview-h">Preview</h3>
      {preview === undefined ? (
        <p class="muted">Fill in the ticket to see the levels, the routing plan and the risk check.</p>
      ) : (
        <>
          {hasLevels && lv !== undefined && (
            <section aria-label="Computed levels">
              <h4>Levels</h4>
              <dl class="levels">
                {lv.entry !== undefined && (
                  <>
                    <dt>Entry</dt>
                    <dd class="num" data-level="entry">
                      {readable(lv.entry)}
                    </dd>
                  </>
                )}
                {lv.takeProfit !== undefined && (
                  <>
                    <dt>Take profit</dt>
                    <dd class="num pos" data-level="takeProfit">
                      {readable(lv.takeProfit)}
                    </dd>
                  </>
                )}
                {lv.stopLoss !== undefined && (
                  <>
                    <dt>Stop loss</dt>
                    <dd class="num neg" data-level="stopLoss">
                      {readable(lv.stopLoss)}
                    </dd>
                  </>
                )}
                {lv.trailing !== undefined && (
                  <>
                    <dt>Trailing from</dt>
                    <dd class="num">{readable(lv.trailing.reference)}</dd>
                    <dt>Distance</dt>
                    <dd class="num" data-level="distance">
                      {readable(lv.trailing.distance)}
                    </dd>
                    <dt>Stop now</dt>
                    <dd class="num" data-level="stop">
                      {readable(lv.trailing.stop)}
                    </dd>
                  </>
                )}
              </dl>
              {lv.levels !== undefined && (
                <table class="compact">
                  <caption>Scale levels</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col" class="r">
                        Price
                      </th>
                      <th scope="col" class="r">
                        Quantity
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {lv.levels.map((l, i) => (
                      <tr key={l.price}>
                        <td>{i + 1}</td>
                        <td class="r num">{l.price}</td>
                        <td class="r num">{l.quantity}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
          {preview.plan !== undefined && (
            <section aria-label="Routing plan">
              <h4>Routing on {preview.plan.venue}</h4>
              {preview.plan.list !== undefined && preview.plan.list !== null && (
                <p class="muted">
                  {preview.plan.list.route !== undefined && <RouteBadge route={preview.plan.list.route} />}{' '}
                  {preview.plan.list.reason}
                </p>
              )}
              <ul class="plan">
                {preview.plan.orders.map((o, i) => (
                  <li key={i} data-route={o.route}>
                    <strong>{ROLE[o.role] ?? o.role}</strong> {o.side} {o.type.replace('_', ' ')}{' '}
                    <RouteBadge route={o.route} /> <span class="muted">{o.when}</span>
                    <br />
                    <small>
                      sends {o.sends}; {o.reason}
                    </small>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {preview.risk !== undefined && (
            <section aria-label="Risk check">
              <h4>
                Risk:{' '}
                <span class={preview.risk.allowed ? 'pos' : 'neg'} data-testid="risk-verdict">
                  {preview.risk.allowed ? 'allowed' : 'would be denied'}
                </span>
              </h4>
              <ul class="plain">
                {preview.risk.checks.map((c, i) => (
                  <li key={i}>
                    {c.summary}
                    {(c.denials ?? []).map((d) => (
                      <div key={d.code} class="neg">
                        <code>{d.code}</code> {d.message}
                      </div>
                    ))}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </aside>
  );
}
