// The order ticket: every order type, with a live preview before anything is sent — the computed
// levels (bracket take-profit and stop-loss prices, each scale level with its rounded quantity,
// the trailing distance), the routing plan (native or emulated, per leg) and the risk what-if —
// and every field the server refuses named beside its input.

import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiErrorBody } from '../api-types.ts';
import { FormError, type Issues, issuesOf } from '../components/field-errors.tsx';
import { PreviewPanel, type PreviewResult } from '../components/preview-panel.tsx';
import { useLive } from '../ui.tsx';
import { placementOf, TICKET_TYPES, type TicketType, type Values } from './ticket-spec.ts';

const PREVIEW_DELAY_MS = 250;

interface FormCtx {
  readonly values: Values;
  readonly set: (name: string, value: string) => void;
  readonly issues: Issues;
  /** Names of the fields on the form this render, so issues for other fields are listed apart. */
  readonly rendered: Set<string>;
}

const Form = createContext<FormCtx>({ values: {}, set: () => {}, issues: {}, rendered: new Set() });

function fieldId(name: string): string {
  return `t-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** The issue for a field, or for the object it belongs to (`takeProfit` for `takeProfit.price`). */
function issueFor(issues: Issues, name: string): string | undefined {
  if (issues[name] !== undefined) return issues[name];
  const parent = name.replace(/\.[^.[\]]+$/, '');
  return parent !== name ? issues[parent] : undefined;
}

function Field({
  name,
  label,
  hint,
  placeholder,
}: {
  name: string;
  label: string;
  hint?: string;
  placeholder?: string;
}) {
  const { values, set, issues, rendered } = useContext(Form);
  rendered.add(name);
  const id = fieldId(name);
  const err = issueFor(issues, name);
  return (
    <div class={`field${err !== undefined ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        autocomplete="off"
        placeholder={placeholder}
        value={values[name] ?? ''}
        onInput={(e) => set(name, (e.target as HTMLInputElement).value)}
        aria-invalid={err !== undefined}
        aria-describedby={[err !== undefined ? `${id}-err` : '', hint !== undefined ? `${id}-hint` : '']
          .join(' ')
          .trim()}
      />
      {hint !== undefined && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {err !== undefined && (
        <span id={`${id}-err`} class="field-error">
          {err}
        </span>
      )}
    </div>
  );
}

function Choice({
  name,
  label,
  options,
  fallback,
}: {
  name: string;
  label: string;
  options: readonly (readonly [string, string])[];
  fallback: string;
}) {
  const { values, set, issues, rendered } = useContext(Form);
  rendered.add(name);
  const id = fieldId(name);
  const err = issueFor(issues, name);
  return (
    <div class={`field${err !== undefined ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={values[name] ?? fallback}
        onChange={(e) => set(name, (e.target as HTMLSelectElement).value)}
        aria-invalid={err !== undefined}
        aria-describedby={err !== undefined ? `${id}-err` : undefined}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {err !== undefined && (
        <span id={`${id}-err`} class="field-error">
          {err}
        </span>
      )}
    </div>
  );
}

const SIDE_OPTIONS = [
  ['buy', 'Buy'],
  ['sell', 'Sell'],
] as const;
const TIF_OPTIONS = [
  ['gtc', 'Good till cancelled'],
  ['day', 'Day'],
  ['ioc', 'Immediate or cancel'],
  ['fok', 'Fill or kill'],
] as const;
const OFFSET_OPTIONS = [
  ['percent', 'percent'],
  ['bps', 'basis points'],
  ['price', 'price'],
  ['ticks', 'ticks'],
] as const;
const SINGLE_TYPES = [
  ['market', 'Market'],
  ['limit', 'Limit'],
  ['stop', 'Stop'],
  ['stop_limit', 'Stop-limit'],
  ['trailing_stop', 'Trailing stop'],
] as const;

/** Fields of one plain order (type fixed or chosen), under `prefix` for OTO parent/children. */
function SingleFields({ prefix, type, side }: { prefix: string; type: string; side: boolean }) {
  return (
    <>
      {side && <Choice name={`${prefix}side`} label="Side" options={SIDE_OPTIONS} fallback="buy" />}
      <Field name={`${prefix}quantity`} label="Quantity" />
      {(type === 'limit' || type === 'stop_limit') && <Field name={`${prefix}price`} label="Limit price" />}
      {(type === 'stop' || type === 'stop_limit') && (
        <Field name={`${prefix}triggerPrice`} label="Trigger price" />
      )}
      {type === 'trailing_stop' && (
        <>
          <Choice
            name={`${prefix}trailing.offsetType`}
            label="Trail by"
            options={OFFSET_OPTIONS}
            fallback="percent"
          />
          <Field name={`${prefix}trailing.offset`} label="Trailing offset" />
          <Field name={`${prefix}trailing.activationPrice`} label="Activation price (optional)" />
          <Field
            name={`${prefix}trailing.limitOffset`}
            label="Limit offset (optional, makes it stop-limit)"
          />
        </>
      )}
      {type !== 'market' && (
        <Choice name={`${prefix}tif`} label="Time in force" options={TIF_OPTIONS} fallback="gtc" />
      )}
    </>
  );
}

function LevelFields({ name, label }: { name: 'takeProfit' | 'stopLoss'; label: string }) {
  const { values } = useContext(Form);
  const mode = values[`${name}.mode`] === 'price' ? 'price' : 'percent';
  return (
    <fieldset>
      <legend>{label}</legend>
      <Choice
        name={`${name}.mode`}
        label={`${label} as`}
        options={[
          ['percent', 'percent from entry'],
          ['price', 'price'],
        ]}
        fallback="percent"
      />
      <Field
        name={`${name}.${mode}`}
        label={mode === 'percent' ? `${label} distance (%)` : `${label} price`}
      />
    </fieldset>
  );
}

function TypeFields({
  type,
  otoChildren,
  setOtoChildren,
}: {
  type: TicketType;
  otoChildren: number;
  setOtoChildren: (n: number) => void;
}) {
  const { values } = useContext(Form);
  switch (type) {
    case 'market':
    case 'limit':
    case 'stop':
    case 'stop_limit':
    case 'trailing_stop':
      return <SingleFields prefix="" type={type} side={false} />;
    case 'bracket': {
      const entryType = values['entry.type'] ?? 'limit';
      return (
        <>
          <Field name="quantity" label="Quantity" />
          <fieldset>
            <legend>Entry</legend>
            <Choice
              name="entry.type"
              label="Entry type"
              options={[
                ['limit', 'Limit'],
                ['market', 'Market'],
                ['stop_limit', 'Stop-limit'],
              ]}
              fallback="limit"
            />
            {entryType !== 'market' && <Field name="entry.price" label="Entry price" />}
            {entryType === 'stop_limit' && <Field name="entry.triggerPrice" label="Entry trigger price" />}
          </fieldset>
          <LevelFields name="takeProfit" label="Take profit" />
          <LevelFields name="stopLoss" label="Stop loss" />
          <Field name="stopLossLimitOffset" label="Stop-loss limit offset (optional)" />
          <Choice
            name="release"
            label="Exits start"
            options={[
              ['partial', 'as the entry fills'],
              ['full', 'once the entry is filled'],
            ]}
            fallback="partial"
          />
        </>
      );
    }
    case 'oco':
      return (
        <>
          <Field name="quantity" label="Quantity" />
          {[0, 1].map((i) => {
            const t = values[`legs[${i}].type`] ?? (i === 0 ? 'limit' : 'stop');
            return (
              <fieldset key={i}>
                <legend>Leg {i + 1}</legend>
                <Choice
                  name={`legs[${i}].type`}
                  label={`Leg ${i + 1} type`}
                  options={[
                    ['limit', 'Limit'],
                    ['stop', 'Stop'],
                    ['stop_limit', 'Stop-limit'],
                  ]}
                  fallback={i === 0 ? 'limit' : 'stop'}
                />
                {(t === 'limit' || t === 'stop_limit') && (
                  <Field name={`legs[${i}].price`} label={`Leg ${i + 1} limit price`} />
                )}
                {(t === 'stop' || t === 'stop_limit') && (
                  <Field name={`legs[${i}].triggerPrice`} label={`Leg ${i + 1} trigger price`} />
                )}
              </fieldset>
            );
          })}
        </>
      );
    case 'oto': {
      const parentType = values['parent.type'] ?? 'limit';
      return (
        <>
          <fieldset>
            <legend>Parent</legend>
            <Choice name="parent.type" label="Parent type" options={SINGLE_TYPES} fallback="limit" />
            <SingleFields prefix="parent." type={parentType} side={false} />
          </fieldset>
          {Array.from({ length: otoChildren }, (_, i) => {
            const t = values[`children[${i}].type`] ?? 'stop';
            return (
              <fieldset key={i}>
                <legend>Child {i + 1}</legend>
                <Choice
                  name={`children[${i}].type`}
                  label={`Child ${i + 1} type`}
                  options={SINGLE_TYPES}
                  fallback="stop"
                />
                <SingleFields prefix={`children[${i}].`} type={t} side={true} />
              </fieldset>
            );
          })}
          <div class="buttons">
            <button type="button" onClick={() => setOtoChildren(Math.min(10, otoChildren + 1))}>
              Add child
            </button>
            {otoChildren > 1 && (
              <button type="button" onClick={() => setOtoChildren(otoChildren - 1)}>
                Remove last child
              </button>
            )}
          </div>
          <Choice
            name="trigger"
            label="Children start"
            options={[
              ['partial', 'on the parent’s first fill'],
              ['full', 'once the parent is filled'],
            ]}
            fallback="partial"
          />
        </>
      );
    }
    case 'scale':
      return (
        <>
          <Field name="totalQuantity" label="Total quantity" />
          <Field name="levels" label="Levels" />
          <Field name="startPrice" label="Start price" />
          <Field name="step" label="Step between levels" hint="levels step down for buys, up for sells" />
          <Field name="weights" label="Weights (optional)" placeholder="e.g. 1, 2, 3" />
        </>
      );
    default:
      return null;
  }
}

export function TicketView() {
  const { store, api } = useLive();
  const instruments = store.venues.flatMap((v) =>
    (v.instruments ?? []).map((i) => ({ venue: v.id, symbol: i.symbol })),
  );
  const [type, setType] = useState<TicketType>('limit');
  const [values, setValues] = useState<Record<string, string>>({});
  const [otoChildren, setOtoChildren] = useState(1);
  const [preview, setPreview] = useState<PreviewResult | undefined>(undefined);
  /** The preview's refusal: its issues show only beside fields the user has already filled. */
  const [previewError, setPreviewError] = useState<ApiErrorBody | undefined>(undefined);
  /** The last submit's refusal: every issue shows. */
  const [error, setError] = useState<ApiErrorBody | undefined>(undefined);
  const [placed, setPlaced] = useState<{ text: string; href: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(newKey());
  const first = instruments[0];
  const v: Values = {
    ...values,
    symbol: values.symbol ?? first?.symbol ?? '',
    venue: values.venue ?? first?.venue ?? '',
  };
  const placement = placementOf(type, v, otoChildren);
  const body = JSON.stringify({ kind: placement.kind, spec: placement.spec });

  // Preview after a pause in typing; a newer request makes an older answer irrelevant.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(async () => {
      const r = await api.post<PreviewResult>('/v1/preview', JSON.parse(body));
      if (!current) return;
      if (r.ok) {
        setPreview(r.value);
        setPreviewError(undefined);
      } else {
        setPreview(undefined);
        setPreviewError(r.error);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [body]);

  const set = (name: string, value: string): void => {
    setValues((old) => ({ ...old, [name]: value }));
    setPlaced(undefined);
    setError(undefined);
    idempotencyKey.current = newKey();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await api.post<{ order?: { id: number }; list?: { listId: number; orders: { id: number }[] } }>(
      placement.path,
      placement.spec,
      { 'idempotency-key': idempotencyKey.current },
    );
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(undefined);
    const id = r.value.order?.id ?? r.value.list?.orders[0]?.id;
    const what = r.value.list !== undefined ? `${placement.kind} #${r.value.list.listId}` : `order #${id}`;
    setPlaced({ text: `Placed ${what}.`, href: `#/orders?id=${id}` });
    idempotencyKey.current = newKey();
  };

  const touchedIssues = Object.entries(issuesOf(previewError)).filter(([f]) =>
    Object.keys(values).some((k) => k === f || k.startsWith(`${f}.`) || k.startsWith(`${f}[`)),
  );
  const issues: Issues = { ...Object.fromEntries(touchedIssues), ...issuesOf(error) };
  const rendered = new Set<string>();
  const side = v.side ?? (type === 'oco' ? 'sell' : 'buy');
  return (
    <div class="view ticket">
      <h2>Order ticket</h2>
      <Form.Provider value={{ values: v, set, issues, rendered }}>
        <form onSubmit={submit} aria-label="Order ticket" class="ticket-form" noValidate>
          <div class="field">
            <label for="t-type">Order type</label>
            <select
              id="t-type"
              value={type}
              onChange={(e) => {
                setType((e.target as HTMLSelectElement).value as TicketType);
                setPlaced(undefined);
                // The last preview was for another type: never show it against this one.
                setPreview(undefined);
                setError(undefined);
              }}
            >
              {TICKET_TYPES.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="t-instrument">Instrument</label>
            <select
              id="t-instrument"
              value={`${v.venue}|${v.symbol}`}
              onChange={(e) => {
                const [venue = '', symbol = ''] = (e.target as HTMLSelectElement).value.split('|');
                set('venue', venue);
                set('symbol', symbol);
              }}
            >
              {instruments.map((i) => (
                <option key={`${i.venue}|${i.symbol}`} value={`${i.venue}|${i.symbol}`}>
                  {i.symbol} on {i.venue}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="side-toggle">
            <legend>{type === 'oto' ? 'Parent side' : 'Side'}</legend>
            {SIDE_OPTIONS.map(([value, label]) => (
              <label key={value} class={`side-${value}`}>
                <input
                  type="radio"
                  name="side"
                  value={value}
                  checked={side === value}
                  onChange={() => set('side', value)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <TypeFields type={type} otoChildren={otoChildren} setOtoChildren={setOtoChildren} />
          <Field name="tag" label="Tag (optional)" />
          <FormError error={error} shown={[...rendered].flatMap((f) => [f, f.replace(/\.[^.[\]]+$/, '')])} />
          <div class="buttons">
            <button type="submit" class={`primary side-${side}`} disabled={busy}>
              {busy
                ? 'Placing…'
                : `Place ${TICKET_TYPES.find((t) => t.id === type)?.label.split(' (')[0] ?? type}`}
            </button>
          </div>
          {placed !== undefined && (
            <p role="status" class="placed">
              {placed.text} <a href={placed.href}>See it in Orders</a>
            </p>
          )}
        </form>
      </Form.Provider>
      <PreviewPanel preview={preview} />
    </div>
  );
}

function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}
