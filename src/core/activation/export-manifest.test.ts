import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportFileNames, exportManifest } from './export-manifest.ts';

void describe('exportFileNames', () => {
  void it('names the parts, the manifest and the marker under CODE/RUN', () => {
    assert.deepEqual(exportFileNames('ttd', '2025-11-20T10:00', 2, 'ndjson'), {
      files: ['ttd/2025-11-20T10_00/part-00000.ndjson.gz', 'ttd/2025-11-20T10_00/part-00001.ndjson.gz'],
      manifest: 'ttd/2025-11-20T10_00/manifest.json',
      marker: 'ttd/2025-11-20T10_00/_SUCCESS',
    });
    assert.equal(exportFileNames('ttd', '../../etc', 0, 'csv').manifest, 'ttd/_._.._etc/manifest.json');
    assert.equal(exportFileNames('ttd', '..', 0, 'csv').marker, 'ttd/_./_SUCCESS');
  });
});

void describe('exportManifest', () => {
  void it('lists the files with their rows, totals them, and dates it from now', () => {
    const manifest = exportManifest({
      destination: 'ttd',
      runId: 'r1',
      mode: 'delta',
      format: 'csv',
      columns: ['uid', 'segs'],
      files: [
        { name: 'ttd/r1/part-00000.csv.gz', rows: 1000, bytes: 18211, sha256: 'ab'.repeat(32) },
        { name: 'ttd/r1/part-00001.csv.gz', rows: 12 },
      ],
      now: 1763632800000,
    });
    assert.deepEqual(manifest, {
      version: 1,
      destination: 'ttd',
      runId: 'r1',
      mode: 'delta',
      format: 'csv',
      compression: 'gzip',
      createdAt: '2025-11-20T10:00:00.000Z',
      columns: ['uid', 'segs'],
      files: [
        { name: 'ttd/r1/part-00000.csv.gz', rows: 1000, bytes: 18211, sha256: 'ab'.repeat(32) },
        { name: 'ttd/r1/part-00001.csv.gz', rows: 12 },
      ],
      totalRows: 1012,
      completionMarker: 'ttd/r1/_SUCCESS',
    });
  });
});
