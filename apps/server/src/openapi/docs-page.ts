import { randomBytes } from 'node:crypto';

/**
 * A reference page for the OpenAPI document that needs nothing but the api itself: no CDN (a
 * server without internet access, a strict proxy), one inline script and style allowed by a nonce.
 * It lists every operation with its method, path, summary, parameters, request body and
 * responses, and the schemas they name. Any OpenAPI tool (Scalar, Swagger UI, Redoc) can read
 * /openapi.json for more.
 */
export function docsPage(documentUrl: string): { html: string; contentSecurityPolicy: string } {
  const nonce = randomBytes(16).toString('base64');
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Strata API reference</title>
<style nonce="${nonce}">
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1d2330; }
  h1 { margin-bottom: 0; } .intro { color: #4b5565; }
  details { border: 1px solid #d5dae3; border-radius: 6px; margin: .5rem 0; padding: .25rem .75rem; }
  summary { cursor: pointer; } code, pre { font: 13px ui-monospace, monospace; }
  pre { background: #f5f7fa; padding: .5rem; overflow: auto; border-radius: 4px; }
  .method { display: inline-block; min-width: 4rem; font-weight: 600; text-transform: uppercase; }
  .get { color: #0b6bcb; } .post { color: #1a7f37; } .lock { color: #9a6700; font-size: 12px; }
</style>
</head>
<body>
<h1 id="title">Strata API</h1>
<p class="intro" id="intro">Loading <a href="${documentUrl}">${documentUrl}</a>…</p>
<main id="operations"></main>
<script nonce="${nonce}">
(async () => {
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  };
  const json = (value) => el('pre', {}, JSON.stringify(value, null, 2));
  const doc = await (await fetch(${JSON.stringify(documentUrl)})).json();
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  const intro = document.getElementById('intro');
  intro.textContent = (doc.info.description || '') + ' Base URL: ' + (doc.servers?.[0]?.url ?? '/') + '. Document: ';
  intro.append(el('a', { href: ${JSON.stringify(documentUrl)} }, ${JSON.stringify(documentUrl)}));
  const main = document.getElementById('operations');
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const head = el('summary', {}, el('span', { class: 'method ' + method }, method), ' ', el('code', {}, path),
        ' — ', op.summary || op.operationId || '', op.security?.length ? el('span', { class: 'lock' }, '  (bearer token)') : '');
      const body = el('details', { id: op.operationId || path }, head);
      if (op.description) body.append(el('p', {}, op.description));
      if (op.parameters?.length) body.append(el('h4', {}, 'Parameters'), json(op.parameters));
      if (op.requestBody) body.append(el('h4', {}, 'Request body'), json(op.requestBody.content));
      body.append(el('h4', {}, 'Responses'), json(op.responses));
      main.append(body);
    }
  }
  if (doc.components?.schemas) {
    const schemas = el('details', { id: 'schemas' }, el('summary', {}, 'Schemas'));
    schemas.append(json(doc.components.schemas));
    main.append(schemas);
  }
})().catch((error) => { document.getElementById('intro').textContent = 'Could not load the document: ' + error; });
</script>
</body>
</html>
`;
  return { html, contentSecurityPolicy };
}
