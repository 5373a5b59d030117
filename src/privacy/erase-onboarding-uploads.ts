import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { listDir, readJson } from '../files/fs-lenient.ts';

const BLOCK = 4 * 1024 * 1024;
const LF = 10;
const QUOTE = 34;
const SPACE = 32;

/**
 * Takes a deleted visitor out of the onboarding job folders (`root` is `DATA/onboarding`) of `tenant`:
 * in the upload of a job not yet finished, every record naming one of `ids` (one of its fields, or a
 * string value of an NDJSON line) is overwritten in place by spaces (its line breaks kept), which both
 * parsers skip as blank lines, so the byte offsets a job resumes from stay right; `job.json` strings
 * that quote an ID (a rejected row's message) get `(erased)` instead. Resolves the records blanked.
 *
 * Example: `await eraseOnboardingUploads('/data/onboarding', 'acme', new Set(['c-123']))` -> 1
 */
export async function eraseOnboardingUploads(
  root: string,
  tenant: string,
  ids: ReadonlySet<string>,
): Promise<number> {
  let blanked = 0;
  for (const job of await listDir(root)) {
    const spec = await readJson<SpecHead>(join(root, job, 'job.json'));
    if (spec?.tenant !== tenant) continue;
    const format = spec.format === 'ndjson' ? 'ndjson' : 'csv';
    blanked += await blankRecords(join(root, job, 'upload'), format, Number(spec.dataStart) || 0, ids);
    const redacted = redact(spec, ids);
    if (JSON.stringify(redacted) !== JSON.stringify(spec))
      await writeFileAtomic(join(root, job, 'job.json'), `${JSON.stringify(redacted, null, 1)}\n`);
  }
  return blanked;
}

/** Overwrites the visitor's records of an upload by spaces, a block at a time; fsyncs when it changed one. */
async function blankRecords(
  path: string,
  format: 'csv' | 'ndjson',
  from: number,
  ids: ReadonlySet<string>,
): Promise<number> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 0;
    throw error;
  }
  let blanked = 0;
  try {
    let offset = from;
    let carry = Buffer.alloc(0);
    for (;;) {
      const block = Buffer.alloc(BLOCK);
      const { bytesRead } = await handle.read(block, 0, BLOCK, offset + carry.length);
      const final = bytesRead === 0;
      const buf = Buffer.concat([carry, block.subarray(0, bytesRead)]);
      let start = 0;
      let quoted = false;
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i];
        if (c === QUOTE && format === 'csv') quoted = !quoted;
        const end = c === LF && !quoted ? i + 1 : final && i === buf.length - 1 ? buf.length : -1;
        if (end === -1) continue;
        if (names(buf.toString('utf8', start, end), format, ids)) {
          const blank = Buffer.from(buf.subarray(start, end).map((b) => (b === LF ? LF : SPACE)));
          await handle.write(blank, 0, blank.length, offset + start);
          blanked++;
        }
        start = end;
      }
      if (final) break;
      offset += start;
      carry = Buffer.from(buf.subarray(start));
    }
    if (blanked > 0) await handle.sync();
  } finally {
    await handle.close();
  }
  return blanked;
}

/** Whether one record (CSV, possibly over several lines, or an NDJSON line) names one of `ids`. */
function names(record: string, format: 'csv' | 'ndjson', ids: ReadonlySet<string>): boolean {
  if (format === 'ndjson') {
    try {
      const value: unknown = JSON.parse(record);
      return (
        typeof value === 'object' &&
        value !== null &&
        Object.values(value).some((v) => typeof v === 'string' && ids.has(v.trim()))
      );
    } catch {
      return false;
    }
  }
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const text = record.replace(/\r?\n$/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && quoted && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.some((f) => ids.has(f.trim()));
}

/** A copy of a JSON value whose strings quote none of `ids` (each occurrence becomes `(erased)`). */
function redact<T>(value: T, ids: ReadonlySet<string>): T {
  if (typeof value === 'string') {
    let text: string = value;
    for (const id of ids) if (id !== '') text = text.split(id).join('(erased)');
    return text as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => redact(v, ids)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, ids)])) as T;
  return value;
}

interface SpecHead {
  tenant?: string;
  format?: string;
  dataStart?: number;
}
