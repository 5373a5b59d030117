import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ChunkBuilder } from '../core/onboard/chunk-builder.ts';
import { parseCsvRecords, splitCsvRecord } from '../core/onboard/csv-chunk.ts';
import { parseNdjsonRecords } from '../core/onboard/ndjson-chunk.ts';
import { csvColumns } from '../core/onboard/csv-header.ts';
import { plainRows, testContext } from '../core/onboard/onboard-test-context.ts';
import { eraseOnboardingUploads } from './erase-onboarding-uploads.ts';

async function job(root: string, name: string, format: 'csv' | 'ndjson', upload: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const dataStart = format === 'csv' ? upload.indexOf('\n') + 1 : 0;
  await writeFile(join(dir, 'job.json'), JSON.stringify({ job: name, tenant: 'acme', format, dataStart }));
  await writeFile(join(dir, 'upload'), upload);
  return join(dir, 'upload');
}

function csvIds(text: string): string[] {
  const parsed = csvColumns(splitCsvRecord('id,traits') ?? []);
  if (!parsed.ok) throw new Error(parsed.message);
  const chunk = new ChunkBuilder(testContext(), 100);
  parseCsvRecords(text.slice(text.indexOf('\n') + 1), 0, true, parsed.columns, 2, chunk);
  assert.deepEqual(chunk.errors, [], 'a blanked row is no error');
  return plainRows(chunk.rows()).map((r) => r.id);
}

test('an unfinished upload loses the visitor rows in place: same length, the other rows read as before', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-erase-upload-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const csv = 'id,traits\r\nkeep-1,t1\r\n"gone-1",t1|t2\r\n"keep,2",t1\r\ngone-1,"multi\nline"\r\nkeep-3,t1';
  const ndjson = '{"id":"keep-1","traits":["t1"]}\n{"idType":"maid","id":"m-gone","traits":[]}\n';
  const csvPath = await job(root, 'j1', 'csv', csv);
  const ndjsonPath = await job(root, 'j2', 'ndjson', ndjson);
  await writeFile(join(root, 'j3.json'), 'not a job');
  assert.equal(await eraseOnboardingUploads(root, 'acme', new Set(['gone-1', 'm-gone'])), 3);

  const after = await readFile(csvPath, 'utf8');
  assert.equal(after.length, csv.length, 'offsets a job resumes from stay right');
  assert.ok(!after.includes('gone'));
  assert.deepEqual(csvIds(after), ['keep-1', 'keep,2', 'keep-3']);
  const lines = await readFile(ndjsonPath, 'utf8');
  assert.ok(!lines.includes('m-gone') && lines.length === ndjson.length);
  const chunk = new ChunkBuilder(testContext(), 100);
  parseNdjsonRecords(lines, 0, true, 1, chunk);
  assert.deepEqual(
    plainRows(chunk.rows()).map((r) => r.id),
    ['keep-1'],
  );
  assert.equal(await eraseOnboardingUploads(root, 'other', new Set(['keep-1'])), 0, 'another tenant');
});

test('erasing any ID from a CSV upload keeps every other row, whatever the quoting', async () => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-erase-upload-p-'));
  try {
    const id = fc.stringMatching(/^[a-z0-9,"\- ]{1,8}$/).filter((s) => s.trim() !== '' && s.trim() === s);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(id, { minLength: 1, maxLength: 8 }), fc.nat(), async (ids, pick) => {
        const gone = ids[pick % ids.length]!;
        const field = (s: string) => (/[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
        const text = `id,traits\n${ids.map((s) => `${field(s)},t1\n`).join('')}`;
        const path = await job(root, `p${pick}`, 'csv', text);
        await eraseOnboardingUploads(root, 'acme', new Set([gone]));
        const after = await readFile(path, 'utf8');
        assert.equal(after.length, text.length);
        assert.deepEqual(
          csvIds(after),
          ids.filter((s) => s !== gone),
        );
        await rm(join(root, `p${pick}`), { recursive: true });
      }),
      { numRuns: 60 },
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
