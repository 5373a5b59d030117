import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import type { PartToWrite } from '../profiles/profile-store.ts';
import { cursorOf } from '../profiles/snapshot-parts.ts';
import { FilePartCursor } from './part-cursor.ts';
import type { SnapshotManifest } from './snapshot-file.ts';
import {
  SnapshotFileError,
  partsOnDemand,
  readSnapshotFile,
  readSnapshotManifest,
  writeSnapshotFile,
} from './snapshot-file.ts';

const manifest = (seq: number, tenants: string[]): SnapshotManifest => ({
  seq,
  createdAt: 1_700_000_000_000,
  tenants: Object.fromEntries(tenants.map((t) => [t, { fingerprints: { '1': `rule|30|${t}` } }])),
});

/** The part written a piece at a time, every piece in the same reused buffer (as `serializeAll` does). */
function streamed(name: string, bytes: Uint8Array, cuts: readonly number[]): PartToWrite {
  return {
    name,
    *pieces() {
      const buffer = new Uint8Array(bytes.length);
      let from = 0;
      for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
        buffer.set(bytes.subarray(from, cut));
        yield buffer.subarray(0, cut - from);
        buffer.fill(0xee);
        from = cut;
      }
    },
  };
}

test('a snapshot file gives back the manifest and every part byte for byte, whole or streamed, aligned for typed arrays', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(
          fc.record({
            name: fc.string({ maxLength: 12 }),
            bytes: fc.uint8Array({ maxLength: 300 }),
            cuts: fc.option(fc.array(fc.nat(), { maxLength: 4 })),
          }),
          { maxLength: 5 },
        ),
        { maxKeys: 4 },
      ),
      fc.nat(),
      async (byTenant, seq) => {
        const path = join(dir, 's.snap');
        const parts = new Map<string, PartToWrite[]>(
          Object.entries(byTenant).map(([tenant, list]) => [
            tenant,
            list.map((p) => (p.cuts === null ? p : streamed(p.name, p.bytes, p.cuts))),
          ]),
        );
        writeSnapshotFile(path, manifest(seq, [...parts.keys()]), parts);
        assert.deepEqual(readSnapshotManifest(path), manifest(seq, [...parts.keys()]));
        const back = readSnapshotFile(path);
        assert.deepEqual(back.manifest, manifest(seq, [...parts.keys()]));
        for (const [tenant, written] of Object.entries(byTenant)) {
          const expected = written.map((p) => ({ name: p.name, bytes: [...p.bytes] }));
          const read = back.tenants.get(tenant) ?? [];
          assert.deepEqual(
            read.map((p) => ({ name: p.name, bytes: [...p.bytes] })),
            expected,
          );
          for (const part of read) assert.equal(part.bytes.byteOffset % 8, 0);
          // on demand, in reverse order and each twice: the same bytes
          const lazy = partsOnDemand(path, tenant);
          const backwards = [...lazy].reverse().map((p) => ({ name: p.name, bytes: [...p.bytes] }));
          assert.deepEqual(backwards.reverse(), expected);
          assert.deepEqual(
            lazy.map((p) => ({ name: p.name, bytes: [...p.bytes] })),
            expected,
          );
          const pieces = lazy.map((p) => {
            const cursor = cursorOf(p);
            try {
              const length = p.onDemand?.byteLength ?? -1;
              const bytes = [...cursor.take(length >> 1), ...cursor.take(length - (length >> 1))];
              cursor.finish();
              return { name: p.name, bytes };
            } finally {
              cursor.close();
            }
          });
          assert.deepEqual(pieces, expected, 'read by a cursor');
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('a snapshot of the first format (header before the parts) is still read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'old.snap');
  const bytes = Buffer.from('eight by');
  const header = Buffer.from(
    JSON.stringify({
      format: 1,
      manifest: manifest(7, ['acme']),
      parts: [{ tenant: 'acme', name: 'columns', offset: 0, length: 8, crc: crc32(bytes) }],
    }),
  );
  const prefix = Buffer.alloc(16);
  prefix.write('ODMPSNP1', 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  prefix.writeUInt32LE(crc32(header), 12);
  const pad = Buffer.alloc((8 - ((16 + header.length) % 8)) % 8);
  await writeFile(path, Buffer.concat([prefix, header, pad, bytes]));
  const back = readSnapshotFile(path);
  assert.equal(back.manifest.seq, 7);
  assert.equal(Buffer.from(back.tenants.get('acme')?.[0]?.bytes ?? []).toString(), 'eight by');
});

test('a damaged snapshot is refused with the reason: magic, header, part checksum, cut short', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 's.snap');
  const parts = new Map([['acme', [{ name: 'columns', bytes: new Uint8Array(64).fill(7) }]]]);
  writeSnapshotFile(path, manifest(42, ['acme']), parts);
  const good = await readFile(path);

  const flipped = Buffer.from(good);
  flipped[24 + 3]! ^= 0xff; // the first part's bytes start right after the 24-byte prefix
  await writeFile(path, flipped);
  assert.throws(() => readSnapshotFile(path), /part acme\/columns fails its checksum/);
  assert.throws(() => partsOnDemand(path, 'acme')[0]?.bytes, /part acme\/columns fails its checksum/);
  const cursor = cursorOf(partsOnDemand(path, 'acme')[0]!);
  assert.equal(cursor.take(64).length, 64, 'a cursor gives the bytes as they come');
  assert.throws(() => cursor.finish(), /part acme\/columns fails its checksum/);
  cursor.close();
  assert.equal(readSnapshotManifest(path).seq, 42, 'the manifest alone is still readable');

  assert.throws(
    () => new FilePartCursor(path, 24, good.length, 0, (reason) => new Error(`part ${reason}`)),
    /part runs past the end of the file/,
  );

  await writeFile(path, good.subarray(0, good.length - 10));
  assert.throws(() => readSnapshotManifest(path), /the header is cut short/);

  const header = Buffer.from(good);
  header[header.length - 3]! ^= 0x01; // the header is at the end
  await writeFile(path, header);
  assert.throws(() => readSnapshotManifest(path), /header fails its checksum/);

  await writeFile(path, Buffer.from('not a snapshot at all'));
  assert.throws(
    () => readSnapshotManifest(path),
    (e: unknown) => e instanceof SnapshotFileError && /bad magic/.test(e.message),
  );
});
