// Serves the dashboard's built files (web/dist) at `/`. A path that is not a file gets index.html,
// so the dashboard's own routes work on reload. Paths are resolved inside the directory only.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  /** Hashed asset names can be cached for long; index.html never. */
  readonly immutable: boolean;
}

export class StaticFiles {
  constructor(private readonly root: string) {}

  get available(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /** The file for a URL path, index.html for anything that is not a file, undefined without a build. */
  lookup(urlPath: string): StaticFile | undefined {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
    } catch {
      rel = '/';
    }
    const path = normalize(join(this.root, rel));
    const inside =
      path === this.root || path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
    if (inside && existsSync(path) && statSync(path).isFile())
      return {
        body: readFileSync(path),
        type: TYPES[extname(path)] ?? 'application/octet-stream',
        immutable: rel.startsWith('/assets/'),
      };
    const index = join(this.root, 'index.html');
    if (!existsSync(index)) return undefined;
    return { body: readFileSync(index), type: TYPES['.html']!, immutable: false };
  }
}
