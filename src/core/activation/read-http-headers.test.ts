import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from './field-errors.ts';
import { parseSettings } from './parse-destination-settings.ts';
import { readHttpHeaders } from './read-http-headers.ts';

test('http settings take authorization and headers', () => {
  const errors: FieldError[] = [];
  const settings = parseSettings(
    'http',
    { url: 'https://api.example/aud', authorization: 'Bearer s3cr3t', headers: { 'X-Account': '42' } },
    errors,
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(settings, {
    url: 'https://api.example/aud',
    batchSize: 1000,
    authorization: 'Bearer s3cr3t',
    headers: { 'X-Account': '42' },
  });
});

test('other kinds still refuse authorization and headers', () => {
  const errors: FieldError[] = [];
  parseSettings(
    'file',
    { format: 'csv', mode: 'full', columns: [{ name: 'id', from: 'id' }], authorization: 'x' },
    errors,
  );
  assert.deepEqual(errors, [{ field: 'settings.authorization', message: 'unknown field' }]);
});

test('bad header names and values are refused with the field', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ authorization: 'Bearer x\r\nX-Evil: 1' }, 'settings.authorization', /CR, LF/],
    [{ authorization: '' }, 'settings.authorization', /empty/],
    [{ headers: { 'X-A': 'a\nb' } }, 'settings.headers.X-A', /CR, LF/],
    [{ headers: { 'X A': 'v' } }, 'settings.headers.X A', /header name/],
    [{ headers: { 'x:a': 'v' } }, 'settings.headers.x:a', /header name/],
    [{ headers: { ['x'.repeat(65)]: 'v' } }, `settings.headers.${'x'.repeat(65)}`, /header name/],
    [{ headers: { 'X-A': 7 } }, 'settings.headers.X-A', /string/],
    [{ headers: { 'X-A': 'v'.repeat(4097) } }, 'settings.headers.X-A', /at most 4096/],
    [{ headers: { 'Idempotency-Key': 'k' } }, 'settings.headers.Idempotency-Key', /set by the runner/],
    [{ headers: { Authorization: 'k' } }, 'settings.headers.Authorization', /set by the runner/],
    [{ headers: { 'X-A': '1', 'x-a': '2' } }, 'settings.headers.x-a', /repeated/],
    [{ headers: ['X-A'] }, 'settings.headers', /object/],
    [
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-${i}`, 'v'])) },
      'settings.headers',
      /at most 20/,
    ],
  ];
  for (const [json, field, message] of cases) {
    const errors: FieldError[] = [];
    const out = readHttpHeaders(json as Record<string, unknown>, errors);
    assert.equal(errors.length, 1, JSON.stringify(json));
    assert.equal(errors[0]?.field, field);
    assert.match(errors[0]?.message ?? '', message);
    assert.equal(out.authorization, undefined);
    // the first of a repeated name is kept; the refused one never is
    assert.deepEqual(out.headers, field.endsWith('x-a') ? { 'X-A': '1' } : undefined);
  }
});

test('a tab and non-ASCII bytes are allowed in a value', () => {
  const errors: FieldError[] = [];
  assert.deepEqual(readHttpHeaders({ headers: { 'X-Note': 'a\tb' } }, errors), {
    headers: { 'X-Note': 'a\tb' },
  });
  assert.deepEqual(errors, []);
});
