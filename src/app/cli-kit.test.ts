// The CLI toolkit: strict flag parsing whose errors name the flag, value helpers, tables, and a
// progress bar that draws only on a terminal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CliIo, durationFlag, paramsFlag, parseFlags, progressBar, table } from './cli-kit.ts';

const io = (isTTY: boolean) => {
  const written: string[] = [];
  const sink: CliIo = {
    stdout: { write: (t: string) => written.push(t) },
    stderr: { write: (t: string) => written.push(t), isTTY },
    env: {},
    cwd: '/',
    signal: new AbortController().signal,
  };
  return { sink, written };
};

describe('cli-kit', () => {
  const specs = { port: { type: 'string' }, quiet: { type: 'boolean' } } as const;

  it('parses flags, --json and --help, and positionals within bounds', () => {
    const r = parseFlags(specs, ['--port', '80', '--json', 'x'], { min: 1, max: 1 });
    assert.ok(r.ok);
    assert.deepEqual(
      [r.value.flags.port, r.value.flags.json, r.value.flags.help, r.value.positionals],
      ['80', true, false, ['x']],
    );
  });

  it('names the flag in each error', () => {
    const msg = (args: string[], pos = { min: 0, max: 0 }) => {
      const r = parseFlags(specs, args, pos);
      return r.ok ? '' : r.message;
    };
    assert.match(
      msg(['--prot', '1']),
      /^unknown flag --prot; this command takes --json, --help, --port, --quiet$/,
    );
    assert.match(msg(['--port']), /^flag --port needs a value$/);
    assert.match(msg(['--quiet=yes']), /^flag --quiet does not take a value$/);
    assert.match(msg(['a']), /^unexpected argument 'a'$/);
    assert.match(msg([], { min: 1, max: 1 }), /missing an argument/);
    assert.ok(parseFlags(specs, ['--help'], { min: 1, max: 1 }).ok, '--help needs no argument');
  });

  it('reads durations and key=value parameters', () => {
    assert.deepEqual(durationFlag('bar', '5s', 1), { ok: true, value: 5000 });
    assert.deepEqual(durationFlag('bar', '2h', 1), { ok: true, value: 7_200_000 });
    assert.deepEqual(durationFlag('bar', undefined, 60_000), { ok: true, value: 60_000 });
    const bad = durationFlag('bar', '500ms', 1, 1000);
    assert.ok(!bad.ok && /--bar 500ms is not a duration of at least 1000 ms/.test(bad.problem.usage));
    assert.deepEqual(paramsFlag(['a=1', 'b=x=y']), { ok: true, value: { a: '1', b: 'x=y' } });
    const badParam = paramsFlag(['=1']);
    assert.ok(!badParam.ok && /--param =1 is not key=value/.test(badParam.problem.usage));
  });

  it('pads table columns, numbers to the right', () => {
    assert.equal(
      table(
        [{ header: 'name' }, { header: 'qty', align: 'right' }],
        [
          ['btc', '1.5'],
          ['ethereum', '10'],
        ],
      ),
      'name      qty\n--------  ---\nbtc       1.5\nethereum   10\n',
    );
  });

  it('draws a progress bar only on a terminal, once per percent', () => {
    const tty = io(true);
    const bar = progressBar(tty.sink, 'run');
    for (let i = 0; i <= 1000; i++) bar.update(i, 1000);
    bar.end();
    assert.equal(tty.written.length, 102, '101 redraws (0..100 %) and the final newline');
    assert.match(tty.written[100] ?? '', /^\rrun \[#{30}\] 100%$/);
    const pipe = io(false);
    const quiet = progressBar(pipe.sink, 'run');
    quiet.update(5, 10);
    quiet.end();
    assert.deepEqual(pipe.written, []);
  });
});
