import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, draftOf } from '../../console/src/destination-draft.ts';
import type { Destination } from '../../console/src/api.ts';
import { ApiError } from '../../console/src/api.ts';
import { formErrorsOf } from '../../console/src/form-errors.ts';
import { parseDestination } from '../../src/core/activation/parse-destination.ts';

const exportsDrop = {
  kind: 'file',
  code: 'exports',
  name: 'Exports',
  segments: [{ segment: 'london_pricing', id: '607' }],
  idType: 'maid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: ['no-modeling'],
  schedule: { everyMinutes: 60 },
  settings: {
    onsite: false,
    format: 'ndjson',
    mode: 'delta',
    batchSize: 100,
    columns: [
      { name: 'id', from: 'id' },
      { name: 'segs', from: 'segment_ids', separator: ';' },
      { name: 'src', from: 'constant', value: 'dmp' },
    ],
  },
} as unknown as Destination;

test("the destination form's draft gives back the destination it was read from, which the API accepts", () => {
  const { body, errors } = bodyOf(draftOf(exportsDrop));
  assert.deepEqual(errors, {});
  assert.deepEqual(body, exportsDrop);
  const parsed = parseDestination(body);
  assert.ok(parsed.ok, JSON.stringify(parsed));
});

test('a new draft is a file destination; the text fields become the API body, bad numbers go as typed', () => {
  const draft = {
    ...draftOf(undefined),
    code: 'drop',
    name: 'Drop',
    segments: 'fans = 12\n\n  readers=13  \nlonely',
    purposes: '1, 3 4',
    batchSize: '0',
    vendorId: 'x1',
  };
  const { body } = bodyOf(draft);
  assert.equal(body.kind, 'file');
  assert.deepEqual(body.segments, [
    { segment: 'fans', id: '12' },
    { segment: 'readers', id: '13' },
    { segment: 'lonely', id: '' },
  ]);
  assert.deepEqual(body.consent, { vendorId: 'x1', purposes: [1, 3, 4] });
  assert.equal((body.settings as { batchSize: unknown }).batchSize, 0);
  const parsed = parseDestination(body);
  assert.equal(parsed.ok, false);
  const fields = parsed.ok ? [] : parsed.errors.map((e) => e.field);
  assert.deepEqual(fields.sort(), ['consent.vendorId', 'segments[2].id', 'settings.batchSize'].sort());
});

test('an http draft keeping a masked credential or bad header JSON is stopped before it is sent', () => {
  const hook = {
    kind: 'http',
    code: 'hook',
    name: 'Hook',
    segments: [],
    idType: 'uid',
    consent: { purposes: [] },
    restrictions: [],
    settings: { url: 'https://p.example/a', batchSize: 3, authorization: '***', headers: { 'X-A': '***' } },
  } as unknown as Destination;
  const masked = bodyOf(draftOf(hook));
  assert.deepEqual(Object.keys(masked.errors).sort(), ['settings.authorization', 'settings.headers']);
  const typed = bodyOf({ ...draftOf(hook), authorization: 'Bearer new', headers: '{"X-A": "42"}' });
  assert.deepEqual(typed.errors, {});
  assert.deepEqual(typed.body.settings, {
    url: 'https://p.example/a',
    batchSize: 3,
    authorization: 'Bearer new',
    headers: { 'X-A': '42' },
  });
  const bad = bodyOf({ ...draftOf(hook), authorization: 'Bearer new', headers: '{nope' });
  assert.match(bad.errors['settings.headers']?.[0] ?? '', /must be a JSON object/);
});

test("the API's per-field errors go under the longest form field they start with; the others under the form", () => {
  const refusal = new ApiError(422, 'invalid_destination', 'settings.batchSize: must be between 1 and 10', [
    { field: 'settings.batchSize', message: 'must be between 1 and 10' },
    { field: 'settings.columns[1].name', message: 'is repeated' },
    { field: 'segments[0].id', message: 'must not be empty' },
    { field: 'nowhere', message: 'is odd' },
  ] as never);
  const sorted = formErrorsOf(refusal, ['settings', 'settings.batchSize', 'settings.columns', 'segments']);
  assert.deepEqual(sorted.byField, {
    'settings.batchSize': ['must be between 1 and 10'],
    'settings.columns': ['[1].name: is repeated'],
    segments: ['[0].id: must not be empty'],
  });
  assert.deepEqual(sorted.rest, ['settings.batchSize: must be between 1 and 10']);
  const conflict = formErrorsOf(new ApiError(409, 'conflict', "destination 'x' already exists"), ['code']);
  assert.deepEqual(conflict, { byField: {}, rest: ["destination 'x' already exists"] });
});
