// A throwaway PostgreSQL server for tests and benchmarks, started from the system's own binaries
// (Debian's /usr/lib/postgresql/<version>/bin, or initdb on PATH). The cluster lives in a fresh
// temporary directory, listens only on 127.0.0.1 at a free port (plus a unix socket inside that
// directory), trusts local connections, and never touches a cluster the distribution may run on
// port 5432. The server refuses to run as root, so under root (CI) every server command runs as
// the unprivileged `postgres` user (created with useradd when missing). A detached watchdog stops
// the server and removes the directory if this process dies without calling stop(), so a killed
// test run leaves nothing behind. `startPostgres()` returns undefined when no binaries exist; the
// caller says so loudly and skips. ORDO_POSTGRES_BIN=<dir> picks the binaries (=none: act as if
// PostgreSQL were not installed, to see the skip path).

import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface PostgresServer {
  /** `postgres://ordo@127.0.0.1:<port>/postgres`: superuser `ordo`, trust authentication. */
  readonly url: string;
  readonly port: number;
  /** The PostgreSQL major version of the binaries, e.g. 15. */
  readonly version: number;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** The user the server runs as when this process is root. */
const SERVER_USER = 'postgres';
const DATABASE_USER = 'ordo';
/** How long startup and shutdown may take before the command is abandoned. */
const SERVER_COMMAND_TIMEOUT_MS = 60_000;
const START_ATTEMPTS_MAX = 3;

/** Settings for a small, fast test server. fsync stays on, so commit timings are honest. */
const SERVER_SETTINGS: readonly string[] = [
  'listen_addresses=127.0.0.1',
  'shared_buffers=16MB',
  'max_connections=50',
  'max_wal_size=1GB',
  'checkpoint_timeout=30min',
  'log_min_messages=warning',
  'log_checkpoints=off',
  'dynamic_shared_memory_type=posix',
];

export interface PostgresBinaries {
  readonly dir: string;
  readonly version: number;
}

/**
 * The newest PostgreSQL binaries on this machine, or undefined when there are none. The variable
 * ORDO_POSTGRES_BIN names the directory to use instead, or `none` to act as if there were none.
 */
export function findPostgresBinaries(): PostgresBinaries | undefined {
  const override = process.env.ORDO_POSTGRES_BIN;
  if (override === 'none') return undefined;
  if (override !== undefined && override !== '') {
    if (!hasServerBinaries(override))
      throw new Error(`ORDO_POSTGRES_BIN=${override} has no initdb, pg_ctl, postgres`);
    return { dir: override, version: versionOf(override) };
  }
  const candidates: PostgresBinaries[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const name of readdirSync(root)) {
      const version = Number.parseInt(name, 10);
      const dir = join(root, name, 'bin');
      if (Number.isInteger(version) && hasServerBinaries(dir)) candidates.push({ dir, version });
    }
  }
  candidates.sort((a, b) => b.version - a.version);
  if (candidates[0] !== undefined) return candidates[0];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || !hasServerBinaries(dir)) continue;
    // Follow a symlinked initdb to its real directory, where pg_ctl and postgres sit beside it.
    const real = dirname(realpathSync(join(dir, 'initdb')));
    return hasServerBinaries(real)
      ? { dir: real, version: versionOf(real) }
      : { dir, version: versionOf(dir) };
  }
  return undefined;
}

function hasServerBinaries(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
}

/** The major version from a `.../postgresql/<major>/bin` path; 0 when the path does not say. */
function versionOf(dir: string): number {
  const match = /postgresql\/(\d+)\//.exec(`${dir}/`);
  return match === null ? 0 : Number(match[1]);
}

/** Starts a throwaway server, or returns undefined when PostgreSQL is not installed. */
export async function startPostgres(): Promise<PostgresServer | undefined> {
  const bin = findPostgresBinaries();
  if (bin === undefined) return undefined;
  const runAs = await serverUser();
  // The server user must reach the directory: under root, /tmp rather than a private TMPDIR.
  const base = runAs !== undefined && existsSync('/tmp') ? '/tmp' : tmpdir();
  const root = mkdtempSync(join(base, 'ordo-pg-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    if (runAs !== undefined) chownSync(root, runAs.uid, runAs.gid);
    const data = join(root, 'data');
    const sockets = root;
    const run = commandRunner(runAs, root);
    await run(join(bin.dir, 'initdb'), [
      '-D',
      data,
      '-U',
      DATABASE_USER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await startOnFreePort(run, bin, data, sockets, join(root, 'server.log'));
    const watchdog = startWatchdog(bin, data, root, runAs);
    let stopped = false;
    return {
      url: `postgres://${DATABASE_USER}@127.0.0.1:${port}/postgres`,
      port,
      version: bin.version,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await run(join(bin.dir, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
        } finally {
          watchdog.kill('SIGKILL');
          cleanup();
        }
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function startOnFreePort(
  run: Runner,
  bin: PostgresBinaries,
  data: string,
  sockets: string,
  logFile: string,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS_MAX; attempt++) {
    const port = await freePort();
    const options = [`-p ${port}`, `-k ${sockets}`, ...SERVER_SETTINGS.map((s) => `-c ${s}`)].join(' ');
    try {
      await run(join(bin.dir, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
        '-o',
        options,
        'start',
      ]);
      return port;
    } catch (e) {
      // Another process may have taken the port between probing and binding: try a new one.
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      lastError = new Error(`${(e as Error).message}\nserver log:\n${log.slice(-4000)}`);
    }
  }
  throw lastError;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Undefined when this process is not root and can run the server itself. */
async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let ids = await userIds(SERVER_USER);
  if (ids === undefined) {
    await exec('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER]);
    ids = await userIds(SERVER_USER);
  }
  if (ids === undefined) throw new Error(`could not find or create the user '${SERVER_USER}'`);
  return { name: SERVER_USER, ...ids };
}

async function userIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await exec('id', ['-u', name])).trim());
    const gid = Number((await exec('id', ['-g', name])).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

type Runner = (file: string, args: readonly string[]) => Promise<string>;

/** Runs server commands as `runAs` (via runuser) in `cwd`, a directory that user can enter. */
function commandRunner(runAs: ServerUser | undefined, cwd: string): Runner {
  return (file, args) =>
    runAs === undefined
      ? exec(file, args, cwd)
      : exec('runuser', ['-u', runAs.name, '--', file, ...args], cwd);
}

function exec(file: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { cwd, timeout: SERVER_COMMAND_TIMEOUT_MS, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      },
    );
  });
}

/**
 * A detached shell that waits for this process to end, then stops the server immediately and
 * removes its directory. stop() kills it first, so it only acts when this process died abruptly.
 */
function startWatchdog(bin: PostgresBinaries, data: string, root: string, runAs: ServerUser | undefined) {
  const pgCtl = `${shellQuote(join(bin.dir, 'pg_ctl'))} -D ${shellQuote(data)} -m immediate -w -t 30 stop`;
  const stop = runAs === undefined ? pgCtl : `runuser -u ${runAs.name} -- ${pgCtl}`;
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `cd / && ${stop} >/dev/null 2>&1`,
    `rm -rf ${shellQuote(root)}`,
  ].join('; ');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
