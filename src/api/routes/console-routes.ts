import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAsset, ConsoleBundle } from '../console-bundle.ts';

/**
 * The console page's Content-Security-Policy: scripts, styles and API calls from this origin only, no
 * inline script or style, no framing, no plug-ins, forms post only here.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The console's HTML shell: no inline script; the app renders into `#app`. */
const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>opendmp console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app.css">
<script defer src="/console/app.js"></script>
</head>
<body>
<div id="app"><noscript>The opendmp console needs JavaScript.</noscript></div>
</body>
</html>
`;

/**
 * `GET /` (the console's page), `GET /console/app.js` and `GET /console/app.css` (its script and style
 * sheet, built by esbuild on first request). Public: the page holds no data; every call it makes is an
 * authenticated API call. Pages are hash routes (`/#/segments/new`), so the server has one page to serve;
 * any other `/console/...` path is a 404.
 *
 * Example: `await app.register(consoleRoutes(lazyConsole()))`.
 */
export function consoleRoutes(bundle: () => Promise<ConsoleBundle>): FastifyPluginAsyncTypebox {
  return async (app) => {
    const schema = { tags: ['console'], security: [] };
    app.get(
      '/',
      { schema: { ...schema, summary: 'The web console (docs/console.md)' } },
      async (_request, reply) =>
        reply
          .header('Content-Type', 'text/html; charset=utf-8')
          .header('Content-Security-Policy', CONSOLE_CSP)
          .header('Cache-Control', 'no-cache')
          .header('X-Content-Type-Options', 'nosniff')
          .header('Referrer-Policy', 'same-origin')
          .send(SHELL),
    );
    app.get(
      '/console/app.js',
      { schema: { ...schema, summary: "The console's script" } },
      async (request, reply) =>
        send(request, reply, (await bundle()).js, 'application/javascript; charset=utf-8'),
    );
    app.get(
      '/console/app.css',
      { schema: { ...schema, summary: "The console's style sheet" } },
      async (request, reply) => send(request, reply, (await bundle()).css, 'text/css; charset=utf-8'),
    );
  };
}

/** Sends an asset with its ETag (`If-None-Match` gets a 304; `no-cache` makes browsers ask each time). */
function send(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset, type: string) {
  void reply
    .header('Content-Type', type)
    .header('Cache-Control', 'no-cache')
    .header('ETag', asset.etag)
    .header('Vary', 'Accept-Encoding')
    .header('X-Content-Type-Options', 'nosniff');
  const inm = request.headers['if-none-match'];
  if (
    inm !== undefined &&
    inm.split(',').some((t) => ['*', asset.etag].includes(t.trim().replace(/^W\//, '')))
  )
    return reply.code(304).send();
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
    return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
