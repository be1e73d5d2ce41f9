// Where Coinbase keys come from: the environment, or a key file, never code or the journal.
// Errors name the variable or file and the rule, never a value.
//
//   COINBASE_API_KEY_NAME + COINBASE_API_PRIVATE_KEY        the key inline (PEM, or base64 Ed25519)
//   COINBASE_API_KEY_NAME + COINBASE_API_PRIVATE_KEY_FILE   the private key in a file
//   COINBASE_KEY_FILE=path                                  the JSON the CDP portal downloads:
//                                                           {"name" | "id", "privateKey"}

import { readFileSync } from 'node:fs';
import { err, fieldError, type Result } from '../../core/errors.ts';
import { CoinbaseCredentials } from './jwt.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads Coinbase credentials from `env` (default process.env); `readFile` reads key files. */
export function coinbaseCredentials(
  env: Env = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Result<CoinbaseCredentials> {
  const file = env.COINBASE_KEY_FILE;
  if (file !== undefined && file !== '') {
    let json: unknown;
    try {
      json = JSON.parse(readFile(file));
    } catch {
      return err(fieldError('COINBASE_KEY_FILE', 'readable_json', `${file} is not a readable JSON key file`));
    }
    const o = (json ?? {}) as Record<string, unknown>;
    const name = typeof o.name === 'string' ? o.name : typeof o.id === 'string' ? o.id : undefined;
    if (name === undefined)
      return err(fieldError('COINBASE_KEY_FILE', 'key_name', `${file} has no "name" (or "id") string`));
    if (typeof o.privateKey !== 'string')
      return err(fieldError('COINBASE_KEY_FILE', 'private_key', `${file} has no "privateKey" string`));
    return renamed(
      CoinbaseCredentials.from({ keyName: name, privateKey: o.privateKey }),
      'COINBASE_KEY_FILE',
    );
  }
  const keyName = env.COINBASE_API_KEY_NAME;
  if (keyName === undefined || keyName === '')
    return err(fieldError('COINBASE_API_KEY_NAME', 'required', 'is not set (or set COINBASE_KEY_FILE)'));
  const inline = env.COINBASE_API_PRIVATE_KEY;
  if (inline !== undefined && inline !== '')
    return renamed(CoinbaseCredentials.from({ keyName, privateKey: inline }), 'COINBASE_API_PRIVATE_KEY');
  const keyFile = env.COINBASE_API_PRIVATE_KEY_FILE;
  if (keyFile !== undefined && keyFile !== '') {
    let text: string;
    try {
      text = readFile(keyFile);
    } catch {
      return err(fieldError('COINBASE_API_PRIVATE_KEY_FILE', 'readable', `${keyFile} cannot be read`));
    }
    return renamed(CoinbaseCredentials.from({ keyName, privateKey: text }), 'COINBASE_API_PRIVATE_KEY_FILE');
  }
  return err(
    fieldError(
      'COINBASE_API_PRIVATE_KEY',
      'required',
      'neither COINBASE_API_PRIVATE_KEY nor COINBASE_API_PRIVATE_KEY_FILE is set',
    ),
  );
}

/** A key that does not parse is reported under the variable it came from. */
function renamed(r: Result<CoinbaseCredentials>, variable: string): Result<CoinbaseCredentials> {
  if (r.ok) return r;
  const issue = r.error.issues[0];
  if (issue === undefined) return r;
  return err(fieldError(variable, issue.rule, `${issue.field} ${issue.message}`));
}
