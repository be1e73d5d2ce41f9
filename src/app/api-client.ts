// The HTTP client the CLI commands that talk to a running `ordo serve` use (order, positions,
// trades). Where the server is and its token come from, first found wins: --url/--token flags,
// ORDO_URL/ORDO_API_TOKEN, the config (host and port, --config or ORDO_CONFIG), and the token file
// in the data directory. The token is sent, never printed.

import { existsSync } from 'node:fs';
import type { ErrorBody } from '../api/contract.ts';
import { tokenPath } from './api-token.ts';
import { type CliIo, EXIT, fail } from './cli-kit.ts';
import { loadConfig, readSecretFile } from './config.ts';

export const CLIENT_FLAGS = {
  url: { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export const CLIENT_FLAGS_HELP = `Server flags (defaults: ORDO_URL, ORDO_API_TOKEN, the config, DATA_DIR/api-token):
  --url URL          the server, e.g. http://127.0.0.1:7878
  --token TOKEN      the API token (prefer ORDO_API_TOKEN: flags show in the process list)
  --config FILE      read host, port and data directory from this config
  --data-dir DIR     read the token from DIR/api-token`;

export interface ApiTarget {
  readonly url: string;
  readonly token: string;
}

export type Resolved = { ok: true; value: ApiTarget } | { ok: false; exit: number };

export function resolveTarget(
  command: string,
  flags: {
    url?: string | undefined;
    token?: string | undefined;
    config?: string | undefined;
    'data-dir'?: string | undefined;
  },
  io: CliIo,
): Resolved {
  const config = loadConfig({
    file: flags.config,
    env: io.env,
    cwd: io.cwd,
    overrides: { dataDir: flags['data-dir'] },
  });
  if (!config.ok)
    return {
      ok: false,
      exit: fail(io, command, `configuration: ${config.error.message}`, EXIT.usage),
    };
  const c = config.value;
  const host = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
  const url = (
    flags.url ??
    (io.env.ORDO_URL || undefined) ??
    `http://${host.includes(':') ? `[${host}]` : host}:${c.port}`
  ).replace(/\/+$/, '');
  let token = flags.token ?? (io.env.ORDO_API_TOKEN || undefined);
  if (token === undefined) {
    const path = tokenPath(c.dataDir);
    if (!existsSync(path))
      return {
        ok: false,
        exit: fail(
          io,
          command,
          `no API token: give --token, set ORDO_API_TOKEN, or run where ${path} exists (ordo serve writes it)`,
          EXIT.unavailable,
        ),
      };
    const read = readSecretFile(path);
    if (!read.ok) return { ok: false, exit: fail(io, command, read.error.message, EXIT.unavailable) };
    token = read.value;
  }
  return { ok: true, value: { url, token } };
}

export type Answer =
  | { readonly ok: true; readonly status: number; readonly json: unknown; readonly text: string }
  | { readonly ok: false; readonly exit: number };

/**
 * One request. A refusal (4xx) is printed with its code and every field issue and answers exit 1;
 * a server that cannot be reached answers exit 3.
 */
export async function request(
  io: CliIo,
  command: string,
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any([io.signal, AbortSignal.timeout(30_000)]),
    });
  } catch (e) {
    return {
      ok: false,
      exit: fail(
        io,
        command,
        `cannot reach ${target.url}: ${(e as Error).message} (is ordo serve running?)`,
        EXIT.unavailable,
      ),
    };
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status >= 400) {
    const e = (json as ErrorBody | undefined)?.error;
    const issues = e?.issues?.map((i) => `\n  ${i.field}: ${i.message} (${i.rule})`).join('') ?? '';
    const why = res.status === 401 ? ' (check the token)' : '';
    return {
      ok: false,
      exit: fail(
        io,
        command,
        `${res.status} ${e?.code ?? 'error'}: ${e?.message ?? text}${why}${issues}`,
        EXIT.failure,
      ),
    };
  }
  return { ok: true, status: res.status, json, text };
}
