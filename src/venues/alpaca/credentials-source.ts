// Where Alpaca keys come from: the environment, or a JSON key file, never code or the journal.
// Errors name the variable or file and the rule, never a value.
//
//   APCA_API_KEY_ID + APCA_API_SECRET_KEY     the key pair (Alpaca's own SDK variable names)
//   ALPACA_KEYS_FILE=path                     {"keyId", "secretKey"} (also "key_id"/"secret_key")

import { readFileSync } from 'node:fs';
import { err, fieldError, type Result } from '../../core/errors.ts';
import { AlpacaCredentials } from './auth.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the credentials from `env` (default process.env); `readFile` is replaceable for tests. */
export function alpacaCredentials(
  env: Env = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Result<AlpacaCredentials> {
  const file = env.ALPACA_KEYS_FILE;
  if (file !== undefined && file !== '') {
    let json: unknown;
    try {
      json = JSON.parse(readFile(file));
    } catch {
      return err(fieldError('ALPACA_KEYS_FILE', 'readable_json', `${file} is not a readable JSON key file`));
    }
    const o = (json ?? {}) as Record<string, unknown>;
    const keyId = o.keyId ?? o.key_id;
    const secretKey = o.secretKey ?? o.secret_key;
    if (typeof keyId !== 'string' || keyId === '')
      return err(fieldError('ALPACA_KEYS_FILE', 'key_id', `${file} has no "keyId" string`));
    if (typeof secretKey !== 'string' || secretKey === '')
      return err(fieldError('ALPACA_KEYS_FILE', 'secret_key', `${file} has no "secretKey" string`));
    const c = AlpacaCredentials.from({ keyId, secretKey });
    return c.ok ? c : err(fieldError('ALPACA_KEYS_FILE', 'format', `${file}: ${c.error.message}`));
  }
  const keyId = env.APCA_API_KEY_ID;
  if (keyId === undefined || keyId === '')
    return err(fieldError('APCA_API_KEY_ID', 'required', 'is not set (or set ALPACA_KEYS_FILE)'));
  const secretKey = env.APCA_API_SECRET_KEY;
  if (secretKey === undefined || secretKey === '')
    return err(fieldError('APCA_API_SECRET_KEY', 'required', 'is not set'));
  const c = AlpacaCredentials.from({ keyId, secretKey });
  if (c.ok) return c;
  const field = c.error.issues[0]?.field === 'keyId' ? 'APCA_API_KEY_ID' : 'APCA_API_SECRET_KEY';
  return err(fieldError(field, 'format', 'must be a non-empty string without spaces'));
}
