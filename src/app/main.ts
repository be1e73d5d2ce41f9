// `npm start`: runs the main job on embedded defaults — a paper session on a synthetic market that
// exercises every order type — and prints its report. (The service issue replaces this with the
// server; the session stays available as `ordo demo`.)

import { runDemo } from './demo-session.ts';

const started = process.hrtime.bigint();
const result = runDemo();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(
  `${result.report}\n\n${result.events} events, ${result.fills} fills in ${ms.toFixed(0)} ms\n`,
);
