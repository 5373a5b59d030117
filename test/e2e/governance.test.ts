import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test('data-source labels flow to the segments built on them; every change is in the audit log', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const crm = await h.call('POST', '/v1/sources', apiKey, {
    code: 'crm',
    name: 'CRM feed',
    party: 'second',
    labels: ['no-offsite-targeting'],
  });
  assert.equal(crm.status, 201, JSON.stringify(crm.body));
  const badLabel = await h.call('POST', '/v1/sources', apiKey, {
    code: 'x',
    name: 'X',
    party: 'third',
    labels: ['nope'],
  });
  assert.equal(badLabel.status, 422);
  assert.match((badLabel.body as { detail: string }).detail, /no-modeling/);

  await h.call('POST', '/v1/traits', apiKey, {
    code: 'vip',
    name: 'VIP',
    rule: 'signals.tier == "vip"',
    source: 'crm',
  });
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing',
    name: 'P',
    rule: 'url.path startsWith "/pricing"',
  });
  await h.call('POST', '/v1/segments', apiKey, { code: 'vips', name: 'V', rule: 'trait:vip' });
  await h.call('POST', '/v1/segments', apiKey, {
    code: 'pricing_vips',
    name: 'PV',
    rule: 'trait:pricing and segment:vips',
  });
  const segment = (await h.call('GET', '/v1/segments/pricing_vips', apiKey)).body as Record<string, string[]>;
  assert.deepEqual(segment.traits, ['pricing', 'vip']);
  assert.deepEqual(segment.sources, ['crm', 'first-party']);
  assert.deepEqual(segment.labels, ['no-offsite-targeting']);

  await h.call('PATCH', '/v1/sources/crm', apiKey, { labels: ['no-modeling', 'no-offsite-targeting'] });
  const after = (await h.call('GET', '/v1/segments', apiKey)).body as {
    segments: { code: string; labels: string[] }[];
  };
  assert.deepEqual(after.segments.find((s) => s.code === 'pricing_vips')?.labels, [
    'no-modeling',
    'no-offsite-targeting',
  ]);
  assert.equal((await h.call('DELETE', '/v1/sources/crm', apiKey)).status, 409, 'a source in use stays');

  await h.call('PATCH', '/v1/segments/vips', apiKey, { name: 'Very important' });
  const audit = (await h.call('GET', '/v1/audit?limit=100', apiKey)).body as {
    entries: {
      id: number;
      actor: string;
      action: string;
      target: string;
      before?: { name: string };
      after?: { name: string };
    }[];
  };
  assert.deepEqual(
    audit.entries.map((e) => e.action),
    [
      'source.create',
      'trait.create',
      'trait.create',
      'segment.create',
      'segment.create',
      'source.update',
      'segment.update',
    ],
  );
  const update = audit.entries.at(-1)!;
  assert.equal(update.target, 'segment:vips');
  assert.equal(update.before?.name, 'V');
  assert.equal(update.after?.name, 'Very important');
  assert.match(update.actor, /^key:[0-9a-f]{16}$/);
  const page = (await h.call('GET', `/v1/audit?after=${audit.entries[4]!.id}`, apiKey)).body as {
    entries: unknown[];
  };
  assert.equal(page.entries.length, 2);
  assert.equal((await h.call('DELETE', '/v1/audit', apiKey)).status, 404, 'no route edits the audit log');
});

test('the collector answers only the site key’s own origins (CORS)', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { tenant } = await h.app.catalog.createTenant('acme');
  const site = await h.app.catalog.createSiteKey(tenant, ['https://shop.example.com']);
  const send = (origin: string) =>
    fetch(`${h.base}/v1/events?site=${site}`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ uid: 'c-1' }),
    });
  const own = await send('https://shop.example.com');
  assert.equal(own.status, 202);
  assert.equal(own.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  const other = await send('https://evil.example');
  assert.equal(other.status, 403);
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${h.base}/v1/events?site=${site}`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://shop.example.com');
});

test('collection never reflects an origin with credentials for a key open to any origin, nor `null`', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { tenant, siteKey: open } = await h.app.catalog.createTenant('acme'); // origins ['*']
  const own = await h.app.catalog.createSiteKey(tenant, ['https://shop.example.com']);
  const cors = async (path: string, origin: string, method = 'GET') => {
    const response = await fetch(`${h.base}${path}`, {
      method,
      headers: { origin, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify({ uid: 'c-1' }) } : {}),
    });
    await response.arrayBuffer();
    return {
      status: response.status,
      origin: response.headers.get('access-control-allow-origin'),
      credentials: response.headers.get('access-control-allow-credentials'),
    };
  };
  for (const origin of ['https://evil.example', 'null']) {
    for (const [path, method] of [
      [`/px?site=${open}&uid=c-1`, 'GET'],
      [`/v1/events?site=${open}`, 'POST'],
    ] as const) {
      assert.deepEqual(
        await cors(path, origin, method),
        { status: method === 'GET' ? 200 : 202, origin: '*', credentials: null },
        `${method} ${path.split('?')[0] ?? ''} from ${origin}`,
      );
    }
  }
  assert.equal((await cors(`/px?site=${own}&uid=c-1`, 'null')).status, 403, '`null` is no site of a key');
  assert.deepEqual(await cors(`/px?site=${own}&uid=c-1`, 'https://shop.example.com'), {
    status: 200,
    origin: 'https://shop.example.com',
    credentials: 'true',
  });
});

test('rate limits per API key and per client IP answer 429 with Retry-After', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-limits-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = loadConfig(
    { dataDir: dir, logLevel: 'silent', rateLimits: { apiPerKey: 3, collectPerIp: 2 } },
    {},
  );
  const app = await createApp(config, manualClock(NOW));
  t.after(() => app.close());
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const a = await app.catalog.createTenant('a');
  const b = await app.catalog.createTenant('b');
  const get = (key: string) => fetch(`${base}/v1/traits`, { headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 3; i++) assert.equal((await get(a.apiKey)).status, 200);
  const limited = await get(a.apiKey);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal(((await limited.json()) as { code: string }).code, 'rate_limited');
  assert.equal((await get(b.apiKey)).status, 200, 'another key has its own budget');
  const px = () => fetch(`${base}/px?site=${a.siteKey}&uid=u`);
  assert.equal((await px()).status, 200);
  assert.equal((await px()).status, 200);
  assert.equal((await px()).status, 429);
});
