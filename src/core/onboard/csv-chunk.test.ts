import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkBuilder } from './chunk-builder.ts';
import { filterRows } from './onboard-rows.ts';
import { parseCsvRecords, splitCsvRecord } from './csv-chunk.ts';
import { csvColumns } from './csv-header.ts';
import type { CsvColumns } from './csv-header.ts';
import { TEST_NOW, plainRows, testContext } from './onboard-test-context.ts';

function columns(header: string): CsvColumns {
  const parsed = csvColumns(splitCsvRecord(header) ?? []);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.columns;
}

function parse(text: string, header = 'id,traits', mode: 'full' | 'delta' = 'delta') {
  const chunk = new ChunkBuilder(testContext(mode), 100);
  const progress = parseCsvRecords(text, 0, true, columns(header), 2, chunk);
  return { progress, rows: plainRows(chunk.rows()), errors: chunk.errors, stats: chunk.stats };
}

test('header: id and traits required, idType and ts optional, any order, unknown names refused', () => {
  assert.deepEqual(columns('idType,id,traits,ts'), {
    count: 4,
    idType: 0,
    id: 1,
    traits: 2,
    ts: 3,
    names: ['idType', 'id', 'traits', 'ts'],
  });
  assert.equal(columns('TRAITS, ID').id, 1);
  const unknown = csvColumns(['uid', 'traits']);
  assert.equal(unknown.ok, false);
  assert.match(unknown.ok ? '' : unknown.message, /unknown column 'uid'/);
  assert.equal(csvColumns(['id']).ok, false);
  assert.equal(csvColumns(['id', 'traits', 'id']).ok, false);
});

test('simple rows: codes or integration codes, | or ; between them, CRLF, blank lines, spaces trimmed', () => {
  const { rows, stats, progress } = parse('c-1,t1|IAB2\r\n\nc-2 , t3; t4 \n');
  assert.deepEqual(rows, [
    { type: 'uid', id: 'c-1', time: null, traits: [1, 2] },
    { type: 'uid', id: 'c-2', time: null, traits: [3, 4] },
  ]);
  assert.deepEqual(stats, { read: 2, accepted: 2, rejected: 0, optedOut: 0, reasons: {} });
  assert.deepEqual(progress, { consumed: 28, rows: 3 });
});

test('quoted fields: commas, doubled quotes and newlines inside; the last line needs no newline', () => {
  const { rows } = parse('"c,1","t1|t2"\n"say ""hi""",t3\n"multi\nline",t4');
  assert.deepEqual(
    rows.map((r) => [r.id, r.traits]),
    [
      ['c,1', [1, 2]],
      ['say "hi"', [3]],
      // an ID with a newline is refused (control character): see below
    ],
  );
});

test('every bad row is reported with its row, column and reason, and the good rows around it are kept', () => {
  const text = [
    'c-1,t1', // row 2: good
    ',t1', // 3: empty id
    'c-3,t1,extra', // 4: field count
    'c-4,nope|t2', // 5: unknown trait (the whole row is refused)
    'c-5,"t1', // 6: quote never closed (in the traits column)
    'c"6,t1', // 7: quote inside an unquoted field
    'out-7,t1', // 8: opted out: skipped, not an error
    'c-9,t1|-t1', // 9: adds and removes the same trait
    'c-10,t5', // 10: good
  ].join('\n');
  const { rows, errors, stats } = parse(text);
  assert.deepEqual(
    rows.map((r) => r.id),
    ['c-1', 'c-10'],
  );
  assert.deepEqual(
    errors.map((e) => [e.row, e.column, e.reason]),
    [
      [3, 'id', 'empty_id'],
      [4, '', 'field_count'],
      [5, 'traits', 'unknown_trait'],
      [6, 'traits', 'bad_quote'],
      [7, 'id', 'bad_quote'],
      [9, 'traits', 'conflicting_trait'],
    ],
  );
  assert.match(errors[2]?.message ?? '', /"nope"/);
  assert.ok(errors.every((e) => e.fix.length > 0));
  assert.deepEqual(stats.reasons, {
    empty_id: 1,
    field_count: 1,
    unknown_trait: 1,
    bad_quote: 2,
    conflicting_trait: 1,
  });
  assert.equal(stats.read, 9);
  assert.equal(stats.optedOut, 1);
  assert.equal(stats.accepted + stats.rejected + stats.optedOut, stats.read);
});

test('ID types and times: a column or the default; epoch ms or ISO 8601, in range', () => {
  const day = 86_400_000;
  const maid = (n: number): string => `6d92078a-8246-4ba4-ae5b-76104861e7d${n}`;
  const text = [
    `maid,${maid(1)},t1,${TEST_NOW - day}`,
    `,c-2,t2,2026-11-19T12:00:00Z`,
    'Bad Type,x,t1,',
    `maid,${maid(4)},t1,yesterday`,
    `maid,${maid(5)},t1,${TEST_NOW + day}`,
    `maid,${maid(6)},t1,${TEST_NOW - 200 * day}`,
  ].join('\n');
  const { rows, errors } = parse(text, 'idType,id,traits,ts');
  assert.deepEqual(rows, [
    { type: 'maid', id: maid(1), time: TEST_NOW - day, traits: [1] },
    { type: 'uid', id: 'c-2', time: TEST_NOW - day, traits: [2] },
  ]);
  assert.deepEqual(
    errors.map((e) => [e.row, e.column, e.reason]),
    [
      [4, 'idType', 'bad_id_type'],
      [5, 'ts', 'bad_ts'],
      [6, 'ts', 'ts_out_of_range'],
      [7, 'ts', 'ts_out_of_range'],
    ],
  );
});

