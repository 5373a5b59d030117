import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkBuilder } from './chunk-builder.ts';
import { normaliseId } from '../ids/normalise-id.ts';
import { parseCsvRecords, splitCsvRecord } from './csv-chunk.ts';
import { csvColumns } from './csv-header.ts';
import type { CsvColumns } from './csv-header.ts';
import { decodeRows, encodeRows } from './onboard-rows.ts';
import { plainRows, testContext } from './onboard-test-context.ts';

const header = csvColumns(splitCsvRecord('idType,id,traits') ?? []);
if (!header.ok) throw new Error(header.message);
const COLUMNS: CsvColumns = header.columns;

/** Parses `text` in pieces cut at `cuts` (not final), then the rest (final), like the job runner. */
function parseInPieces(text: string, cuts: number[]) {
  const chunk = new ChunkBuilder(testContext(), 1_000_000);
  let pos = 0;
  let row = 2;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= pos) continue;
    const p = parseCsvRecords(text.slice(0, cut), pos, false, COLUMNS, row, chunk);
    pos += p.consumed;
    row += p.rows;
  }
  const last = parseCsvRecords(text, pos, true, COLUMNS, row, chunk);
  return {
    rows: plainRows(chunk.rows()),
    errors: chunk.errors,
    stats: chunk.stats,
    end: pos + last.consumed,
  };
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field;
}

const idChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcXYZ019-_.:') },
  { weight: 2, arbitrary: fc.constantFrom(',', '"', '|', ';', ' ', 'é', '日', '😀', '\n', '\r', '\t') },
);
const id = fc.array(idChar, { minLength: 0, maxLength: 12 }).map((cs) => cs.join(''));
const trait = fc.record({ n: fc.integer({ min: 1, max: 9 }), remove: fc.boolean(), iab: fc.boolean() });
const row = fc.record({
  // a partner's type: any ID text is one (a maid must be a UUID, see csv-chunk.test.ts)
  type: fc.constantFrom('', 'uid', 'ssp_x', 'Bad'),
  id,
  traits: fc.uniqueArray(trait, { selector: (t) => t.n, maxLength: 5 }),
  sep: fc.constantFrom('|', ';'),
});

test('CSV written by an RFC 4180 writer parses back to its rows, however the text is cut', () => {
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.constantFrom('\n', '\r\n'),
      (rows, cutSeeds, eol) => {
        const text = rows
          .map((r) => {
            const traits = r.traits
              .map((t) => `${t.remove ? '-' : ''}${t.iab ? 'IAB' : 't'}${t.n}`)
              .join(r.sep);
            return [r.type, r.id, traits].map(quote).join(',');
          })
          .join(eol);
        const cuts = cutSeeds.map((s) => s % (text.length + 1));
        const parsed = parseInPieces(text, cuts);
        const expected = rows
          .filter((r) => r.type !== 'Bad')
          .filter((r) => r.id.trim() !== '' && ![...r.id].some((c) => c.charCodeAt(0) < 32))
          .map((r) => ({
            type: r.type === '' ? 'uid' : r.type,
            // device IDs are kept lower-case (normaliseId)
            id: normaliseId(r.type, quote(r.id) === r.id ? r.id.trim() : r.id),
            time: null,
            traits: r.traits.map((t) => (t.remove ? -t.n : t.n)),
          }));
        assert.deepEqual(parsed.rows, expected);
        assert.equal(parsed.end, text.length);
        // a blank last line is no row at all; every other row is accounted for
        const nonBlank = rows.filter((r) => [r.type, r.id, ''].map(quote).join(',') !== '').length;
        assert.equal(parsed.stats.read, nonBlank);
      },
    ),
    { numRuns: 400 },
  );
});

const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '""', ',', '\n', '\r', '\r\n', '|', ';', '-', 't1', 'IAB2', ' ', 'uid', 'ssp_x'),
      fc.string({ maxLength: 4, unit: 'binary' }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

test('untrusted input: never throws, every row is accepted, rejected or opted out, cuts change nothing', () => {
  fc.assert(
    fc.property(hostile, fc.array(fc.nat(), { maxLength: 6 }), (text, cutSeeds) => {
      const whole = parseInPieces(text, []);
      const pieces = parseInPieces(
        text,
        cutSeeds.map((s) => s % (text.length + 1)),
      );
      assert.deepEqual(pieces, whole);
      const s = whole.stats;
      assert.equal(s.accepted + s.rejected + s.optedOut, s.read);
      assert.equal(whole.rows.length, s.accepted);
      assert.equal(whole.end, text.length);
      for (const e of whole.errors) assert.ok(e.row >= 2 && e.fix.length > 0);
      // what is accepted survives the log's compact text unchanged
      const chunk = new ChunkBuilder(testContext(), 0);
      parseCsvRecords(text, 0, true, COLUMNS, 2, chunk);
      assert.deepEqual(plainRows(decodeRows(encodeRows(chunk.rows()))), whole.rows);
    }),
    { numRuns: 1_000 },
  );
});

test('a quote never closed costs at most its own record and the lines up to 64 KiB after it', () => {
  const good = Array.from({ length: 3_000 }, (_, i) => `uid,c-${i},t1`);
  const text = ['uid,"broken,t1', ...good].join('\n');
  const parsed = parseInPieces(text, [100, 5_000, 40_000]);
  assert.equal(parsed.errors[0]?.reason, 'bad_quote');
  assert.ok(parsed.rows.length >= 3_000 - 65_536 / 12, `${parsed.rows.length} good rows kept`);
  assert.equal(parsed.end, text.length);
});
