// `ordo serve`: Ordo as a service — the HTTP/WebSocket API over the engine, the paper venue on a
// real-time market feed, and the SQLite journal under the data directory. Runs until interrupted,
// then shuts down gracefully. `npm start` runs it on the embedded defaults.

import { defineCommand, EXIT, fail, intFlag, untilAborted, usage } from '../cli-kit.ts';
import { loadConfig } from '../config.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run Ordo as a service: the HTTP/WebSocket API, paper venue, market feed and journal',
  usage: `Usage:
  ordo serve [--config FILE] [--port N] [--host ADDR] [--data-dir DIR] [--log-level LEVEL]

Starts the API on 127.0.0.1:7878 (by default) with the paper venue on the synthetic market and the
SQLite journal under ./data. On first start it generates an API token, stores it in DATA_DIR/api-token
(mode 0600) and prints it once. On a data directory with a journal it resumes where it stopped.
Runs until Ctrl-C (SIGINT) or SIGTERM, then drains requests and closes the journal.

Configuration, later wins: embedded defaults, the JSON file (--config, or ORDO_CONFIG), ORDO_*
environment variables (ORDO_PORT, ORDO_HOST, ORDO_DATA_DIR, ORDO_LOG_LEVEL, ORDO_FEED_TICK_MS, ...,
see docs/api.md), then these flags. ORDO_API_TOKEN sets the token instead of the file.

Flags:
  --config FILE      a JSON config file (see ordo.config.example.json)
  --port N           port to listen on (0: any free port)
  --host ADDR        address to bind (default 127.0.0.1; anything else exposes the API)
  --data-dir DIR     where the journal, the token and idempotency keys live (default ./data)
  --log-level LEVEL  fatal, error, warn, info (default), debug, trace or silent
  --json             print the start-up line as JSON ({ url, tokenFile, token? })`,
  examples: [
    'ordo serve',
    'ordo serve --port 8080 --data-dir /var/lib/ordo',
    'ORDO_CONFIG=ordo.config.json ordo serve',
  ],
  flags: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'log-level': { type: 'string' },
  },
  async run({ flags }, io) {
    const port = flags.port === undefined ? undefined : intFlag('port', flags.port, 0, { max: 65535 });
    if (port !== undefined && !port.ok) return port.problem;
    const config = loadConfig({
      file: flags.config,
      env: io.env,
      cwd: io.cwd,
      overrides: {
        port: port?.value,
        host: flags.host,
        dataDir: flags['data-dir'],
        logLevel: flags['log-level'],
      },
    });
    if (!config.ok)
      return usage(`configuration: ${config.error.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    // Loaded here, so the other commands start without the HTTP server's modules.
    const { serve } = await import('../serve.ts');
    let server: Awaited<ReturnType<typeof serve>>;
    try {
      server = await serve({
        config: config.value,
        env: io.env,
        pretty: io.stderr.isTTY === true,
        logDestination: io.stderr as NodeJS.WritableStream,
      });
    } catch (e) {
      return fail(io, 'serve', `could not start: ${(e as Error).message}`, EXIT.unavailable);
    }
    const { url, token } = server;
    if (flags.json)
      io.stdout.write(
        `${JSON.stringify({ url, tokenFile: token.path, ...(token.source === 'generated' ? { token: token.token } : {}) })}\n`,
      );
    else {
      io.stdout.write(`Ordo is listening on ${url}\n`);
      io.stdout.write(`  API reference  ${url}/docs\n`);
      if (token.source === 'generated')
        io.stdout.write(
          `  API token      ${token.token}\n                 (shown once; kept in ${token.path}, mode 0600)\n`,
        );
      else if (token.source === 'file') io.stdout.write(`  API token      in ${token.path}\n`);
      else io.stdout.write('  API token      from ORDO_API_TOKEN\n');
      const bearer = token.source === 'env' ? '$ORDO_API_TOKEN' : `$(cat ${token.path})`;
      io.stdout.write(`  try            curl -H "Authorization: Bearer ${bearer}" ${url}/v1/account\n`);
    }
    await untilAborted(io.signal);
    await server.close();
    return EXIT.ok;
  },
});
