import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ExportManifest } from '../core/activation/index.ts';
import { syncDir, writeFileAtomic } from '../files/atomic-file.ts';
import { listDir, readJson } from '../files/fs-lenient.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const PART = /^part-\d{5}\.(csv|ndjson)\.gz$/;

/**
 * Rewrites the file exports already written for a tenant (`root` is `DATA/exports/<tenant>`) without
 * the rows of a deleted visitor: a row goes when one of its fields is one of `ids`. In each export
 * touched, the completion marker is removed first, then each part that changed and the manifest (rows,
 * bytes, SHA-256) are written atomically, and the marker last, as when the export was first written: a
 * partner that waits for the marker never reads a half-rewritten export. Resolves the rows taken out.
 *
 * Example: `await eraseExportRows('/data/exports/acme', new Set(['c-123', '6d92078a']))` -> 2
 */
export async function eraseExportRows(root: string, ids: ReadonlySet<string>): Promise<number> {
  let erased = 0;
  for (const destination of await listDir(root)) {
    for (const run of await listDir(join(root, destination))) {
      erased += await eraseInExport(root, `${destination}/${run}`, ids);
    }
  }
  return erased;
}

async function eraseInExport(root: string, relative: string, ids: ReadonlySet<string>): Promise<number> {
  const dir = join(root, relative);
  const names = (await listDir(dir)).filter((name) => PART.test(name)).sort();
  const rewritten = new Map<string, { text: string; rows: number; removed: number }>();
  for (const name of names) {
    const text = (await gunzipAsync(await readFile(join(dir, name)))).toString('utf8');
    const kept = withoutRows(text, name.includes('.csv.') ? 'csv' : 'ndjson', ids);
    if (kept.removed > 0) rewritten.set(name, kept);
  }
  if (rewritten.size === 0) return 0;
  const marker = (await listDir(dir)).includes('_SUCCESS');
  await rm(join(dir, '_SUCCESS'), { force: true });
  await syncDir(dir);
  const manifest = await readJson<ExportManifest>(join(dir, 'manifest.json'));
  let removed = 0;
  for (const [name, kept] of rewritten) {
    const bytes = await gzipAsync(kept.text);
    await writeFileAtomic(join(dir, name), bytes);
    removed += kept.removed;
    const entry = manifest?.files.find((f) => f.name === `${relative}/${name}`);
    if (entry !== undefined) {
      entry.rows = kept.rows;
      entry.bytes = bytes.length;
      entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    }
  }
  if (manifest !== undefined) {
    manifest.totalRows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
    await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  if (marker) await writeFileAtomic(join(dir, '_SUCCESS'), '');
  return removed;
}

/**
 * The text of a part without the rows naming one of `ids` (a CSV part keeps its header), with the
 * number of data rows kept and taken out.
 *
 * Example: `withoutRows('id,segs\nc-1,1\nc-2,1\n', 'csv', new Set(['c-1']))` -> `{ text: 'id,segs\nc-2,1\n', rows: 1, removed: 1 }`
 */
export function withoutRows(
  text: string,
  format: 'csv' | 'ndjson',
  ids: ReadonlySet<string>,
): { text: string; rows: number; removed: number } {
  const records = format === 'csv' ? csvRecords(text) : text.split(/(?<=\n)/).filter((l) => l.trim() !== '');
  let out = '';
  let rows = 0;
  let removed = 0;
  for (const [i, record] of records.entries()) {
    const header = format === 'csv' && i === 0;
    if (!header && (format === 'csv' ? csvFields(record) : jsonFields(record)).some((f) => ids.has(f))) {
      removed++;
      continue;
    }
    out += record;
    if (!header) rows++;
  }
  return { text: out, rows, removed };
}

/** CSV records with their line endings; a quoted field may hold line breaks (RFC 4180). */
function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/** The fields of one CSV record, unquoted. */
function csvFields(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const line = record.replace(/\r?\n$/, '');
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** The string values of one NDJSON row (an unreadable line has none: it is kept). */
function jsonFields(line: string): string[] {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return [];
    return Object.values(value).filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}
