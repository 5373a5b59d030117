import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** A named run of bytes in a snapshot (a typed-array column, a JSON table, ...). */
export interface SnapshotPart {
  name: string;
  bytes: Uint8Array;
}

/** What a snapshot holds besides its parts: read first, so a reader can decide whether to use it. */
export interface SnapshotManifest {
  /** every log record with a sequence number up to this one is in the snapshot, none after it */
  seq: number;
  /** epoch ms when it was written */
  createdAt: number;
  /** per tenant: what its state depends on besides the log (see trait-fingerprints.ts) */
  tenants: Record<string, { fingerprints: Record<string, string> }>;
}

interface PartEntry {
  tenant: string;
  name: string;
  offset: number;
  length: number;
  crc: number;
}

const MAGIC = Buffer.from('ODMPSNP1', 'latin1');
const FORMAT = 1;
const ALIGN = 8;

/**
 * Writes a snapshot file at `path` (the caller renames it into place): the magic, a u32 length and u32
 * crc32 of a JSON header (the manifest and where each part lies, with its own crc32), then every part's
 * bytes, each starting at a multiple of 8. Synchronous and fsynced before it returns.
 *
 * Example: `writeSnapshotFile('/data/snapshots/x.tmp', manifest, new Map([['t1', parts]]))`.
 */
export function writeSnapshotFile(
  path: string,
  manifest: SnapshotManifest,
  partsByTenant: ReadonlyMap<string, readonly SnapshotPart[]>,
): number {
  const entries: PartEntry[] = [];
  const ordered: Uint8Array[] = [];
  let offset = 0;
  for (const [tenant, parts] of partsByTenant) {
    for (const part of parts) {
      entries.push({
        tenant,
        name: part.name,
        offset,
        length: part.bytes.byteLength,
        crc: crc32(part.bytes),
      });
      ordered.push(part.bytes);
      offset = alignUp(offset + part.bytes.byteLength);
    }
  }
  const header = Buffer.from(JSON.stringify({ format: FORMAT, manifest, parts: entries }), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 8);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(header.length, MAGIC.length);
  prefix.writeUInt32LE(crc32(header), MAGIC.length + 4);
  const dataStart = alignUp(prefix.length + header.length);

  const fd = openSync(path, 'w');
  try {
    let position = 0;
    position += writeAll(fd, prefix, position);
    position += writeAll(fd, header, position);
    for (let i = 0; i < ordered.length; i++) {
      const bytes = ordered[i]!;
      position = dataStart + entries[i]!.offset;
      writeAll(fd, bytes, position);
    }
    // the file ends where the last (aligned) part ends, even when that part is empty
    ftruncateSync(fd, dataStart + offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return dataStart + offset;
}

/** A snapshot read back: its manifest and each tenant's parts (each in its own 8-aligned buffer). */
export interface SnapshotContents {
  manifest: SnapshotManifest;
  tenants: Map<string, SnapshotPart[]>;
}

/** Why a snapshot file cannot be used. */
export class SnapshotFileError extends Error {
  constructor(path: string, reason: string) {
    super(`snapshot ${path} cannot be used: ${reason}`);
    this.name = 'SnapshotFileError';
  }
}

/**
 * Reads only the manifest of a snapshot file (cheap), checking the magic and the header's crc32.
 * Throws a `SnapshotFileError` saying what is wrong.
 */
export function readSnapshotManifest(path: string): SnapshotManifest {
  const fd = openSync(path, 'r');
  try {
    return readHeader(path, fd).manifest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a snapshot file, checking every part's crc32: every part, or only those `want` names (so a big
 * snapshot can be restored a piece at a time, each piece freed before the next is read). Throws a
 * `SnapshotFileError` naming the first damaged part, so the caller can fall back to an older snapshot or
 * the log.
 */
export function readSnapshotFile(
  path: string,
  want: (tenant: string, name: string) => boolean = () => true,
): SnapshotContents {
  const fd = openSync(path, 'r');
  try {
    const { manifest, entries, dataStart } = readHeader(path, fd);
    const size = fstatSync(fd).size;
    const tenants = new Map<string, SnapshotPart[]>();
    for (const entry of entries) {
      if (!want(entry.tenant, entry.name)) continue;
      if (dataStart + entry.offset + entry.length > size)
        throw new SnapshotFileError(path, `part ${entry.tenant}/${entry.name} runs past the end of the file`);
      const bytes = new Uint8Array(new ArrayBuffer(alignUp(entry.length)), 0, entry.length);
      readAll(fd, bytes, dataStart + entry.offset);
      if (crc32(bytes) !== entry.crc)
        throw new SnapshotFileError(path, `part ${entry.tenant}/${entry.name} fails its checksum`);
      let parts = tenants.get(entry.tenant);
      if (parts === undefined) tenants.set(entry.tenant, (parts = []));
      parts.push({ name: entry.name, bytes });
    }
    for (const tenant of Object.keys(manifest.tenants)) if (!tenants.has(tenant)) tenants.set(tenant, []);
    return { manifest, tenants };
  } finally {
    closeSync(fd);
  }
}

function readHeader(
  path: string,
  fd: number,
): { manifest: SnapshotManifest; entries: PartEntry[]; dataStart: number } {
  const prefix = Buffer.alloc(MAGIC.length + 8);
  if (readSync(fd, prefix, 0, prefix.length, 0) !== prefix.length || !prefix.subarray(0, 8).equals(MAGIC))
    throw new SnapshotFileError(path, 'not an opendmp snapshot (bad magic)');
  const length = prefix.readUInt32LE(MAGIC.length);
  const header = Buffer.alloc(length);
  if (readSync(fd, header, 0, length, prefix.length) !== length)
    throw new SnapshotFileError(path, 'the header is cut short');
  if (crc32(header) !== prefix.readUInt32LE(MAGIC.length + 4))
    throw new SnapshotFileError(path, 'the header fails its checksum');
  const parsed = JSON.parse(header.toString('utf8')) as {
    format: number;
    manifest: SnapshotManifest;
    parts: PartEntry[];
  };
  if (parsed.format !== FORMAT)
    throw new SnapshotFileError(path, `format ${parsed.format} is not the ${FORMAT} this version reads`);
  return { manifest: parsed.manifest, entries: parsed.parts, dataStart: alignUp(prefix.length + length) };
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function writeAll(fd: number, bytes: Uint8Array, position: number): number {
  let done = 0;
  while (done < bytes.byteLength) {
    // chunks under 1 GiB: a single write of more is refused on some systems
    const length = Math.min(bytes.byteLength - done, 1 << 30);
    done += writeSync(fd, bytes, done, length, position + done);
  }
  return done;
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    const length = Math.min(bytes.byteLength - done, 1 << 30);
    const n = readSync(fd, bytes, done, length, position + done);
    if (n === 0) throw new Error(`unexpected end of file at ${position + done}`);
    done += n;
  }
}
