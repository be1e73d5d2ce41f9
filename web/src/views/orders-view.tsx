// Orders as trees: a bracket's entry with its take-profit and stop-loss beneath it, an OTO parent
// with its children, OCO pairs side by side, scale ladders level by level, and single orders on
// their own. Each order shows its live status, filled quantity and whether the venue or Ordo holds
// it, and can be cancelled or modified in place. Rows re-render only when their order changes, so
// a thousand open orders stay cheap to update.

import { Component } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiErrorBody, ListKind, OrderView } from '../api-types.ts';
import { FieldError, FormError, issuesOf } from '../components/field-errors.tsx';
import { readable } from '../decimal-text.ts';
import { isOpen, type ListMeta } from '../store.ts';
import { Empty, RouteBadge, StatusBadge, useLive, useSession } from '../ui.tsx';

const KIND_LABEL: Readonly<Record<ListKind, string>> = {
  bracket: 'Bracket',
  oco: 'OCO pair',
  oto: 'OTO',
  scale: 'Scale ladder',
};

const ROLE_LABEL: Readonly<Record<OrderView['role'], string>> = {
  single: 'Order',
  entry: 'Entry',
  take_profit: 'Take profit',
  stop_loss: 'Stop loss',
  oco_leg: 'Leg',
  oto_parent: 'Parent',
  oto_child: 'Child',
  scale_leg: 'Level',
};

/** How many trees are drawn at once; the rest wait behind "show more" (keeps huge books fast). */
const PAGE = 200;

export function OrdersView({ focus }: { focus: string | undefined }) {
  const { store, api } = useLive();
  // A link to a finished order (from the trade log, say) shows finished orders too.
  const [scope, setScope] = useState<'open' | 'all'>(() => {
    const o = focus === undefined ? undefined : store.orders.get(Number(focus));
    return o !== undefined && !isOpen(o) ? 'all' : 'open';
  });
  useEffect(() => {
    if (focus === undefined) return;
    const el = document.querySelector(`[data-order-id="${CSS.escape(focus)}"]`);
    if (el !== null) {
      el.scrollIntoView({ block: 'center' });
      return;
    }
    // Not loaded (a finished order from before this page was opened): fetch it, then show all.
    void api.get<{ order: OrderView }>(`/v1/orders/${encodeURIComponent(focus)}`).then((r) => {
      if (!r.ok) return;
      store.upsertOrder(r.value.order);
      store.changed();
      setScope('all');
    });
  }, [focus]);
  const [symbol, setSymbol] = useState('');
  const [shown, setShown] = useState(PAGE);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const match = (o: OrderView): boolean =>
    (scope === 'all' || isOpen(o)) &&
    (symbol === '' || o.symbol.toLowerCase().includes(symbol.toLowerCase()));
  const trees = store.trees().filter((t) => t.orders.some(match));
  const singles = [...store.orders.values()].filter((o) => o.listId === undefined && match(o)).reverse();
  type Item = { key: string; list?: { meta: ListMeta; orders: OrderView[] }; order?: OrderView; id: number };
  const items: Item[] = [
    ...trees.map((t) => ({ key: `l${t.meta.listId}`, list: t, id: Math.max(...t.meta.orderIds) })),
    ...singles.map((o) => ({ key: `o${o.id}`, order: o, id: o.id as number })),
  ].sort((a, b) => b.id - a.id);
  const openCount = [...store.orders.values()].filter(isOpen).length;

  const cancelAll = async () => {
    // The server cancels by exact symbol; a partial filter text cancels everything, and says so.
    const exact = [...store.orders.values()].find(
      (o) => o.symbol.toLowerCase() === symbol.trim().toLowerCase(),
    );
    if (!confirm(`Cancel every open order${exact === undefined ? '' : ` on ${exact.symbol}`}?`)) return;
    const r = await api.post<{ cancelled: unknown[]; failed: unknown[] }>(
      '/v1/orders/cancel-all',
      exact === undefined ? {} : { symbol: exact.symbol },
    );
    setMessage(r.ok ? `Cancelled ${r.value.cancelled.length} orders.` : r.error.message);
  };

  return (
    <div class="view">
      <h2>Orders</h2>
      <div class="toolbar">
        <label>
          Show{' '}
          <select
            value={scope}
            onChange={(e) => setScope((e.target as HTMLSelectElement).value as 'open' | 'all')}
          >
            <option value="open">open orders</option>
            <option value="all">all orders</option>
          </select>
        </label>
        <label>
          Symbol{' '}
          <input
            type="search"
            value={symbol}
            placeholder="any"
            onInput={(e) => setSymbol((e.target as HTMLInputElement).value)}
          />
        </label>
        <span class="muted" data-testid="open-count">
          {openCount} open
        </span>
        <button type="button" class="danger" onClick={cancelAll} disabled={openCount === 0}>
          Cancel all
        </button>
      </div>
      {message !== undefined && (
        <p role="status" class="muted">
          {message}
        </p>
      )}
      {items.length === 0 ? (
        <Empty>{scope === 'open' ? 'No open orders.' : 'No orders yet.'}</Empty>
      ) : (
        <ul class="trees">
          {items.slice(0, shown).map((it) =>
            it.list !== undefined ? (
              <ListTree key={it.key} meta={it.list.meta} orders={it.list.orders} focus={focus} />
            ) : it.order !== undefined ? (
              <li key={it.key} class="tree single">
                <ul class="legs">
                  <OrderRow order={it.order} focused={focus === String(it.order.id)} />
                </ul>
              </li>
            ) : null,
          )}
        </ul>
      )}
      {items.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, items.length - shown)} more of {items.length - shown}
        </button>
      )}
    </div>
  );
}

