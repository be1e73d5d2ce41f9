// The API token: given in ORDO_API_TOKEN, or read from `<dataDir>/api-token`, or generated on the
// first start (32 random bytes, base64url) and written there with owner-only permissions (0600).
// The caller prints a generated token once; after that it is only ever read from the file.

import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, issuesError, ok, type Result } from '../core/errors.ts';
import { readSecretFile } from './config.ts';

export const TOKEN_FILE = 'api-token';

export interface ApiToken {
  readonly token: string;
  readonly source: 'env' | 'file' | 'generated';
  readonly path: string;
}

export function tokenPath(dataDir: string): string {
  return join(dataDir, TOKEN_FILE);
}

export function loadOrCreateToken(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Result<ApiToken> {
  const path = tokenPath(dataDir);
  const given = env.ORDO_API_TOKEN;
  if (given !== undefined && given !== '') {
    if (given.length < 16)
      return err(
        issuesError([
          { field: 'ORDO_API_TOKEN', rule: 'min_length', message: 'must be at least 16 characters' },
        ]),
      );
    return ok({ token: given, source: 'env', path });
  }
  if (existsSync(path)) {
    const r = readSecretFile(path);
    if (!r.ok) return r;
    if (r.value.length < 16)
      return err(
        issuesError([
          { field: path, rule: 'min_length', message: 'holds a token shorter than 16 characters' },
        ]),
      );
    return ok({ token: r.value, source: 'file', path });
  }
  const token = randomBytes(32).toString('base64url');
  // 'wx': never overwrite a token another process wrote meanwhile.
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return ok({ token, source: 'generated', path });
}
