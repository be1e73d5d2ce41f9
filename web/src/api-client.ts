// The HTTP side of the dashboard: every call carries the bearer token, and every failure comes
// back as a value (`{ ok: false, status, error }`) with the server's field issues, so a form can
// show each message beside its field instead of a generic alert.

import type { ApiErrorBody } from './api-types.ts';

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly error: ApiErrorBody };

const TOKEN_KEY = 'ordo.token';

/** The token is entered once and kept for the browser session (never in localStorage). */
export function savedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage may be disabled; the token then lasts as long as the page.
  }
}

export class ApiClient {
  constructor(
    readonly token: string,
    private readonly base = '',
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<ApiResult<T>> {
    return this.request<T>('DELETE', path);
  }

  /** Plain text (CSV exports). */
  async text(path: string): Promise<ApiResult<string>> {
    try {
      const res = await fetch(this.base + path, { headers: { authorization: `Bearer ${this.token}` } });
      if (!res.ok) return { ok: false, status: res.status, error: await errorOf(res) };
      return { ok: true, status: res.status, value: await res.text() };
    } catch (e) {
      return networkError(e);
    }
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      return networkError(e);
    }
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) return { ok: false, status: res.status, error: await errorOf(res) };
    const text = await res.text();
    return { ok: true, status: res.status, value: (text === '' ? undefined : JSON.parse(text)) as T };
  }
}

async function errorOf(res: Response): Promise<ApiErrorBody> {
  try {
    const body = (await res.json()) as { error?: ApiErrorBody };
    if (body.error !== undefined && typeof body.error.code === 'string') return body.error;
  } catch {
    // not JSON: fall through to the status line
  }
  return { code: `http_${res.status}`, message: res.statusText || `HTTP ${res.status}` };
}

function networkError(e: unknown): { ok: false; status: 0; error: ApiErrorBody } {
  return {
    ok: false,
    status: 0,
    error: { code: 'network', message: e instanceof Error ? e.message : 'the server did not answer' },
  };
}

/** Checks a token without keeping it: resolves to an error message, or undefined when it works. */
export async function checkToken(token: string, base = ''): Promise<string | undefined> {
  const r = await new ApiClient(token, base).get<unknown>('/v1/account');
  if (r.ok) return undefined;
  if (r.status === 401) return 'The server did not accept this token.';
  return `The server answered: ${r.error.message}`;
}