function ListTree({
  meta,
  orders,
  focus,
}: {
  meta: ListMeta;
  orders: OrderView[];
  focus: string | undefined;
}) {
  const { api } = useSession();
  const [error, setError] = useState<string | undefined>(undefined);
  const root = orders.find((o) => o.role === 'entry' || o.role === 'oto_parent');
  const legs = orders.filter((o) => o !== root);
  const anyOpen = orders.some(isOpen);
  const label = `${KIND_LABEL[meta.kind]} #${meta.listId}`;
  const cancel = async () => {
    const r = await api.delete(`/v1/lists/${meta.listId}`);
    setError(r.ok ? undefined : r.error.message);
  };
  const row = (o: OrderView) => <OrderRow key={o.id} order={o} focused={focus === String(o.id)} />;
  return (
    <li class={`tree kind-${meta.kind}`} data-list-id={meta.listId} aria-label={label}>
      <div class="tree-head">
        <strong>{label}</strong>
        <span class="muted">{orders[0]?.symbol}</span>
        <span class={`badge route-${meta.native ? 'native' : 'emulated'}`}>
          {meta.native ? 'native list' : 'linked by Ordo'}
        </span>
        {anyOpen && (
          <button type="button" class="small danger" onClick={cancel} aria-label={`Cancel ${label}`}>
            Cancel {meta.kind === 'bracket' ? 'bracket' : 'all'}
          </button>
        )}
        {error !== undefined && (
          <span class="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {root !== undefined ? (
        <ul class="legs">
          {row(root)}
          <li class="children">
            <ul class={`legs nested${meta.kind === 'bracket' ? ' oco' : ''}`} aria-label={`${label} exits`}>
              {legs.map(row)}
            </ul>
          </li>
        </ul>
      ) : (
        <ul class={`legs${meta.kind === 'oco' ? ' oco' : ''}`}>{legs.map(row)}</ul>
      )}
    </li>
  );
}

interface RowProps {
  readonly order: OrderView;
  readonly focused: boolean;
}

/** One order; skips re-rendering unless its record (replaced on every change) is a new object. */
class OrderRow extends Component<RowProps, { editing: boolean }> {
  override state = { editing: false };
  override shouldComponentUpdate(next: RowProps, nextState: { editing: boolean }): boolean {
    return next.order !== this.props.order || next.focused !== this.props.focused || nextState !== this.state;
  }
  override render() {
    return (
      <OrderRowBody
        order={this.props.order}
        focused={this.props.focused}
        editing={this.state.editing}
        setEditing={(editing) => this.setState({ editing })}
      />
    );
  }
}

function priceText(o: OrderView): string {
  const parts: string[] = [];
  if (o.price !== undefined) parts.push(`@ ${readable(o.price)}`);
  if (o.type === 'trailing_stop' && o.stopPrice !== undefined)
    parts.push(`stop ${readable(o.stopPrice)} (trailing)`);
  else if (o.triggerPrice !== undefined) parts.push(`trigger ${readable(o.triggerPrice)}`);
  if (o.averageFillPrice !== undefined) parts.push(`avg ${readable(o.averageFillPrice)}`);
  return parts.join(' · ');
}

