import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * What `dmp serve` answers for the console (docs/console.md, "Pages"): the page at `/` with its CSP, the
 * script and style sheet with ETags (304 when unchanged, gzip when accepted), and 404 for any other
 * `/console/...` path.
 */
test('the console: / with a strict CSP, /console/app.js and app.css with ETags and gzip, 404 elsewhere', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());

  const page = await fetch(`${h.base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const csp = page.headers.get('content-security-policy') ?? '';
  for (const part of [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
  ])
    assert.ok(csp.includes(part), part);
  const html = await page.text();
  assert.match(html, /<script defer src="\/console\/app\.js"><\/script>/);
  assert.doesNotMatch(html, /<script>|<style|style=/, 'nothing inline');

  for (const [path, type] of [
    ['/console/app.js', /^application\/javascript/],
    ['/console/app.css', /^text\/css/],
  ] as const) {
    const first = await fetch(`${h.base}${path}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(first.status, 200, path);
    assert.match(first.headers.get('content-type') ?? '', type);
    const body = Buffer.from(await first.arrayBuffer());
    assert.ok(body.length > 0);
    const etag = first.headers.get('etag') ?? '';
    assert.match(etag, /^"[\w-]{27}"$/);
    const again = await fetch(`${h.base}${path}`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304, path);
    const zipped = await h.app.server.inject({ url: path, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(zipped.rawPayload), body, `${path} gzipped is the same file`);
  }

  for (const path of ['/console/', '/console/nothing.js', '/console/app.js.map'])
    assert.equal((await fetch(`${h.base}${path}`)).status, 404, path);
});
