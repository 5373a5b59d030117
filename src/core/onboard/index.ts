/**
 * File onboarding, pure part: the log record, row checks, the CSV and NDJSON parsers and the compact
 * row text. Example: `import { ChunkBuilder, parseCsvRecords } from '../core/onboard/index.ts';`
 */
export type { ChunkStats, OnboardMode, OnboardRecord } from './onboard-record.ts';
export type { RowError, RowReason } from './row-error.ts';
export { ROW_REASONS, rowError } from './row-error.ts';
export type { OnboardRows } from './onboard-rows.ts';
export { RowsBuilder, decodeRows, encodeRows, filterRows, splitRows } from './onboard-rows.ts';
export type { ChunkContext } from './chunk-builder.ts';
export { ChunkBuilder, MAX_REPORTED_ERRORS, parseTime } from './chunk-builder.ts';
export type { CsvColumns } from './csv-header.ts';
export { csvColumns } from './csv-header.ts';
export type { CsvProgress } from './csv-chunk.ts';
export { MAX_RECORD_CHARS, parseCsvRecords, splitCsvRecord } from './csv-chunk.ts';
export { parseNdjsonRecords } from './ndjson-chunk.ts';
export { CodeTable } from './code-table.ts';
