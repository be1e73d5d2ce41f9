// Field errors from a 400 answer: each issue is shown beside the field it names, and any issue no
// field on the form claims is listed at the top, so nothing the server said is lost.

import type { ApiErrorBody } from '../api-types.ts';

export type Issues = Readonly<Record<string, string>>;

/** The issues of an error body, by field name. */
export function issuesOf(error: ApiErrorBody | undefined): Issues {
  const out: Record<string, string> = {};
  for (const i of error?.issues ?? []) {
    const key = i.field;
    out[key] = out[key] === undefined ? i.message : `${out[key]}; ${i.message}`;
  }
  return out;
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <span id={id} class="field-error" role="alert">
      {message}
    </span>
  );
}

/** The error's message, plus every issue whose field is not in `shown`. */
export function FormError({ error, shown }: { error: ApiErrorBody | undefined; shown: readonly string[] }) {
  if (error === undefined) return null;
  const rest = (error.issues ?? []).filter((i) => !shown.includes(i.field));
  return (
    <div class="form-error" role="alert">
      <strong>{error.message}</strong> <code>{error.code}</code>
      {rest.length > 0 && (
        <ul>
          {rest.map((i) => (
            <li key={`${i.field}:${i.rule}`}>
              <code>{i.field || '(request)'}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
