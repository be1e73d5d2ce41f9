// Where Binance keys come from: the environment, or a JSON key file, never code or the journal.
// Errors name the variable or file and the rule, never a value.
//
//   BINANCE_API_KEY + BINANCE_API_SECRET                 an HMAC key
//   BINANCE_API_KEY + BINANCE_ED25519_PRIVATE_KEY_FILE   an Ed25519 key (PKCS#8 PEM file)
//   BINANCE_KEYS_FILE=path                               {"apiKey", "hmacSecret" | "ed25519PrivateKeyPem"}

import { readFileSync } from 'node:fs';
import { err, fieldError, type Result } from '../../core/errors.ts';
import { Credentials } from './signing.ts';

type Env = Readonly<Record<string, string | undefined>>;

export function binanceCredentials(
  env: Env = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Result<Credentials> {
  const file = env.BINANCE_KEYS_FILE;
  if (file !== undefined && file !== '') {
    let json: unknown;
    try {
      json = JSON.parse(readFile(file));
    } catch {
      return err(fieldError('BINANCE_KEYS_FILE', 'readable_json', `${file} is not a readable JSON key file`));
    }
    const o = (json ?? {}) as Record<string, unknown>;
    if (typeof o.apiKey !== 'string')
      return err(fieldError('BINANCE_KEYS_FILE', 'api_key', `${file} has no "apiKey" string`));
    if (typeof o.hmacSecret === 'string')
      return Credentials.from({ apiKey: o.apiKey, hmacSecret: o.hmacSecret });
    if (typeof o.ed25519PrivateKeyPem === 'string')
      return Credentials.from({ apiKey: o.apiKey, ed25519PrivateKeyPem: o.ed25519PrivateKeyPem });
    return err(
      fieldError(
        'BINANCE_KEYS_FILE',
        'secret',
        `${file} has neither "hmacSecret" nor "ed25519PrivateKeyPem"`,
      ),
    );
  }
  const apiKey = env.BINANCE_API_KEY;
  if (apiKey === undefined || apiKey === '')
    return err(fieldError('BINANCE_API_KEY', 'required', 'is not set (or set BINANCE_KEYS_FILE)'));
  const secret = env.BINANCE_API_SECRET;
  if (secret !== undefined && secret !== '') return Credentials.from({ apiKey, hmacSecret: secret });
  const pemFile = env.BINANCE_ED25519_PRIVATE_KEY_FILE;
  if (pemFile !== undefined && pemFile !== '') {
    let pem: string;
    try {
      pem = readFile(pemFile);
    } catch {
      return err(fieldError('BINANCE_ED25519_PRIVATE_KEY_FILE', 'readable', `${pemFile} cannot be read`));
    }
    return Credentials.from({ apiKey, ed25519PrivateKeyPem: pem });
  }
  return err(
    fieldError(
      'BINANCE_API_SECRET',
      'required',
      'neither BINANCE_API_SECRET nor BINANCE_ED25519_PRIVATE_KEY_FILE is set',
    ),
  );
}
