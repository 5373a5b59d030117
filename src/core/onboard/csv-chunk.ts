import type { ChunkBuilder } from './chunk-builder.ts';
import type { CsvColumns } from './csv-header.ts';

/** A quoted field may not run on for longer than this: past it, the quote is taken as never closed. */
export const MAX_RECORD_CHARS = 65_536;

/** Where parsing stopped: `consumed` chars of the text were whole records, `rows` of them. */
export interface CsvProgress {
  consumed: number;
  rows: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses the CSV records of `text` from `pos` into `sink`, numbering them from `firstRow`: the fast
 * path splits lines without quotes by `indexOf`; a line holding a quote goes through the RFC 4180 state
 * machine (quoted fields with commas, doubled quotes, newlines). Blank lines (empty, or spaces only:
 * a deleted visitor's row is blanked so) are counted as rows but ignored. Unless `final`, it stops
 * before a record that the text may not hold whole (the caller reads more and calls again). Never throws: a bad record becomes a rejected row and parsing goes on at the
 * next line.
 *
 * Example: `parseCsvRecords('c-1,iab_1|iab_2\n', 0, true, columns, 2, chunk)` -> `{ consumed: 16, rows: 1 }`.
 */
export function parseCsvRecords(
  text: string,
  pos: number,
  final: boolean,
  columns: CsvColumns,
  firstRow: number,
  sink: ChunkBuilder,
): CsvProgress {
  const fields = new Array<string>(columns.count).fill('');
  const bounds = new Int32Array(2 * columns.count);
  let row = firstRow;
  let nextQuote = text.indexOf('"', pos);
  const start = pos;
  const n = text.length;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) {
      if (!final) break;
      nl = n;
    }
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
    let lineEnd = nl;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    if (nextQuote === -1 || nextQuote >= lineEnd) {
      if (lineEnd > pos && !blank(text, pos, lineEnd))
        unquotedRecord(text, pos, lineEnd, columns, row, bounds, sink);
      pos = nl + 1;
      row++;
      continue;
    }
    const end = quotedRecord(text, pos, final, fields);
    if (end === INCOMPLETE) break;
    if (end < 0) {
      sink.rejectRow(row, columnName(columns, -end - 1), 'bad_quote');
      pos = nl + 1;
    } else {
      if (fields.length !== columns.count) sink.rejectRow(row, '', 'field_count', `${fields.length} fields`);
      else emit(columns, row, fields, sink);
      fields.length = columns.count;
      pos = end;
    }
    row++;
  }
  return { consumed: Math.min(pos, n) - start, rows: row - firstRow };
}

/** Whether a line holds only spaces (checked only when it starts with one, so rows pay nothing). */
function blank(text: string, pos: number, lineEnd: number): boolean {
  if (text.charCodeAt(pos) !== 32) return false;
  for (let i = pos + 1; i < lineEnd; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** The fast path: a line without quotes, its fields found by `indexOf`; only the ID (and type, time) are cut out. */
function unquotedRecord(
  text: string,
  pos: number,
  lineEnd: number,
  columns: CsvColumns,
  row: number,
  bounds: Int32Array,
  sink: ChunkBuilder,
): void {
  let f = 0;
  let from = pos;
  const count = columns.count;
  for (;;) {
    let comma = text.indexOf(',', from);
    if (comma === -1 || comma > lineEnd) comma = lineEnd;
    if (f < count) {
      bounds[2 * f] = from;
      bounds[2 * f + 1] = comma;
    }
    f++;
    if (comma === lineEnd) break;
    from = comma + 1;
  }
  if (f !== count) {
    sink.rejectRow(row, '', 'field_count', `${f} fields`);
    return;
  }
  const t = columns.traits;
  sink.csvRow(
    row,
    field(text, bounds, columns.idType),
    field(text, bounds, columns.id),
    text,
    bounds[2 * t] as number,
    bounds[2 * t + 1] as number,
    field(text, bounds, columns.ts),
  );
}

function field(text: string, bounds: Int32Array, column: number): string {
  return column === -1 ? '' : trimmed(text, bounds[2 * column] as number, bounds[2 * column + 1] as number);
}

function emit(columns: CsvColumns, row: number, fields: readonly string[], sink: ChunkBuilder): void {
  const traits = fields[columns.traits] as string;
  sink.csvRow(
    row,
    columns.idType === -1 ? '' : (fields[columns.idType] as string),
    fields[columns.id] as string,
    traits,
    0,
    traits.length,
    columns.ts === -1 ? '' : (fields[columns.ts] as string),
  );
}

function trimmed(text: string, from: number, to: number): string {
  if (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(to - 1) === 32)) {
    return text.slice(from, to).trim();
  }
  return text.slice(from, to);
}

function columnName(columns: CsvColumns, index: number): string {
  return columns.names[index] ?? '';
}

/** `quotedRecord` could not tell where the record ends: more text is needed. */
const INCOMPLETE = -1_000_000;

/**
 * Reads one record that holds a quote into `fields` (resized to the fields found) and returns the
 * position after it (past its newline). A misplaced or unclosed quote returns `-(field index + 1)`.
 */
function quotedRecord(text: string, pos: number, final: boolean, fields: string[]): number {
  const n = text.length;
  const limit = pos + MAX_RECORD_CHARS;
  let f = 0;
  let i = pos;
  for (;;) {
    let value: string;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      value = '';
      let from = j;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1 || q > limit) {
          if (!final && q === -1 && n < limit) return INCOMPLETE;
          return -(f + 1);
        }
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          j = q + 2;
          from = j;
          continue;
        }
        if (q + 1 >= n && !final) return INCOMPLETE;
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      const next = i < n ? text.charCodeAt(i) : LF;
      const afterCr = next === CR && (i + 1 >= n || text.charCodeAt(i + 1) === LF);
      if (next !== COMMA && next !== LF && !afterCr) return -(f + 1);
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF) break;
        if (c === QUOTE) return -(f + 1);
        j++;
      }
      let to = j;
      if (to > i && text.charCodeAt(to - 1) === CR && (to === n || text.charCodeAt(to) === LF)) to--;
      value = text.slice(i, to).trim();
      i = j;
    }
    fields[f++] = value;
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i >= n) {
      if (!final) return INCOMPLETE;
      fields.length = f;
      return n;
    }
    if (text.charCodeAt(i) === LF) {
      fields.length = f;
      return i + 1;
    }
    i++; // the comma
  }
}

/**
 * Splits one CSV record (a header) into its fields; `undefined` when its quotes are broken.
 * Example: `splitCsvRecord('id,"tr,aits"')` -> `['id', 'tr,aits']`.
 */
export function splitCsvRecord(line: string): string[] | undefined {
  const fields: string[] = [];
  const end = quotedRecord(line, 0, true, fields);
  return end < 0 ? undefined : fields;
}
