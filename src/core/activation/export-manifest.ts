import type { ExportFormat } from './destination.ts';

/**
 * The names of a file export's parts, under `CODE/RUN/`: the gzipped data files, the manifest, and the
 * completion marker written last (a partner reads nothing before it exists). Characters of the run ID
 * outside `[A-Za-z0-9._-]`, and a leading dot, become `_`.
 *
 * Example: `exportFileNames('ttd', 'r1', 2, 'csv')` -> `{ files: ['ttd/r1/part-00000.csv.gz',
 *   'ttd/r1/part-00001.csv.gz'], manifest: 'ttd/r1/manifest.json', marker: 'ttd/r1/_SUCCESS' }`
 */
export function exportFileNames(
  destinationCode: string,
  runId: string,
  fileCount: number,
  format: ExportFormat,
): { files: string[]; manifest: string; marker: string } {
  // no separators, and no leading dot: `..` must not climb out of the destination's folder
  const dir = `${destinationCode}/${runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_')}`;
  const files = Array.from(
    { length: fileCount },
    (_, i) => `${dir}/part-${String(i).padStart(5, '0')}.${format}.gz`,
  );
  return { files, manifest: `${dir}/manifest.json`, marker: `${dir}/_SUCCESS` };
}

/** Example: `{ name: 'ttd/r1/part-00000.csv.gz', rows: 1000, bytes: 18211, sha256: '9f86d0…' }` */
export interface ManifestFile {
  name: string;
  rows: number;
  /** of the gzipped file, filled in by the caller that wrote it */
  bytes?: number;
  /** hex SHA-256 of the gzipped file, filled in by the caller that wrote it */
  sha256?: string;
}

/**
 * What a file export holds, written beside its files.
 *
 * Example: `{ version: 1, destination: 'ttd', runId: 'r1', mode: 'delta', format: 'csv',
 *   compression: 'gzip', createdAt: '2025-11-20T10:00:00.000Z', columns: ['uid', 'segs'],
 *   files: [...], totalRows: 1000, completionMarker: 'ttd/r1/_SUCCESS' }`
 */
export interface ExportManifest {
  version: 1;
  destination: string;
  runId: string;
  mode: 'full' | 'delta';
  format: ExportFormat;
  compression: 'gzip';
  createdAt: string;
  columns: string[];
  files: ManifestFile[];
  totalRows: number;
  completionMarker: string;
}

/**
 * A manifest for the files of a run; `now` is epoch milliseconds, passed in.
 *
 * Example: `exportManifest({ destination: 'ttd', runId: 'r1', mode: 'full', format: 'csv',
 *   columns: ['uid'], files: [{ name: 'ttd/r1/part-00000.csv.gz', rows: 2 }], now: 0 }).totalRows` -> 2
 */
export function exportManifest(input: {
  destination: string;
  runId: string;
  mode: 'full' | 'delta';
  format: ExportFormat;
  columns: readonly string[];
  files: readonly ManifestFile[];
  now: number;
}): ExportManifest {
  const names = exportFileNames(input.destination, input.runId, 0, input.format);
  return {
    version: 1,
    destination: input.destination,
    runId: input.runId,
    mode: input.mode,
    format: input.format,
    compression: 'gzip',
    createdAt: new Date(input.now).toISOString(),
    columns: [...input.columns],
    files: input.files.map((f) => ({ ...f })),
    totalRows: input.files.reduce((sum, f) => sum + f.rows, 0),
    completionMarker: names.marker,
  };
}