function OrderRowBody({
  order: o,
  focused,
  editing,
  setEditing,
}: RowProps & { editing: boolean; setEditing: (v: boolean) => void }) {
  const { api } = useSession();
  const [error, setError] = useState<string | undefined>(undefined);
  const open = isOpen(o);
  const name = `${ROLE_LABEL[o.role]} #${o.id}`;
  const cancel = async () => {
    const r = await api.delete(`/v1/orders/${o.id}`);
    setError(r.ok ? undefined : r.error.message);
  };
  return (
    <li
      class={`leg role-${o.role}${focused ? ' focused' : ''}${open ? '' : ' done'}`}
      data-order-id={o.id}
      data-status={o.status}
      data-role={o.role}
    >
      <div class="leg-main">
        <span class="leg-name">{name}</span>
        <span class={`side side-${o.side}`}>{o.side}</span>
        <span>{o.type.replace('_', ' ')}</span>
        <span class="num" data-field="filled">
          {readable(o.filled, 0)}/{readable(o.quantity, 0)}
        </span>
        <span class="num">{priceText(o)}</span>
        <StatusBadge status={o.status} />
        <RouteBadge route={o.route} />
        {open && (
          <span class="actions">
            <button
              type="button"
              class="small"
              aria-expanded={editing}
              aria-label={`Modify ${name}`}
              onClick={() => setEditing(!editing)}
            >
              Modify
            </button>
            <button type="button" class="small danger" aria-label={`Cancel ${name}`} onClick={cancel}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {error !== undefined && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {editing && open && <ModifyForm order={o} onDone={() => setEditing(false)} />}
    </li>
  );
}

function ModifyForm({ order: o, onDone }: { order: OrderView; onDone: () => void }) {
  const { api } = useSession();
  const [qty, setQty] = useState(o.quantity);
  const [price, setPrice] = useState(o.price ?? '');
  const [trigger, setTrigger] = useState(o.triggerPrice ?? '');
  const [error, setError] = useState<ApiErrorBody | undefined>(undefined);
  const hasPrice = o.type === 'limit' || o.type === 'stop_limit';
  const hasTrigger = o.type === 'stop' || o.type === 'stop_limit';
  const issues = issuesOf(error);
  const id = (f: string) => `m${o.id}-${f}`;
  const first = useRef<HTMLInputElement>(null);
  // Opening the form moves the focus into it, so a keyboard user can type straight away.
  useEffect(() => first.current?.focus(), []);
  // What the fields showed when the form opened: only a field the user changed is sent. The
  // order itself may change meanwhile (an exit leg grows as its entry fills), and sending the
  // quantity the form opened with would undo that.
  const [opened] = useState(() => ({ qty: o.quantity, price: o.price ?? '', trigger: o.triggerPrice ?? '' }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    if (qty !== opened.qty) body.quantity = qty;
    if (hasPrice && price !== opened.price) body.price = price;
    if (hasTrigger && trigger !== opened.trigger) body.triggerPrice = trigger;
    const r = await api.patch(`/v1/orders/${o.id}`, body);
    if (r.ok) onDone();
    else setError(r.error);
  };
  return (
    <form
      class="modify"
      onSubmit={submit}
      aria-label={`Modify order #${o.id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <label for={id('quantity')}>Quantity</label>
      <input
        ref={first}
        id={id('quantity')}
        inputMode="decimal"
        value={qty}
        onInput={(e) => setQty((e.target as HTMLInputElement).value)}
        aria-invalid={issues.quantity !== undefined}
        aria-describedby={id('quantity-err')}
      />
      <FieldError id={id('quantity-err')} message={issues.quantity} />
      {hasPrice && (
        <>
          <label for={id('price')}>Limit price</label>
          <input
            id={id('price')}
            inputMode="decimal"
            value={price}
            onInput={(e) => setPrice((e.target as HTMLInputElement).value)}
            aria-invalid={issues.price !== undefined}
            aria-describedby={id('price-err')}
          />
          <FieldError id={id('price-err')} message={issues.price} />
        </>
      )}
      {hasTrigger && (
        <>
          <label for={id('trigger')}>Trigger price</label>
          <input
            id={id('trigger')}
            inputMode="decimal"
            value={trigger}
            onInput={(e) => setTrigger((e.target as HTMLInputElement).value)}
            aria-invalid={issues.triggerPrice !== undefined}
            aria-describedby={id('trigger-err')}
          />
          <FieldError id={id('trigger-err')} message={issues.triggerPrice} />
        </>
      )}
      <FormError error={error} shown={['quantity', 'price', 'triggerPrice']} />
      <div class="buttons">
        <button type="submit">Save</button>
        <button type="button" class="link" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
