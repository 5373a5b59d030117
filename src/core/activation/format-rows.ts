import type { ExportColumn, ExportFormat } from './destination.ts';

/**
 * One member in an export or push: its ID, the segments it is in (our codes and the destination's
 * IDs), whether it was added or removed (delta exports) and when.
 *
 * Example: `{ id: 'c-123', idType: 'uid', segments: ['sports_fans'], segmentIds: ['483'], action: 'add',
 *   timestamp: 1763632800000 }`
 */
export interface ExportRow {
  id: string;
  idType?: string;
  segments?: readonly string[];
  segmentIds?: readonly string[];
  action?: 'add' | 'remove';
  /** epoch milliseconds, written as ISO 8601 UTC */
  timestamp?: number;
}

/**
 * How rows are written: CSV (RFC 4180 quoting) or NDJSON, in the partner's columns.
 *
 * Example: `{ format: 'csv', columns: [{ name: 'uid', from: 'id' }], header: true }`
 */
export interface RowFormat {
  format: ExportFormat;
  columns: readonly ExportColumn[];
  /** CSV only: write the column names first (default true; false for the second file onwards of a stream) */
  header?: boolean;
  /** CSV only: the line ending (default `\n`; RFC 4180 says `\r\n`) */
  newline?: '\n' | '\r\n';
}

type Cell = string | readonly string[] | null;

function cellOf(row: ExportRow, column: ExportColumn): Cell {
  switch (column.from) {
    case 'id':
      return row.id;
    case 'id_type':
      return row.idType ?? null;
    case 'segments':
      return row.segments ?? [];
    case 'segment_ids':
      return row.segmentIds ?? [];
    case 'action':
      return row.action ?? null;
    case 'timestamp':
      return row.timestamp === undefined ? null : new Date(row.timestamp).toISOString();
    case 'constant':
      return column.value ?? '';
  }
}

/**
 * One CSV field, quoted (with quotes doubled) when it holds a comma, a quote, a line break, or space at
 * either end (RFC 4180, section 2).
 *
 * Example: `csvField('say "hi", twice')` -> `'"say ""hi"", twice"'`
 */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvCell(cell: Cell, column: ExportColumn): string {
  if (cell === null) return '';
  return csvField(typeof cell === 'string' ? cell : cell.join(column.separator ?? '|'));
}

/**
 * Rows written in the template's columns, each line ended (so chunks concatenate). In CSV, lists are
 * joined by the column's `separator` (default `|`) and a missing value is an empty field; in NDJSON,
 * lists are arrays and a missing value is `null`.
 *
 * Example:
 * ```ts
 * formatRows([{ id: 'c-1', segmentIds: ['483', '512'], action: 'add' }], { format: 'csv',
 *   columns: [{ name: 'uid', from: 'id' }, { name: 'segs', from: 'segment_ids', separator: ',' }] });
 * // 'uid,segs\nc-1,"483,512"\n'
 * ```
 */
export function formatRows(rows: readonly ExportRow[], format: RowFormat): string {
  const { columns } = format;
  if (format.format === 'ndjson') {
    let out = '';
    for (const row of rows) {
      const object: Record<string, Cell> = {};
      for (const column of columns) object[column.name] = cellOf(row, column);
      out += `${JSON.stringify(object)}\n`;
    }
    return out;
  }
  const newline = format.newline ?? '\n';
  const lines: string[] = [];
  if (format.header ?? true) lines.push(columns.map((c) => csvField(c.name)).join(','));
  for (const row of rows) lines.push(columns.map((c) => csvCell(cellOf(row, c), c)).join(','));
  return lines.length === 0 ? '' : lines.join(newline) + newline;
}
