// The readable API reference at `/docs`: the OpenAPI document rendered on the server as one plain
// HTML page (no script, no CDN: the service runs offline), with each route's parameters, request
// schema and example.

import { openApiDocument } from './openapi.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function docsPage(version: string): string {
  const doc = openApiDocument(version) as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, unknown> };
  };
  const resolve = (schema: unknown): unknown => {
    const ref = (schema as { $ref?: string }).$ref;
    return ref === undefined ? schema : doc.components.schemas[ref.split('/').at(-1) ?? ''];
  };
  const sections: string[] = [];
  const index: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-');
      const secured = !Array.isArray(op.security);
      index.push(
        `<li><a href="#${id}"><code>${method.toUpperCase()} ${esc(path)}</code></a> — ${esc(String(op.summary))}</li>`,
      );
      const params =
        (op.parameters as { name: string; in: string; description?: string }[] | undefined) ?? [];
      const body = (
        op.requestBody as { content: Record<string, { schema: unknown; example?: unknown }> } | undefined
      )?.content['application/json'];
      const responses = op.responses as Record<string, { description: string }>;
      sections.push(
        [
          `<section id="${id}"><h2><code>${method.toUpperCase()} ${esc(path)}</code></h2>`,
          `<p>${esc(String(op.summary))}${secured ? '' : ' <em>(no token needed)</em>'}</p>`,
          params.length === 0
            ? ''
            : `<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>meaning</th></tr>${params
                .map(
                  (p) =>
                    `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${esc(p.description ?? '')}</td></tr>`,
                )
                .join('')}</table>`,
          body === undefined
            ? ''
            : `${body.example === undefined ? '' : `<h3>Example body</h3><pre>${esc(JSON.stringify(body.example, null, 2))}</pre>`}<details><summary>Request schema</summary><pre>${esc(JSON.stringify(resolve(body.schema), null, 2))}</pre></details>`,
          `<h3>Responses</h3><ul>${Object.entries(responses)
            .map(([code, r]) => `<li><code>${code}</code> ${esc(r.description)}</li>`)
            .join('')}</ul></section>`,
        ].join('\n'),
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f5f7;padding:.75rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #d0d4da;padding:.25rem .5rem;text-align:left}
section{border-top:1px solid #d0d4da;margin-top:1.5rem}h2{font-size:1.1rem}h3{font-size:.95rem}
</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code> on every route but the public ones. The token is in
<code>data/api-token</code>. Errors are <code>{ "error": { "code", "message", "issues": [{ "field", "rule", "message" }] } }</code>.
The machine-readable document is <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Routes</h2><ul>${index.join('\n')}</ul>
${sections.join('\n')}
</body></html>`;
}
