// Line access to text files that may be gzip-compressed, shared by the file readers here. Whether
// a file is gzip is decided by its magic bytes, not its name. Read failures (missing file, corrupt
// gzip) come back as values naming the `path` field, like every other expected failure.

import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { err, fieldError, type OrdoError, ok, type Result } from '../core/errors.ts';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a whole text file, gunzipping it when it is gzip. */
export function loadText(path: string): Result<string> {
  try {
    const bytes = readFileSync(path);
    return ok((isGzip(bytes) ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (e) {
    return err(unreadable(path, e));
  }
}

/**
 * Calls `onLine` for every line of `text` (1-based numbers, `\n` or `\r\n` endings, no empty
 * line after a final newline) until it returns an error, which is then returned.
 */
export function forEachLine(
  text: string,
  onLine: (row: string, line: number) => OrdoError | undefined,
): OrdoError | undefined {
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    const error = onLine(row, line);
    if (error !== undefined) return error;
  }
  return undefined;
}

export type TextLine = { readonly ok: true; readonly text: string; readonly line: number };

/**
 * Streams the lines of a (possibly gzip) file with zlib and readline. Yields each line with its
 * 1-based number; a read failure is yielded once as an error value and ends the stream. Breaking
 * out of the loop early closes the file.
 */
export async function* readTextLines(
  path: string,
): AsyncGenerator<TextLine | { readonly ok: false; readonly error: OrdoError }, void, undefined> {
  let input: NodeJS.ReadableStream & { destroy(error?: Error): void };
  try {
    const gzipped = await isGzipFile(path);
    const file = createReadStream(path);
    if (gzipped) {
      const gunzip = createGunzip();
      // pipe() does not forward a read error; without this a failing file would hang readline.
      file.on('error', (e) => gunzip.destroy(e));
      input = file.pipe(gunzip);
    } else {
      input = file;
    }
  } catch (e) {
    yield { ok: false, error: unreadable(path, e) };
    return;
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      yield { ok: true, text, line };
    }
  } catch (e) {
    yield { ok: false, error: unreadable(path, e) };
  } finally {
    lines.close();
    input.destroy();
  }
}

async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, e: unknown): OrdoError {
  const reason = e instanceof Error ? e.message : String(e);
  return fieldError('path', 'readable', `cannot read ${path}: ${reason}`);
}
