import { splitCsvRecord } from '../onboard/csv-chunk.ts';
import { CLEAR_PII_TYPES, EMAIL_HASH_HOW, PHONE_HASH_HOW, checkId, checkIdType } from './id-types.ts';

/** How the file's fields are separated: commas (RFC 4180 quotes allowed) or tabs (no quoting). */
export type LinkFileFormat = 'csv' | 'tsv';

/** The fewest and the most ID types (columns) a link file may have. */
export const MIN_LINK_COLUMNS = 2;
export const MAX_LINK_COLUMNS = 8;

/** The most row errors an answer lists in full (the rest are counted in `rejected`). */
export const MAX_LISTED_LINK_ERRORS = 100;

/** One rejected row: its number (the header is row 1), the column at fault ('' for the whole row), why. */
export interface LinkRowError {
  row: number;
  column: string;
  error: string;
}

/** A row that passed: its number and its non-empty IDs, `[type, value]` in the kept form. */
export interface LinkRow {
  row: number;
  ids: [string, string][];
}

/** What a link file holds: the ID types of its header, its good rows, and the rows it rejected. */
export interface LinkFile {
  types: string[];
  /** rows with at least two IDs: the ones that can link anything */
  rows: LinkRow[];
  /** data rows read (blank lines not counted) */
  read: number;
  /** rows with fewer than two IDs: nothing to link */
  tooFewIds: number;
  rejected: number;
  /** the first `MAX_LISTED_LINK_ERRORS` rejections */
  errors: LinkRowError[];
}

/** A header that cannot be read: what is wrong and how to fix it. */
export type LinkFileResult = { ok: true; file: LinkFile } | { ok: false; error: string };

const EXAMPLE_HEADER = 'crm,email_sha256,maid';

/**
 * Reads an ID-link file: a header naming 2 to 8 distinct ID types (`checkIdType`; `email` and `phone`
 * are refused with how to hash), then one visitor per line. Every non-empty cell is checked by
 * `checkId` of its column's type (a MAID normalised, a clear e-mail in `email_sha256` refused with how
 * to hash it); a row with a bad cell, a broken quote or the wrong number of fields is rejected with its
 * row number, column and reason, and the good rows beside it are kept. Empty cells are allowed; a row
 * left with fewer than two IDs is counted in `tooFewIds`. A UTF-8 byte order mark, CRLF line ends and
 * blank lines are taken; cells are not trimmed (`checkId` refuses spaces around an ID, so that one
 * customer is never two IDs). A quoted CSV field may not span lines (no ID holds a line break).
 *
 * Example:
 * ```ts
 * readLinkFile('crm,maid\nC-1,6D92078A-8246-4BA4-AE5B-76104861E7DC\n', 'csv');
 * // { ok: true, file: { types: ['crm', 'maid'], rows: [{ row: 2, ids: [['crm', 'C-1'], ['maid', '6d92078a-...']] }], read: 1, ... } }
 * ```
 */
export function readLinkFile(text: string, format: LinkFileFormat): LinkFileResult {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lf = text.indexOf('\n', start);
  if (lf === -1) lf = text.length;
  const headerLine = stripCr(text.slice(start, lf));
  if (headerLine.trim() === '') {
    return {
      ok: false,
      error: `the file is empty or starts with a blank line: its first line is the header naming the ID types of its columns, e.g. ${EXAMPLE_HEADER}`,
    };
  }
  const names = splitFields(headerLine, format);
  if (names === undefined) return { ok: false, error: 'the header line has a broken quote' };
  const header = checkHeader(names.map((name) => name.trim()));
  if (!header.ok) return header;
  const { types } = header;
  const file: LinkFile = { types, rows: [], read: 0, tooFewIds: 0, rejected: 0, errors: [] };
  let row = 1;
  for (let pos = lf + 1; pos < text.length;) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const line = stripCr(text.slice(pos, end));
    pos = end + 1;
    row++;
    if (line.trim() === '') continue;
    file.read++;
    readRow(line, row, format, types, file);
  }
  return { ok: true, file };
}

/** Reads one data line into `file`: a good row, a row with too few IDs, or a rejection. */
function readRow(line: string, row: number, format: LinkFileFormat, types: string[], file: LinkFile): void {
  const cells = splitFields(line, format);
  if (cells === undefined)
    return reject(file, {
      row,
      column: '',
      error:
        'a quote is misplaced or never closed: quote a whole field ("..."), double a quote inside it ("") and close every quote',
    });
  if (cells.length !== types.length) {
    const sep = format === 'csv' ? 'comma' : 'tab';
    return reject(file, {
      row,
      column: '',
      error: `the row has ${cells.length} fields and the header ${types.length}: give every row one ${sep}-separated field per ID type, empty where the visitor has no ID of the type`,
    });
  }
  const ids: [string, string][] = [];
  for (let i = 0; i < types.length; i++) {
    const value = cells[i]!;
    if (value === '') continue;
    const type = types[i]!;
    const checked = checkId(type, value);
    if (!checked.ok) return reject(file, { row, column: type, error: checked.error });
    ids.push([type, checked.id]);
  }
  if (ids.length < 2) file.tooFewIds++;
  else file.rows.push({ row, ids });
}

function reject(file: LinkFile, error: LinkRowError): void {
  file.rejected++;
  if (file.errors.length < MAX_LISTED_LINK_ERRORS) file.errors.push(error);
}

/** The header's ID types, or why it cannot be taken (every type checked; the first error is told). */
function checkHeader(names: string[]): { ok: true; types: string[] } | { ok: false; error: string } {
  if (names.length < MIN_LINK_COLUMNS || names.length > MAX_LINK_COLUMNS) {
    return {
      ok: false,
      error: `the header names ${names.length} ID type${names.length === 1 ? '' : 's'}; a link file has ${MIN_LINK_COLUMNS} to ${MAX_LINK_COLUMNS} columns, one per ID type, e.g. ${EXAMPLE_HEADER}`,
    };
  }
  const seen = new Set<string>();
  for (const name of names) {
    const checked = checkIdType(name);
    if (!checked.ok) return { ok: false, error: `header: ${checked.error}` };
    if (CLEAR_PII_TYPES.has(name)) {
      const [hashed, how] =
        name === 'email' ? ['email_sha256', EMAIL_HASH_HOW] : ['phone_sha256', PHONE_HASH_HOW];
      return {
        ok: false,
        error: `header: the column ${name} would hold clear personal data, which is not kept; name it ${hashed} and send hashes: ${how}`,
      };
    }
    if (seen.has(name)) {
      return {
        ok: false,
        error: `header: the ID type ${name} is named twice; one column per type (a visitor with two IDs of a type takes two rows)`,
      };
    }
    seen.add(name);
  }
  return { ok: true, types: names };
}

/** The fields of one line: split at tabs, or at commas outside RFC 4180 quotes; undefined when a quote is broken. */
function splitFields(line: string, format: LinkFileFormat): string[] | undefined {
  if (format === 'tsv') return line.split('\t');
  return line.includes('"') ? splitCsvRecord(line) : line.split(',');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
