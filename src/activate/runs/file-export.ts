import { createHash } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ExportRow, FileSettings, ManifestFile } from '../../core/activation/index.ts';
import { exportFileNames, exportManifest, formatRows, splitBatches } from '../../core/activation/index.ts';
import { syncDir, writeFileAtomic } from '../../files/atomic-file.ts';
import type { MemberChange } from './plan-changes.ts';

const gzipAsync = promisify(gzip);

/**
 * One file export to write. Example: `{ root: '/data/exports/t1', destination: 'ttd', idType: 'uid',
 *   settings, runId: 'r1', mode: 'delta', changes, timestamp: 1763632800000 }`
 */
export interface FileExportInput {
  /** `<dataDir>/exports/<tenant>` */
  root: string;
  destination: string;
  idType: string;
  settings: FileSettings;
  runId: string;
  mode: 'full' | 'delta';
  changes: readonly MemberChange[];
  /** the run's start (epoch ms): the rows' `timestamp` and the manifest's `createdAt`, so re-runs match */
  timestamp: number;
  signal?: AbortSignal;
}

/** What was written, names relative to `root`. Example: `{ files: [...], manifest: 'ttd/r1/manifest.json', marker: 'ttd/r1/_SUCCESS', rows: 2 }` */
export interface FileExportResult {
  files: ManifestFile[];
  manifest: string;
  marker: string;
  rows: number;
}

/**
 * Writes a run's export under `root/<destination>/<runId>/`: the completion marker is removed first,
 * then the gzipped parts (`settings.batchSize` rows each, at least one part; CSV parts each with the
 * header), leftovers of an earlier attempt are removed, then the manifest (bytes and SHA-256 of each part)
 * and last the marker. Every file is written atomically; the same input gives the same bytes, so a
 * re-run of a run ID rewrites the same files.
 *
 * Example: `const { files } = await writeFileExport({ root, destination: 'ttd', ... });`
 */
export async function writeFileExport(input: FileExportInput): Promise<FileExportResult> {
  const { settings } = input;
  const rows: ExportRow[] = input.changes.map((change) =>
    change.action === 'add'
      ? {
          id: change.id,
          idType: input.idType,
          segments: change.member.segments,
          segmentIds: change.member.segmentIds,
          action: 'add',
          timestamp: input.timestamp,
        }
      : { id: change.id, idType: input.idType, action: 'remove', timestamp: input.timestamp },
  );
  const parts = rows.length === 0 ? [[]] : splitBatches(rows, settings.batchSize);
  const names = exportFileNames(input.destination, input.runId, parts.length, settings.format);
  const dir = join(input.root, dirname(names.marker));
  await mkdir(dir, { recursive: true });
  await rm(join(input.root, names.marker), { force: true });
  await syncDir(dir);

  const files: ManifestFile[] = [];
  for (const [i, part] of parts.entries()) {
    const name = names.files[i] as string;
    const text = formatRows(part, { format: settings.format, columns: settings.columns });
    const bytes = await gzipAsync(text);
    await writeFileAtomic(join(input.root, name), bytes);
    files.push({
      name,
      rows: part.length,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    await yieldToEvents();
    input.signal?.throwIfAborted();
  }
  const keep = new Set([...names.files, names.manifest].map((n) => basename(n)));
  for (const entry of await readdir(dir)) {
    if (!keep.has(entry)) await rm(join(dir, entry), { force: true });
  }
  const manifest = exportManifest({
    destination: input.destination,
    runId: input.runId,
    mode: input.mode,
    format: settings.format,
    columns: settings.columns.map((c) => c.name),
    files,
    now: input.timestamp,
  });
  await writeFileAtomic(join(input.root, names.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFileAtomic(join(input.root, names.marker), '');
  return { files, manifest: names.manifest, marker: names.marker, rows: rows.length };
}
