import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

interface Settings {
  eidsSources: Record<string, string | null>;
  idLifetimeDays: Record<string, number>;
  idCaps: Record<string, number>;
  updatedAt: string | null;
  effective: {
    eidsSources: Record<string, string>;
    idLifetimeDays: { perType: Record<string, number>; otherwise: number };
    idCaps: { perType: Record<string, number>; otherwise: number };
  };
}

test('GET and PUT /v1/identity/settings: defaults, replace, problems naming each field, audit, per tenant', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const { apiKey: otherKey } = await h.app.catalog.createTenant('other');

  const initial = await h.call('GET', '/v1/identity/settings', apiKey);
  assert.equal(initial.status, 200);
  const defaults = initial.body as Settings;
  assert.deepEqual(
    [defaults.eidsSources, defaults.idLifetimeDays, defaults.idCaps, defaults.updatedAt],
    [{}, {}, {}, null],
  );
  assert.equal(defaults.effective.eidsSources['id5-sync.com'], 'id5');
  assert.equal(defaults.effective.idLifetimeDays.perType.uid, 400);
  assert.equal(defaults.effective.idCaps.otherwise, 3);

  const put = await h.call('PUT', '/v1/identity/settings', apiKey, {
    eidsSources: { 'ID5-Sync.com': 'id5_pub', 'criteo.com': null, 'example-id.com': 'pub_id' },
    idLifetimeDays: { maid: 60, pub_id: 30 },
    idCaps: { uid: 20 },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const saved = put.body as Settings;
  assert.deepEqual(saved.eidsSources, {
    'id5-sync.com': 'id5_pub',
    'criteo.com': null,
    'example-id.com': 'pub_id',
  });
  assert.match(saved.updatedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(saved.effective.eidsSources['id5-sync.com'], 'id5_pub');
  assert.equal(saved.effective.eidsSources['criteo.com'], undefined);
  assert.equal(saved.effective.eidsSources['example-id.com'], 'pub_id');
  assert.deepEqual(saved.effective.idLifetimeDays.perType.pub_id, 30);
  assert.deepEqual(saved.effective.idCaps.perType.uid, 20);
  assert.deepEqual((await h.call('GET', '/v1/identity/settings', apiKey)).body, saved);
  assert.deepEqual(
    ((await h.call('GET', '/v1/identity/settings', otherKey)).body as Settings).eidsSources,
    {},
    'another tenant keeps the defaults',
  );

  // every bad field at once, as application/problem+json; nothing changes
  const refused = await h.call('PUT', '/v1/identity/settings', apiKey, {
    eidsSources: { 'liveramp.com': 'uid', 'not a domain': 'x' },
    idLifetimeDays: { maid: 0 },
    idCaps: { 'Bad-Type': 2 },
    caps: {},
  });
  assert.equal(refused.status, 422);
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = refused.body as {
    code: string;
    field: string;
    errors: { field: string; message: string }[];
  };
  assert.equal(problem.code, 'invalid_identity_settings');
  assert.deepEqual(
    problem.errors.map((e) => e.field),
    [
      'caps',
      'eidsSources["liveramp.com"]',
      'eidsSources["not a domain"]',
      'idLifetimeDays.maid',
      'idCaps["Bad-Type"]',
    ],
  );
  assert.equal(problem.field, 'caps');
  assert.deepEqual((await h.call('GET', '/v1/identity/settings', apiKey)).body, saved);

  // a value of the wrong JSON type is refused by the schema, naming it
  const wrongType = await h.call('PUT', '/v1/identity/settings', apiKey, { idCaps: { maid: 'many' } });
  assert.equal(wrongType.status, 400);
  assert.equal((wrongType.body as { field: string }).field, 'body.idCaps.maid');

  const audit = await h.call('GET', '/v1/audit?action=identity.settings.update', apiKey);
  const entries = (audit.body as { entries: { target: string; after: unknown }[] }).entries;
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.target, 'identity:settings');
  assert.deepEqual(entries[0]?.after, {
    eidsSources: saved.eidsSources,
    idLifetimeDays: saved.idLifetimeDays,
    idCaps: saved.idCaps,
  });

  assert.equal((await h.call('GET', '/v1/identity/settings')).status, 401);
  const openapi = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, object> };
  assert.deepEqual(Object.keys(openapi.paths['/v1/identity/settings'] ?? {}).sort(), ['get', 'put']);
});
