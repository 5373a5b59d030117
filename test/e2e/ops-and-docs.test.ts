import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

test('health, readiness, metrics, the OpenAPI document and its readable docs', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')), undefined, {
    config: { metricsToken: 'operator-token' },
  });
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');

  assert.deepEqual((await h.call('GET', '/healthz')).body, { status: 'ok' });
  assert.deepEqual((await h.call('GET', '/readyz')).body, { status: 'ready' });

  assert.equal(
    (await h.call('POST', '/v1/events', apiKey, [{ uid: 'a' }, { uid: 'b' }, { type: 'x' }])).status,
    202,
  );
  const metrics = (await h.call('GET', '/metrics', 'operator-token')).body as string;
  assert.match(metrics, /dmp_events_accepted_total 2/);
  assert.match(metrics, /dmp_events_rejected_total 1/);
  assert.match(metrics, /dmp_profiles 2/);
  assert.match(metrics, /dmp_http_request_duration_seconds_bucket/);

  const spec = (await h.call('GET', '/openapi.json')).body as {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  assert.match(spec.openapi, /^3\./);
  for (const path of [
    '/px',
    '/v1/events',
    '/v1/traits',
    '/v1/traits/{code}',
    '/v1/segments/{code}/size',
    '/v1/audience/size',
    '/v1/audience/overlap',
    '/v1/profiles',
    '/v1/profiles/{uid}/segments',
  ]) {
    assert.ok(spec.paths[path] !== undefined, `${path} is documented`);
  }
  assert.ok(
    spec.paths['/v1/traits']?.post?.requestBody !== undefined,
    'the trait body schema is in the document',
  );

  const docs = await fetch(`${h.base}/docs/`);
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /swagger/i);

  const missing = await h.call('GET', '/v1/nothing-here', apiKey);
  assert.equal(missing.status, 404);
  assert.equal((missing.body as { code: string }).code, 'not_found');
});
