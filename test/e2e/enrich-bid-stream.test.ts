import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { manualClock } from '../../src/core/clock.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ENTRY = '{"id":"opendmp","name":"opendmp.local","segment":[{"id":"607"}],"ext":{"segtax":4}}';

/** The text of the object under `key` in a fixture, exactly as written there (spacing, `0.10`, ...). */
function objectText(text: string, key: string): string {
  const start = text.indexOf('{', text.indexOf(`"${key}"`));
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = text.indexOf('"', i + 1);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`no ${key}`);
}

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/prebid-server/${name}`, import.meta.url), 'utf8');

test('enrichment takes what Prebid Server takes, gzip included, and gives every digit back', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-enrich-'));
  const config = loadConfig({ dataDir: dir, logLevel: 'silent', port: 0, metricsToken: 'metrics-token' }, {});
  const app = await createApp(config, manualClock(NOW));
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });
  const { apiKey } = await app.catalog.createTenant('acme');
  const call = async (
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = body;
    const r = await fetch(`${base}${path}`, init);
    return { status: r.status, text: await r.text(), headers: r.headers };
  };
  const json = (value: unknown) => JSON.stringify(value);
  assert.equal(
    (
      await call(
        'POST',
        '/v1/traits',
        json({ code: 'pricing', name: 'P', rule: 'url.path startsWith "/pricing"' }),
      )
    ).status,
    201,
  );
  assert.equal(
    (await call('POST', '/v1/segments', json({ code: 'pricing_fans', name: 'PF', rule: 'trait:pricing' })))
      .status,
    201,
  );
  const ssp = {
    kind: 'openrtb',
    code: 'ssp',
    name: 'SSP',
    segments: [{ segment: 'pricing_fans', id: '607' }],
    segtax: 4,
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
    settings: {},
  };
  assert.equal((await call('POST', '/v1/destinations', json(ssp))).status, 201);
  const events = [{ uid: 'id-a', url: 'https://shop.example.com/pricing' }];
  assert.equal((await call('POST', '/v1/events', json(events))).status, 202);
  const enrich = (body: string | Buffer, headers?: Record<string, string>) =>
    call('POST', '/v1/openrtb/enrich?destination=ssp', body, headers);

  await t.test(
    'malformed eids entries are skipped and counted (Prebid Server: warnings), not a 400',
    async () => {
      const request = objectText(fixture('user-eids-empty-uids-removed.json'), 'mockBidRequest');
      const r = await enrich(request);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('x-dmp-outcome') ?? '', /^sent;/);
      // Prebid Server warns 4 times: 3 empty ids, and source-3 left with none
      assert.equal(r.headers.get('x-dmp-skipped'), 'eids=4; data=0');
      assert.equal(
        r.text,
        request.replace(/\n {6}\]\n {4}\}\n {2}\}$/, `\n      ],"data":[${ENTRY}]\n    }\n  }`),
      );

      const noSource = objectText(fixture('user-eids-source-empty.json'), 'mockBidRequest');
      const answer = await enrich(noSource);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.headers.get('x-dmp-skipped'), 'eids=1; data=0');
      assert.match(answer.headers.get('x-dmp-outcome') ?? '', /^not-found;/);
      assert.equal(answer.text, noSource);

      const data = JSON.stringify({
        id: 'r',
        imp: [{ id: '1' }],
        user: { id: 'id-a', data: [7, { id: 'x', segment: 'oops' }] },
      });
      const withData = await enrich(data);
      assert.equal(withData.status, 200, withData.text);
      assert.equal(withData.headers.get('x-dmp-skipped'), 'eids=0; data=2');
      assert.equal(withData.text, data.replace(']}}', `,${ENTRY}]}}`));

      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-token' } });
      const text = await metrics.text();
      assert.match(text, /dmp_enrich_skipped_entries_total\{field="eids"\} 5/);
      assert.match(text, /dmp_enrich_skipped_entries_total\{field="data"\} 2/);
    },
  );

  await t.test(
    'the request comes back digit for digit: 64-bit IDs, long decimals, 0.10 as written',
    async () => {
      const payload = objectText(fixture('all-ext.json'), 'requestPayload')
        .replace('"placementId": 12883451', '"placementId": 12883451123456789012')
        .replace('"tmax": 500', '"tmax": 500,\n    "bidfloor": 0.1234567890123456789');
      const unknownVisitor = await enrich(payload);
      assert.equal(unknownVisitor.status, 200, unknownVisitor.text);
      assert.equal(unknownVisitor.text, payload);
      const named = payload.replace('"user": {\n', '"user": {\n      "id": "id-a",\n');
      // without GDPR and its (placeholder) TC string, so that the visitor may receive its segments
      const withoutRegs = named
        .replace(/"regs": \{\n {6}"ext": \{\n[^}]*\}\n {4}\},\n {4}/, '')
        .replace('"consent": "gdpr-consent-string",\n        ', '');
      assert.ok(!withoutRegs.includes('"regs"'));
      const r = await enrich(withoutRegs);
      assert.match(r.headers.get('x-dmp-outcome') ?? '', /^sent;/);
      const expected = withoutRegs.replace(
        '"prebid": {\n          "buyeruids": {\n            "appnexus": "override-appnexus-id-in-cookie"\n          }\n        }\n      }',
        `"prebid": {\n          "buyeruids": {\n            "appnexus": "override-appnexus-id-in-cookie"\n          }\n        }\n      },"data":[${ENTRY}]`,
      );
      assert.notEqual(expected, withoutRegs);
      assert.equal(r.text, expected);
      assert.match(r.text, /"placementId": 12883451123456789012/);
      assert.match(r.text, /"increment": 0\.10\n/);
    },
  );

  await t.test('gzip and deflate bodies are taken; the limit applies to what they inflate to', async () => {
    const request = objectText(fixture('user-eids-empty-uids-removed.json'), 'mockBidRequest');
    const plain = await enrich(request);
    for (const [encoding, body] of [
      ['gzip', gzipSync(request)],
      ['deflate', deflateSync(request)],
    ] as const) {
      const r = await enrich(body, { 'content-encoding': encoding });
      assert.equal(r.status, 200, `${encoding}: ${r.text}`);
      assert.equal(r.text, plain.text);
    }
    const bomb = gzipSync(`{"id":"r","imp":[{}],"pad":"${'0'.repeat(20_000_000)}"}`);
    assert.ok(bomb.length < 100_000);
    const refused = await enrich(bomb, { 'content-encoding': 'gzip' });
    assert.equal(refused.status, 413, refused.text);
    assert.match(refused.text, /decompressed/);
    const broken = await enrich(gzipSync(request).subarray(0, 40), { 'content-encoding': 'gzip' });
    assert.equal(broken.status, 400, broken.text);
    const unknown = await enrich(request, { 'content-encoding': 'br' });
    assert.equal(unknown.status, 415, unknown.text);

    const ndjson = '{"uid":"gz-1","url":"https://shop.example.com/pricing"}\n{"uid":"gz-2"}\n';
    const events = await call('POST', '/v1/events', gzipSync(ndjson), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    assert.equal(events.status, 202, events.text);
    assert.equal((JSON.parse(events.text) as { accepted: number }).accepted, 2);
    const eventBomb = await call('POST', '/v1/events', bomb, { 'content-encoding': 'gzip' });
    assert.equal(eventBomb.status, 413, eventBomb.text);
  });
});
