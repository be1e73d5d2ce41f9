// The toolkit every `ordo` command is built with: the command shape the registry in cli.ts holds,
// flag parsing over node:util parseArgs with errors that name the flag, documented exit codes,
// `--json` and `--help` on every command, and plain-text tables. Commands write through a CliIo
// rather than `process` so tests can run them in-process as well as as a child process.

import { parseArgs } from 'node:util';

/**
 * Exit codes, documented in `ordo --help`. Scripts branch on these, so they never change meaning.
 * 0 ok; 1 the command ran and failed or was refused; 2 the command line was not understood;
 * 3 something it needs (a file, a server, a feed) could not be reached or read; 4 a check found
 * a problem (e.g. `journal verify` found a broken journal); 130 interrupted before finishing.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unavailable: 3,
  integrity: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    the command ran and failed, or the order was refused
  2    usage: the command line was not understood (the message names the flag)
  3    unavailable: a file, server or feed could not be reached or read
  4    integrity: a check found a problem (journal verify)
  130  interrupted before finishing
`;

/** Where a command writes. `isTTY` on stderr decides progress bars; `signal` aborts on Ctrl-C. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands (serve, paper, sandbox) stop cleanly on it. */
  readonly signal: AbortSignal;
}

/** One `ordo` command. `run` gets the arguments after the command name and answers an exit code. */
export interface Command {
  readonly name: string;
  /** One line for the command list in `ordo --help`. */
  readonly summary: string;
  /** The usage lines, flags and notes shown by `ordo NAME --help` (without the examples). */
  readonly usage: string;
  readonly examples: readonly string[];
  run(args: readonly string[], io: CliIo): Promise<number> | number;
}

/** The full `--help` text of a command. */
export function commandHelp(command: Command): string {
  const examples = command.examples.map((e) => `  ${e}`).join('\n');
  return `ordo ${command.name} — ${command.summary}\n\n${command.usage.trimEnd()}\n\nExamples:\n${examples}\n\n${EXIT_CODES_HELP}`;
}

/** A flag a command accepts. Every command also accepts --json and --help. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? S['multiple'] extends true
    ? boolean[] | undefined
    : boolean | undefined
  : S['multiple'] extends true
    ? string[] | undefined
    : string | undefined;

export type Flags<S extends FlagSpecs> = { -readonly [K in keyof S]: FlagValue<S[K]> } & {
  json: boolean;
  help: boolean;
};

export interface Parsed<S extends FlagSpecs> {
  readonly flags: Flags<S>;
  readonly positionals: readonly string[];
}

export type ParseResult<S extends FlagSpecs> =
  | { readonly ok: true; readonly value: Parsed<S> }
  | { readonly ok: false; readonly message: string };

/**
 * Parses `args` strictly: an unknown flag, a missing value or a stray positional is an error whose
 * message names the flag (node's own messages do, but are long; these are rewritten to one line).
 */
export function parseFlags<S extends FlagSpecs>(
  specs: S,
  args: readonly string[],
  positionals: { readonly min: number; readonly max: number } = { min: 0, max: 0 },
): ParseResult<S> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(specs)) options[name] = { ...spec };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    return { ok: false, message: flagError(e, Object.keys(options)) };
  }
  const values = parsed.values as Record<string, unknown>;
  const flags = { ...values, json: values.json === true, help: values.help === true } as Flags<S>;
  if (!flags.help) {
    if (parsed.positionals.length < positionals.min) {
      return { ok: false, message: 'missing an argument (see --help)' };
    }
    if (parsed.positionals.length > positionals.max) {
      return { ok: false, message: `unexpected argument '${parsed.positionals[positionals.max]}'` };
    }
  }
  return { ok: true, value: { flags, positionals: parsed.positionals } };
}

