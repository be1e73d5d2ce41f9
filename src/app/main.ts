// `npm start`: runs `ordo serve` on the embedded defaults — the paper venue on a synthetic market,
// the SQLite journal under ./data, the API on 127.0.0.1:7878 — and prints the URL and, on the first
// start, the API token. Extra arguments go to `ordo serve` (`npm start -- --port 8080`). The paper
// session that `npm start` used to run is `ordo demo`.

import { main } from './cli.ts';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
