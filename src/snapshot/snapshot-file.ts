import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { PartToWrite, SnapshotPart } from '../profiles/profile-store.ts';
import { FilePartCursor } from './part-cursor.ts';

export type { SnapshotPart };

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

/** the first format: the header right after the prefix, then the parts */
const MAGIC_1 = Buffer.from('ODMPSNP1', 'latin1');
/** this format: the parts right after the prefix, then the header (so parts can be written as they come) */
const MAGIC = Buffer.from('ODMPSNP2', 'latin1');
const FORMAT = 2;
const ALIGN = 8;
/** magic, header position (u64), header length (u32), header crc32 (u32) */
const PREFIX_BYTES = MAGIC.length + 16;

/**
 * Writes a snapshot file at `path` (the caller renames it into place): a prefix (the magic, then where the
 * header lies, its length and crc32), every part's bytes, each starting at a multiple of 8, then a JSON
 * header (the manifest and where each part lies, with its own crc32). A streamed part is written a piece
 * at a time and never held whole. Synchronous and fsynced before it returns; returns the file's size.
 *
 * Example: `writeSnapshotFile('/data/snapshots/x.tmp', manifest, new Map([['t1', parts]]))`.
 */
export function writeSnapshotFile(
  path: string,
  manifest: SnapshotManifest,
  partsByTenant: ReadonlyMap<string, Iterable<PartToWrite>>,
): number {
  const entries: PartEntry[] = [];
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    for (const [tenant, parts] of partsByTenant) {
      for (const part of parts) {
        const pieces = 'bytes' in part ? [part.bytes] : part.pieces();
        let length = 0;
        let crc = 0;
        for (const piece of pieces) {
          writeAll(fd, piece, PREFIX_BYTES + offset + length);
          crc = crc32(piece, crc);
          length += piece.byteLength;
        }
        entries.push({ tenant, name: part.name, offset, length, crc });
        offset = alignUp(offset + length);
      }
    }
    const header = Buffer.from(JSON.stringify({ format: FORMAT, manifest, parts: entries }), 'utf8');
    const headerAt = PREFIX_BYTES + offset;
    writeAll(fd, header, headerAt);
    ftruncateSync(fd, headerAt + header.length);
    const prefix = Buffer.alloc(PREFIX_BYTES);
    MAGIC.copy(prefix, 0);
    prefix.writeBigUInt64LE(BigInt(headerAt), MAGIC.length);
    prefix.writeUInt32LE(header.length, MAGIC.length + 8);
    prefix.writeUInt32LE(crc32(header), MAGIC.length + 12);
    writeAll(fd, prefix, 0);
    fsyncSync(fd);
    return headerAt + header.length;
  } finally {
    closeSync(fd);
  }
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
 * Reads a snapshot file, checking every part's crc32: every part, or only those `want` names. Throws a
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
      const bytes = readPart(path, fd, size, dataStart, entry);
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

/**
 * One tenant's parts of a snapshot file, each read (and its crc32 checked) when its `bytes` are asked
 * for and let go when another part is read: a restore that copies each part where it belongs holds one
 * part at a time, not the whole snapshot (gigabytes at 10M profiles) beside what it builds. `bytes`
 * throws a `SnapshotFileError` naming a damaged part.
 *
 * Example: `store.restoreTenant('acme', partsOnDemand(path, 'acme'))`.
 */
export function partsOnDemand(path: string, tenant: string): SnapshotPart[] {
  const fd = openSync(path, 'r');
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(path, fd);
  } finally {
    closeSync(fd);
  }
  let last: { entry: PartEntry; bytes: Uint8Array } | undefined;
  const withFile = <T>(read: (fd: number, size: number) => T): T => {
    const fd = openSync(path, 'r');
    try {
      return read(fd, fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  };
  const bytesOf = (entry: PartEntry): Uint8Array => {
    if (last?.entry === entry) return last.bytes;
    last = undefined;
    const bytes = withFile((fd, size) => readPart(path, fd, size, header.dataStart, entry));
    last = { entry, bytes };
    return bytes;
  };
  return header.entries
    .filter((entry) => entry.tenant === tenant)
    .map((entry) => ({
      name: entry.name,
      get bytes() {
        return bytesOf(entry);
      },
      onDemand: {
        byteLength: entry.length,
        cursor: () =>
          new FilePartCursor(
            path,
            header.dataStart + entry.offset,
            entry.length,
            entry.crc,
            (reason) => new SnapshotFileError(path, `part ${entry.tenant}/${entry.name} ${reason}`),
          ),
      },
    }));
}

/** One part's bytes in their own 8-aligned buffer, its bounds and crc32 checked. */
function readPart(path: string, fd: number, size: number, dataStart: number, entry: PartEntry): Uint8Array {
  if (dataStart + entry.offset + entry.length > size)
    throw new SnapshotFileError(path, `part ${entry.tenant}/${entry.name} runs past the end of the file`);
  const bytes = new Uint8Array(new ArrayBuffer(alignUp(entry.length)), 0, entry.length);
  readAll(fd, bytes, dataStart + entry.offset);
  if (crc32(bytes) !== entry.crc)
    throw new SnapshotFileError(path, `part ${entry.tenant}/${entry.name} fails its checksum`);
  return bytes;
}

function readHeader(
  path: string,
  fd: number,
): { manifest: SnapshotManifest; entries: PartEntry[]; dataStart: number } {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  const got = readSync(fd, prefix, 0, prefix.length, 0);
  const magic = prefix.subarray(0, MAGIC.length);
  let headerAt: number;
  let length: number;
  let crc: number;
  let dataStart: number;
  if (got === PREFIX_BYTES && magic.equals(MAGIC)) {
    headerAt = Number(prefix.readBigUInt64LE(MAGIC.length));
    length = prefix.readUInt32LE(MAGIC.length + 8);
    crc = prefix.readUInt32LE(MAGIC.length + 12);
    dataStart = PREFIX_BYTES;
  } else if (got >= MAGIC_1.length + 8 && magic.equals(MAGIC_1)) {
    headerAt = MAGIC_1.length + 8;
    length = prefix.readUInt32LE(MAGIC_1.length);
    crc = prefix.readUInt32LE(MAGIC_1.length + 4);
    dataStart = alignUp(headerAt + length);
  } else throw new SnapshotFileError(path, 'not an opendmp snapshot (bad magic)');
  const header = Buffer.alloc(length);
  if (readSync(fd, header, 0, length, headerAt) !== length)
    throw new SnapshotFileError(path, 'the header is cut short');
  if (crc32(header) !== crc) throw new SnapshotFileError(path, 'the header fails its checksum');
  const parsed = JSON.parse(header.toString('utf8')) as {
    format: number;
    manifest: SnapshotManifest;
    parts: PartEntry[];
  };
  if (parsed.format !== FORMAT && parsed.format !== 1)
    throw new SnapshotFileError(
      path,
      `format ${parsed.format} is not one this version reads (1 or ${FORMAT})`,
    );
  return { manifest: parsed.manifest, entries: parsed.parts, dataStart };
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