function flagError(e: unknown, known: readonly string[]): string {
  const text = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(text)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag}; this command takes ${known.map((k) => `--${k}`).join(', ')}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(text)
        ? `flag ${flag} needs a value`
        : `flag ${flag} does not take a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return text;
    default:
      return text.split('\n')[0] ?? text;
  }
}

/**
 * Wraps a command body with the shared behaviour: strict flag parsing, `--help` with examples,
 * usage errors on stderr with exit code 2. `run` sees the parsed flags and answers an exit code, or a
 * `UsageProblem` (a value that parsed but makes no sense) to report as a usage error.
 */
export function defineCommand<S extends FlagSpecs>(def: {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly examples: readonly string[];
  readonly flags: S;
  readonly positionals?: { readonly min: number; readonly max: number };
  run(parsed: Parsed<S>, io: CliIo): Promise<number | UsageProblem> | number | UsageProblem;
}): Command {
  const command: Command = {
    name: def.name,
    summary: def.summary,
    usage: def.usage,
    examples: def.examples,
    async run(args, io) {
      const parsed = parseFlags(def.flags, args, def.positionals);
      if (!parsed.ok) return usageError(io, def.name, parsed.message);
      if (parsed.value.flags.help) {
        io.stdout.write(commandHelp(command));
        return EXIT.ok;
      }
      const result = await def.run(parsed.value, io);
      return typeof result === 'number' ? result : usageError(io, def.name, result.usage);
    },
  };
  return command;
}

/** A command line that parsed but does not make sense (a bad value, a missing flag). */
export interface UsageProblem {
  readonly usage: string;
}
export const usage = (message: string): UsageProblem => ({ usage: message });

/** Prints a usage error naming the command and how to get help; answers exit code 2. */
export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr.write(`ordo ${command}: ${message}\nRun 'ordo ${command} --help' for usage and examples.\n`);
  return EXIT.usage;
}

/** Prints a failure (not a usage problem) and answers `code`. */
export function fail(io: CliIo, command: string, message: string, code: number = EXIT.failure): number {
  io.stderr.write(`ordo ${command}: ${message}\n`);
  return code;
}

/** A whole non-negative integer flag, or a usage problem naming the flag. */
export function intFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  range: { readonly min?: number; readonly max?: number } = {},
): { ok: true; value: number } | { ok: false; problem: UsageProblem } {
  if (value === undefined) return { ok: true, value: fallback };
  const n = Number(value);
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    return {
      ok: false,
      problem: usage(`--${name} ${value} is not a whole number from ${min} to ${max}`),
    };
  }
  return { ok: true, value: n };
}

/** One of a fixed set of words, or a usage problem naming the flag and the choices. */
export function choiceFlag<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): { ok: true; value: T } | { ok: false; problem: UsageProblem } {
  if (value === undefined) return { ok: true, value: fallback };
  if ((choices as readonly string[]).includes(value)) return { ok: true, value: value as T };
  return { ok: false, problem: usage(`--${name} ${value} is not one of ${choices.join(', ')}`) };
}

/** Writes `data` as one JSON document (bigints as decimal strings) followed by a newline. */
export function writeJson(io: CliIo, data: unknown): void {
  io.stdout.write(`${JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
}

/** A plain-text table: a header, a rule and padded columns (no colours, so it pipes cleanly). */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const w = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`;
}

/** `key: value` lines with the keys aligned, for summaries. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return `${pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`).join('\n')}\n`;
}

/**
 * A progress bar on stderr, drawn only when stderr is a terminal (pipes and CI logs stay clean).
 * Redraws at most once per percent so a long replay is not slowed by terminal writes.
 */
export function progressBar(
  io: CliIo,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  if (io.stderr.isTTY !== true) return { update() {}, end() {} };
  let last = -1;
  return {
    update(done, total) {
      const pct = total <= 0 ? 100 : Math.min(100, Math.floor((done * 100) / total));
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct * width) / 100);
      io.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`,
      );
    },
    end() {
      if (last >= 0) io.stderr.write('\n');
    },
  };
}

/** Resolves when `signal` aborts (Ctrl-C): what long-running commands await. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration like `500ms`, `5s`, `1m`, `4h`, `1d`, or a usage problem naming the flag. */
export function durationFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  minMs = 1,
): { ok: true; value: number } | { ok: false; problem: UsageProblem } {
  if (value === undefined) return { ok: true, value: fallback };
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  const ms = m === null ? Number.NaN : Number(m[1]) * (DURATION_UNITS_MS[m[2] as string] ?? Number.NaN);
  if (!Number.isSafeInteger(ms) || ms < minMs)
    return {
      ok: false,
      problem: usage(`--${name} ${value} is not a duration of at least ${minMs} ms (e.g. 5s, 1m, 1h)`),
    };
  return { ok: true, value: ms };
}

/** `--param key=value` flags as a record, or a usage problem naming the bad one. */
export function paramsFlag(
  values: readonly string[] | undefined,
): { ok: true; value: Record<string, string> } | { ok: false; problem: UsageProblem } {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) return { ok: false, problem: usage(`--param ${v} is not key=value`) };
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return { ok: true, value: out };
}
