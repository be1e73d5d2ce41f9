// Builds the dashboard into web/dist when it is missing or stale, and does nothing otherwise, so it
// can run on every `npm install` (postinstall) and `npm start` (prestart) and before the browser
// tests without slowing them down. "Stale" is decided by a hash of the sources and of the installed
// versions of the build's packages (stored in dist/.build-hash), not by file times, which a fresh
// clone resets. The build goes to a temporary folder that replaces dist/ only when complete, under a
// lock, so a server or a parallel test never serves half a build.
//
// Usage: node web/scripts/ensure-built.mjs [--strict] [--force]
//   --strict  fail (exit 1) when the dashboard cannot be built; by default a missing build tool
//             only prints a warning, so `npm install --omit=dev` and `npm start` still work.
//   --force   build even when dist/ is up to date.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(WEB, '..');
const DIST = join(WEB, 'dist');
const HASH_FILE = join(DIST, '.build-hash');
const LOCK = join(WEB, '.build-lock');
const PACKAGES = ['vite', 'preact', 'lightweight-charts'];
const LOCK_STALE_MS = 120_000;

const strict = process.argv.includes('--strict');
const force = process.argv.includes('--force');

function files(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

function sourceHash() {
  const h = createHash('sha256');
  const inputs = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), ...files(join(WEB, 'src'), [])];
  for (const path of inputs) {
    h.update(relative(WEB, path));
    h.update('\0');
    h.update(readFileSync(path));
    h.update('\0');
  }
  for (const name of PACKAGES) h.update(`${name}@${installedVersion(name) ?? 'missing'}\0`);
  return h.digest('hex');
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function currentHash() {
  try {
    return readFileSync(HASH_FILE, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock directory: mkdir is atomic. A lock older than LOCK_STALE_MS is from a dead build. */
function withLock(fn) {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function fail(message) {
  if (strict) {
    process.stderr.write(`ordo web: ${message}\n`);
    process.exit(1);
  }
  process.stderr.write(`ordo web: warning: ${message}\n`);
  process.exit(0);
}

function build(hash) {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    fail(
      existsSync(join(DIST, 'index.html'))
        ? 'vite is not installed; serving the existing, possibly stale, web/dist'
        : 'vite is not installed (npm install with dev dependencies builds the dashboard)',
    );
    return;
  }
  const tmp = join(WEB, `.dist-build-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const started = Date.now();
  const r = spawnSync(process.execPath, [vite, 'build', WEB, '--outDir', tmp, '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    fail(`the dashboard build failed (exit ${r.status ?? r.signal})`);
    return;
  }
  writeFileSync(join(tmp, '.build-hash'), `${hash}\n`);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(tmp, DIST);
  process.stdout.write(`ordo web: built web/dist in ${Date.now() - started} ms\n`);
}

const first = sourceHash();
if (force || currentHash() !== first) {
  withLock(() => {
    // Another process may have built it while this one waited for the lock.
    const hash = sourceHash();
    if (force || currentHash() !== hash) build(hash);
  });
}
