import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Script } from 'node:vm';
import { gunzipSync, gzipSync } from 'node:zlib';
import { manualClock } from '../../src/core/clock.ts';
import { TAG_MAX_GZIP_BYTES } from '../../src/api/tag-bundle.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/**
 * `GET /tag.js` as browsers and CDNs get it: JavaScript with caching headers, a 304 for an unchanged
 * ETag, gzip when accepted, and (the CI check of issue 16) at most 6 KB gzipped.
 */
test('GET /tag.js serves the tag, cached by ETag, gzipped, within 6 KB gzipped', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());

  const plain = await fetch(`${h.base}/tag.js`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get('content-type'), 'application/javascript; charset=utf-8');
  assert.equal(plain.headers.get('cache-control'), 'public, max-age=3600');
  assert.equal(plain.headers.get('content-encoding'), null);
  const etag = plain.headers.get('etag');
  assert.match(etag ?? '', /^"[\w-]{27}"$/);
  const body = Buffer.from(await plain.arrayBuffer());
  assert.doesNotThrow(() => new Script(body.toString('utf8')), 'the tag is one valid script');
  assert.match(body.toString('utf8'), /opendmp/);

  const gzipped = gzipSync(body).length;
  assert.ok(
    gzipped <= TAG_MAX_GZIP_BYTES,
    `the tag is ${gzipped} bytes gzipped, over the ${TAG_MAX_GZIP_BYTES} of issue 16: make it smaller`,
  );

  // node's fetch decompresses by itself: ask through the raw bytes' length instead
  const served = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
    const url = new URL(`${h.base}/tag.js?site=anything`);
    request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
  assert.equal(served.encoding, 'gzip');
  assert.ok(served.bytes.length <= TAG_MAX_GZIP_BYTES, `served gzipped: ${served.bytes.length} bytes`);
  assert.deepEqual(gunzipSync(served.bytes), body, 'the same script, gzipped');

  const again = await fetch(`${h.base}/tag.js`, { headers: { 'if-none-match': etag ?? '' } });
  assert.equal(again.status, 304, 'unchanged: 304');
  assert.equal(again.headers.get('etag'), etag);
  const changed = await fetch(`${h.base}/tag.js`, { headers: { 'if-none-match': '"another"' } });
  assert.equal(changed.status, 200, 'another ETag: the script again');
});
