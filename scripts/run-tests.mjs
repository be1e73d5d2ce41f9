// Runs every *.test.ts under src/ and test/ with Node's own test runner and the tsx loader.
// Node 20's runner has no glob support, so the file list is gathered here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = ['src', 'test'].flatMap((d) => collect(d, [])).sort();
if (filter.length > 0) files = files.filter((f) => filter.some((x) => f.includes(x)));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
