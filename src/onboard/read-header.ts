import { open } from 'node:fs/promises';
import { csvColumns, splitCsvRecord } from '../core/onboard/index.ts';

const HEADER_LIMIT = 65_536;

/**
 * Reads the start of an uploaded file: skips a UTF-8 byte order mark and, for CSV, reads and checks the
 * header line. Returns where the data rows start, or what is wrong with the header.
 *
 * Example: `await readHeader(path, 'csv')` -> `{ ok: true, dataStart: 10, header: ['id', 'traits'] }`.
 */
export async function readHeader(
  path: string,
  format: 'csv' | 'ndjson',
): Promise<{ ok: true; dataStart: number; header?: string[] } | { ok: false; message: string }> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(HEADER_LIMIT);
    const { bytesRead } = await handle.read(buf, 0, HEADER_LIMIT, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (format === 'ndjson') return { ok: true, dataStart: bom };
  if (head.length === bom)
    return { ok: false, message: 'the file is empty: a CSV file starts with its header (id,traits)' };
  let lf = head.indexOf(10, bom);
  if (lf === -1) {
    if (head.length === HEADER_LIMIT)
      return { ok: false, message: 'the first line (the header) is longer than 64 KiB' };
    lf = head.length;
  }
  const line = head.toString('utf8', bom, lf).replace(/\r$/, '');
  const fields = splitCsvRecord(line);
  if (fields === undefined) return { ok: false, message: 'the header line has a broken quote' };
  const columns = csvColumns(fields);
  if (!columns.ok) return { ok: false, message: columns.message };
  return { ok: true, dataStart: Math.min(lf + 1, head.length), header: fields.map((f) => f.trim()) };
}
