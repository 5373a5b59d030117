import type { ChunkBuilder } from './chunk-builder.ts';
import type { CsvProgress } from './csv-chunk.ts';

/**
 * Parses the NDJSON lines of `text` from `pos` into `sink`, numbering them from `firstRow` (the first
 * line of the file is row 1). Blank lines are counted but ignored; a line that is not JSON becomes a
 * rejected row. Unless `final`, it stops before a line with no newline after it. Never throws.
 *
 * Example: `parseNdjsonRecords('{"id":"c-1","traits":["iab_1"]}\n', 0, true, 1, chunk)` -> `{ consumed: 32, rows: 1 }`.
 */
export function parseNdjsonRecords(
  text: string,
  pos: number,
  final: boolean,
  firstRow: number,
  sink: ChunkBuilder,
): CsvProgress {
  const start = pos;
  let row = firstRow;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) {
      if (!final) break;
      nl = text.length;
    }
    const line = text.slice(pos, nl).trim();
    if (line !== '') {
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(line);
      } catch {
        parsed = false;
      }
      if (parsed) sink.jsonRow(row, value);
      else sink.rejectRow(row, '', 'bad_json', line);
    }
    pos = nl + 1;
    row++;
  }
  return { consumed: Math.min(pos, text.length) - start, rows: row - firstRow };
}
