// `ordo demo`: the paper session on a synthetic market that exercises every order type.

import { defineCommand, EXIT, intFlag, writeJson } from '../cli-kit.ts';
import { DEMO_DEFAULTS, runDemo } from '../demo-session.ts';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'run a paper session on a synthetic market with every order type',
  usage: `Usage:
  ordo demo [--seed N] [--steps N] [--json]

Flags:
  --seed N    the synthetic market's seed (default ${DEMO_DEFAULTS.seed}); the same seed gives the same session
  --steps N   market steps to run (default ${DEMO_DEFAULTS.steps})
  --json      the result as JSON (report, events, fills)`,
  examples: ['ordo demo', 'ordo demo --seed 3 --steps 10000', 'ordo demo --json'],
  flags: { seed: { type: 'string' }, steps: { type: 'string' } },
  run({ flags }, io) {
    const seed = intFlag('seed', flags.seed, DEMO_DEFAULTS.seed);
    if (!seed.ok) return seed.problem;
    const steps = intFlag('steps', flags.steps, DEMO_DEFAULTS.steps);
    if (!steps.ok) return steps.problem;
    const result = runDemo({ ...DEMO_DEFAULTS, seed: seed.value, steps: steps.value });
    if (flags.json) writeJson(io, result);
    else io.stdout.write(`${result.report}\n`);
    return EXIT.ok;
  },
});