test('delta removes with -CODE; full refuses it; an empty traits field is a valid row', () => {
  assert.deepEqual(parse('c-1,-t1|+t2\nc-2,\n').rows, [
    { type: 'uid', id: 'c-1', time: null, traits: [-1, 2] },
    { type: 'uid', id: 'c-2', time: null, traits: [] },
  ]);
  const full = parse('c-1,-t1|t2\nc-2,t2\n', 'id,traits', 'full');
  assert.deepEqual(
    full.errors.map((e) => e.reason),
    ['removal_in_full'],
  );
  assert.deepEqual(
    full.rows.map((r) => r.id),
    ['c-2'],
  );
});

test('not final: stops before a record the text may not hold whole, and resumes from there', () => {
  const cols = columns('id,traits');
  const text = 'c-1,t1\n"c-2\nstill c-2",t2\nc-3,t3';
  const chunk = new ChunkBuilder(testContext(), 100);
  const first = parseCsvRecords(text.slice(0, 12), 0, false, cols, 2, chunk);
  assert.deepEqual(first, { consumed: 7, rows: 1 });
  const second = parseCsvRecords(text, first.consumed, true, cols, 2 + first.rows, chunk);
  assert.deepEqual(second, { consumed: text.length - 7, rows: 2 });
  // the ID with a newline is refused, and its row number is the record's, not the line's
  assert.deepEqual(
    chunk.errors.map((e) => [e.row, e.reason]),
    [[3, 'bad_id']],
  );
  assert.deepEqual(
    plainRows(chunk.rows()).map((r) => r.id),
    ['c-1', 'c-3'],
  );
});

test('only the first errors are kept in full; every one is counted', () => {
  const chunk = new ChunkBuilder(testContext(), 3);
  const text = Array.from({ length: 10 }, (_, i) => `c-${i},zz`).join('\n');
  parseCsvRecords(text, 0, true, columns('id,traits'), 2, chunk);
  assert.equal(chunk.errors.length, 3);
  assert.deepEqual(chunk.stats.reasons, { unknown_trait: 10 });
});

test('many rows: every row keeps its own ID, time and traits as the arrays grow', () => {
  const n = 5_000;
  const text = Array.from(
    { length: n },
    (_, i) => `c-${i},t${(i % 9) + 1}|t${((i + 4) % 9) + 1},${TEST_NOW - i}`,
  ).join('\n');
  const chunk = new ChunkBuilder(testContext(), 100);
  parseCsvRecords(text, 0, true, columns('id,traits,ts'), 2, chunk);
  const rows = plainRows(chunk.rows());
  assert.equal(rows.length, n);
  rows.forEach((r, i) => {
    assert.deepEqual(r, {
      type: 'uid',
      id: `c-${i}`,
      time: TEST_NOW - i,
      traits: [(i % 9) + 1, ((i + 4) % 9) + 1],
    });
  });
});

test('IDs follow their type: a MAID that is no UUID and a clear e-mail as a hash are refused, never echoed', () => {
  const maid = '6D92078A-8246-4BA4-AE5B-76104861E7DC';
  const { rows, errors, stats } = parse(
    [
      `maid,${maid},t1`,
      'maid,m-1,t1',
      'email_sha256,ann@example.com,t1',
      'crm,ann@example.com,t1',
      `email_sha256,${'A'.repeat(64)},t1`,
      'uid,c-1,t1',
    ].join('\n'),
    'idType,id,traits',
  );
  assert.deepEqual(
    rows.map((r) => `${r.type}:${r.id}`),
    [`maid:${maid.toLowerCase()}`, `email_sha256:${'a'.repeat(64)}`, 'uid:c-1'],
  );
  assert.deepEqual(
    errors.map((e) => [e.row, e.column, e.reason]),
    [
      [3, 'id', 'id_not_of_type'],
      [4, 'id', 'id_not_of_type'],
      [5, 'id', 'id_not_of_type'],
    ],
  );
  assert.equal(stats.reasons.id_not_of_type, 3);
  assert.ok(!JSON.stringify(errors).includes('ann@example.com'), 'the clear address is not repeated');
});

test('filterRows keeps the other rows with their traits and times, and the same object when none goes', () => {
  const chunk = new ChunkBuilder(testContext(), 100);
  parseCsvRecords('c-1,t1|t2\nc-2,t3\nc-3,t4', 0, true, columns('id,traits'), 2, chunk);
  const rows = chunk.rows();
  assert.equal(filterRows(rows, () => true).rows, rows);
  const kept = filterRows(rows, (_type, id) => id !== 'c-2');
  assert.equal(kept.dropped, 1);
  const all = plainRows(rows);
  assert.deepEqual(plainRows(kept.rows), [all[0], all[2]]);
});
