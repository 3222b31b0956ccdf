/** A readable, self-contained API reference rendered from the OpenAPI document (no CDN scripts). */
export function docsPage(doc: any): string {
  const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? [])
        .map((p: any) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${esc(p.schema?.type ?? '')}${p.required ? ' (required)' : ''}</td><td>${esc(p.description ?? p.schema?.description ?? '')}</td></tr>`)
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const html = `<section class="op" id="${esc(method + path)}">
        <h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
        <p>${esc(op.summary)}</p><p class="access">${esc((op.description ?? '').split('\n\n').pop())}</p>
        ${params ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>${params}</table>` : ''}
        ${body ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(resolve(doc, body), null, 2))}</pre></details>` : ''}
      </section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  const sections = [...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Shelfwise API reference</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d2433}
h2{border-bottom:2px solid #e3e7ef;padding-bottom:.3rem;margin-top:2.5rem;text-transform:capitalize}
.op{border:1px solid #e3e7ef;border-radius:8px;padding:.5rem 1rem;margin:.8rem 0}
.op h3{margin:.3rem 0;font-size:1rem}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#1a7f37}.post{color:#0969da}.put,.patch{color:#9a6700}.delete{color:#cf222e}
.access{color:#57606a;font-size:.9rem}table{border-collapse:collapse;font-size:.9rem}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #eee}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.85rem}</style></head><body>
<h1>Shelfwise API</h1><p>${esc(doc.info?.description)} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.
Authenticate with <code>POST /api/auth/login</code> (cookie) or <code>Authorization: Bearer &lt;token&gt;</code>.
Writes accept an <code>Idempotency-Key</code> header.</p><nav>${nav}</nav>${sections}</body></html>`;
}

function resolve(doc: any, schema: any, depth = 0): any {
  if (depth > 6 || !schema || typeof schema !== 'object') return schema;
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()], depth + 1);
  if (Array.isArray(schema)) return schema.map((s) => resolve(doc, s, depth + 1));
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(doc, v, depth + 1)]));
}
