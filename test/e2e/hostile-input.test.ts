import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string }[];
  bodyFields: string[];
}

/** Every operation of the served OpenAPI document, with its parameters and top-level body fields. */
function operationsOf(doc: unknown): Operation[] {
  const paths = (doc as { paths: Record<string, Record<string, unknown>> }).paths;
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const o = op as {
        parameters?: { name: string; in: string }[];
        requestBody?: { content?: Record<string, { schema?: unknown }> };
      };
      const schema = o.requestBody?.content?.['application/json']?.schema as
        | { properties?: Record<string, unknown>; anyOf?: { properties?: Record<string, unknown> }[] }
        | undefined;
      const props = schema?.properties ?? schema?.anyOf?.find((s) => s.properties)?.properties ?? {};
      out.push({
        method: method.toUpperCase(),
        path,
        params: o.parameters ?? [],
        bodyFields: Object.keys(props),
      });
    }
  }
  return out;
}

const DEEP = '['.repeat(20_000) + ']'.repeat(20_000);
const DEEP_OBJECT = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
const HOSTILE_VALUES: string[] = [
  '%',
  '%E0%A4%A',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%00',
  'x'.repeat(5000),
  '-1',
  '1e400',
];
const HOSTILE_COOKIES = ['dmp_uid=%', 'dmp_uid=%E0%A4%A; dmp_optout=%', 'dmp_optout=%ZZ'];

function hostileBodies(fields: string[]): string[] {
  const nulls = Object.fromEntries(fields.map((f) => [f, null]));
  const huge = Object.fromEntries(fields.map((f) => [f, 'x'.repeat(100_000)]));
  const zeros = JSON.stringify(Object.fromEntries(fields.map((f) => [f, 0])));
  const wrong = Object.fromEntries(fields.map((f) => [f, [{ nested: [[[]]] }]]));
  return [
    DEEP,
    DEEP_OBJECT,
    'null',
    '[]',
    '"text"',
    '{"__proto__": {"polluted": true}}',
    JSON.stringify(nulls),
    JSON.stringify(huge),
    zeros.replace(/:0/g, ':123456789012345678901234567890'),
    JSON.stringify(wrong),
    `{"rule": ${DEEP_OBJECT}}`,
    `{"id":"r","imp":[{"id":"1"}],"user":${DEEP_OBJECT}}`,
    '{"a": 1e400}',
  ];
}

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value).replace(/:[a-zA-Z]+/g, value);
}

test('no hostile input makes any route of the OpenAPI document answer a 5xx', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  const doc = (await h.call('GET', '/openapi.json')).body;
  const operations = operationsOf(doc);
  assert.ok(operations.length > 30, `the document lists ${operations.length} operations`);
  const failures: string[] = [];
  const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${apiKey}`, ...headers } };
    if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      init.body = body;
    }
    const r = await fetch(`${h.base}${path}`, init);
    await r.arrayBuffer();
    if (r.status >= 500)
      failures.push(`${method} ${path.slice(0, 80)} ${body?.slice(0, 60) ?? ''} -> ${r.status}`);
  };
  for (const op of operations) {
    const query = (v: string) =>
      op.params
        .filter((p) => p.in === 'query')
        .map((p) => `${p.name}=${p.name === 'site' ? siteKey : v}`)
        .join('&');
    const base = fill(op.path, 'probe');
    for (const value of HOSTILE_VALUES) {
      await send(op.method, `${fill(op.path, value)}?${query(value)}`);
    }
    for (const body of hostileBodies(op.bodyFields)) {
      await send(op.method, `${base}?${query('probe')}`, body);
    }
    for (const cookie of HOSTILE_COOKIES)
      await send(op.method, `${base}?${query('probe')}`, undefined, { cookie });
  }
  for (const path of [
    '/docs/static/../../package.json',
    '/docs/static/%2e%2e/%2e%2e/package.json',
    '/docs/%2e%2e%2fpackage.json',
  ]) {
    const r = await fetch(`${h.base}${path}`);
    assert.equal(r.status, 404, path);
  }
  assert.deepEqual(failures, []);
});
