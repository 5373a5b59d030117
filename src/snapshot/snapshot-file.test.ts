import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { SnapshotManifest, SnapshotPart } from './snapshot-file.ts';
import {
  SnapshotFileError,
  readSnapshotFile,
  readSnapshotManifest,
  writeSnapshotFile,
} from './snapshot-file.ts';

const manifest = (seq: number, tenants: string[]): SnapshotManifest => ({
  seq,
  createdAt: 1_700_000_000_000,
  tenants: Object.fromEntries(tenants.map((t) => [t, { fingerprints: { '1': `rule|30|${t}` } }])),
});

test('a snapshot file gives back the manifest and every part byte for byte, aligned for typed arrays', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(
          fc.record({ name: fc.string({ maxLength: 12 }), bytes: fc.uint8Array({ maxLength: 300 }) }),
          {
            maxLength: 5,
          },
        ),
        { maxKeys: 4 },
      ),
      fc.nat(),
      async (byTenant, seq) => {
        const path = join(dir, 's.snap');
        const parts = new Map<string, SnapshotPart[]>(Object.entries(byTenant));
        writeSnapshotFile(path, manifest(seq, [...parts.keys()]), parts);
        assert.deepEqual(readSnapshotManifest(path), manifest(seq, [...parts.keys()]));
        const back = readSnapshotFile(path);
        assert.deepEqual(back.manifest, manifest(seq, [...parts.keys()]));
        for (const [tenant, written] of parts) {
          const read = back.tenants.get(tenant) ?? [];
          assert.deepEqual(
            read.map((p) => ({ name: p.name, bytes: [...p.bytes] })),
            written.map((p) => ({ name: p.name, bytes: [...p.bytes] })),
          );
          for (const part of read) assert.equal(part.bytes.byteOffset % 8, 0);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('a damaged snapshot is refused with the reason: magic, header, part checksum, cut short', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 's.snap');
  const parts = new Map([['acme', [{ name: 'columns', bytes: new Uint8Array(64).fill(7) }]]]);
  writeSnapshotFile(path, manifest(42, ['acme']), parts);
  const good = await readFile(path);

  const flipped = Buffer.from(good);
  flipped[flipped.length - 3]! ^= 0xff;
  await writeFile(path, flipped);
  assert.throws(() => readSnapshotFile(path), /part acme\/columns fails its checksum/);
  assert.equal(readSnapshotManifest(path).seq, 42, 'the manifest alone is still readable');

  await writeFile(path, good.subarray(0, good.length - 10));
  assert.throws(() => readSnapshotFile(path), /runs past the end of the file/);

  const header = Buffer.from(good);
  header[20]! ^= 0x01;
  await writeFile(path, header);
  assert.throws(() => readSnapshotManifest(path), /header fails its checksum/);

  await writeFile(path, Buffer.from('not a snapshot at all'));
  assert.throws(
    () => readSnapshotManifest(path),
    (e: unknown) => e instanceof SnapshotFileError && /bad magic/.test(e.message),
  );
});
