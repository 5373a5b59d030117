import type { SnapshotPart } from './profile-store.ts';
import { columnPart, integer, type SnapshotReader } from './snapshot-parts.ts';

/** no block / end of a free list */
export const NONE = 0xffffffff;
/** an address is `chunk * CHUNK_STRIDE + offset / 8` */
const CHUNK_STRIDE = 2 ** 27;
const OFFSET_MASK = CHUNK_STRIDE - 1;
const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 2 ** 30;
const MAX_CHUNKS = 32;

/**
 * The block sizes, by class: 16, 24, then four steps a doubling (32, 40, 48, 56, 64, 80, 96, 112, 128,
 * 160 ...) up to 1 GB, every size a multiple of 8, so a block is on average about 90% full (75% with
 * powers of two).
 */
export const CLASS_SIZES: readonly number[] = (() => {
  const sizes: number[] = [16, 24];
  for (let size = 32; size <= MAX_CHUNK; size *= 2) {
    for (let step = 0; step < 4 && size + (step * size) / 4 <= MAX_CHUNK; step++)
      sizes.push(size + (step * size) / 4);
  }
  return sizes;
})();

/** The smallest class (index into CLASS_SIZES) of at least `bytes`. */
export function classFor(bytes: number): number {
  for (let k = 0; k < CLASS_SIZES.length; k++) if ((CLASS_SIZES[k] ?? 0) >= bytes) return k;
  throw new RangeError(`realisation arena: a block of ${bytes} bytes is larger than a chunk`);
}

/** The byte offset of a block in its chunk. */
export function offsetOf(block: number): number {
  return (block & OFFSET_MASK) * 8;
}

/** The per-owner columns a compaction reads and rewrites: block address, class + 1 (0: none), bytes used. */
export interface BlockOwners {
  readonly addr: Uint32Array;
  readonly cls: Uint8Array;
  readonly used: Uint32Array;
}

/**
 * The byte blocks of the realisation arena (`realisation-arena.ts`): a few large `Uint8Array` chunks
 * (the first `firstChunk` bytes, each next twice the last, up to 1 GB, at most 32), blocks 8-byte
 * aligned in size classes (`CLASS_SIZES`), a free list per class threaded through the free blocks' first
 * 4 bytes, and compaction: before a new chunk is taken, when the free blocks hold a fifth of the bytes
 * handed out, every owner's block slides down (owners grow in lockstep and leave freed blocks too small
 * for anyone). The owners' columns are read through `owners()`, as they are replaced when they grow.
 *
 * Example: `const heap = new BlockHeap(64 * 1024, () => columns); const b = heap.allocate(classFor(40));`
 */
export class BlockHeap {
  chunks: Uint8Array[] = [];
  chunkUsed: number[] = [];
  free: number[] = CLASS_SIZES.map(() => NONE);
  /** the bytes of the blocks on the free lists */
  freeTotal = 0;

  /** `name` prefixes the snapshot parts (`realisations.chunk.0`) and errors. */
  constructor(
    readonly firstChunk: number = FIRST_CHUNK,
    private readonly owners: () => BlockOwners,
    readonly name = 'realisations',
  ) {}

  /**
   * How many bytes of the chunks are handed out as blocks, free ones included (free blocks are reused
   * first, and compacted away before a new chunk is taken when they are a fifth of these).
   */
  bytesUsed(): number {
    let n = 0;
    for (const u of this.chunkUsed) n += u;
    return n;
  }

  /** The bytes of the chunks, handed out or not. */
  chunkBytes(): number {
    let n = 0;
    for (const chunk of this.chunks) n += chunk.byteLength;
    return n;
  }

  /** What a snapshot needs besides the chunks' bytes. */
  meta(): {
    chunkSizes: number[];
    chunkUsed: number[];
    free: number[];
    freeBytes: number;
    firstChunk: number;
  } {
    return {
      chunkSizes: this.chunks.map((c) => c.length),
      chunkUsed: this.chunkUsed,
      free: this.free,
      freeBytes: this.freeTotal,
      firstChunk: this.firstChunk,
    };
  }

  /** Each chunk's handed-out bytes, as parts `NAME.chunk.N` (views). */
  parts(): SnapshotPart[] {
    return this.chunks.map((chunk, i) =>
      columnPart(`${this.name}.chunk.${i}`, chunk, this.chunkUsed[i] ?? 0),
    );
  }

  /** The heap of `meta()` and `parts()`; throws naming what is wrong. */
  static restore(
    reader: SnapshotReader,
    meta: Record<string, unknown>,
    owners: () => BlockOwners,
    name = 'realisations',
  ): BlockHeap {
    const heap = new BlockHeap(integer(meta.firstChunk, `${name} firstChunk`, 16), owners, name);
    const list = (value: unknown, what: string, length?: number): number[] => {
      if (!Array.isArray(value) || (length !== undefined && value.length !== length))
        throw new Error(`snapshot ${name} ${what}: not a list of the right length`);
      return value.map((v) => integer(v, `${name} ${what}`));
    };
    const chunkSizes = list(meta.chunkSizes, 'chunkSizes');
    if (chunkSizes.length > MAX_CHUNKS) throw new Error(`snapshot ${name} chunkSizes: too many chunks`);
    heap.chunkUsed = list(meta.chunkUsed, 'chunkUsed', chunkSizes.length);
    heap.free = list(meta.free, 'free', CLASS_SIZES.length);
    heap.freeTotal = integer(meta.freeBytes, `${name} freeBytes`);
    heap.chunks = chunkSizes.map((size, i) => {
      if (size > MAX_CHUNK) throw new Error(`snapshot ${name} chunk ${i}: too large`);
      return reader.column(`${name}.chunk.${i}`, Uint8Array, heap.chunkUsed[i] ?? 0, size);
    });
    return heap;
  }

  /**
   * A block of class `k`: from its free list, else from the end of the last chunk, else (after a
   * compaction, when the free lists hold a fifth of the bytes handed out) a new chunk.
   */
  allocate(k: number): number {
    const head = this.free[k] ?? NONE;
    if (head !== NONE) return this.pop(k, head);
    const size = CLASS_SIZES[k] ?? 0;
    let c = this.chunks.length - 1;
    if (c >= 0 && (this.chunkUsed[c] ?? 0) + size > (this.chunks[c]?.length ?? 0)) {
      if (this.freeTotal * 5 >= this.bytesUsed()) {
        this.compact();
        c = this.chunks.length - 1;
      }
    }
    if (c < 0 || (this.chunkUsed[c] ?? 0) + size > (this.chunks[c]?.length ?? 0)) {
      if (c >= 0) {
        this.freeTail(c);
        const tail = this.free[k] ?? NONE;
        if (tail !== NONE) return this.pop(k, tail);
      }
      if (this.chunks.length === MAX_CHUNKS)
        throw new RangeError('realisation arena: all 32 chunks are full');
      let length = c < 0 ? this.firstChunk : Math.min(MAX_CHUNK, 2 * (this.chunks[c]?.length ?? 0));
      while (length < size) length *= 2;
      this.chunks.push(new Uint8Array(length));
      this.chunkUsed.push(0);
      c++;
    }
    const offset = this.chunkUsed[c] ?? 0;
    this.chunkUsed[c] = offset + size;
    return c * CHUNK_STRIDE + offset / 8;
  }
  private pop(k: number, head: number): number {
    this.free[k] = readUint32(this.chunkOf(head), offsetOf(head));
    this.freeTotal -= CLASS_SIZES[k] ?? 0;
    return head;
  }
  /**
   * Slides every block down, in address order, to close the gaps of the free blocks (each block keeps
   * its class), then drops the chunks left empty and empties the free lists. Blocks only move to lower
   * addresses, so a block is never written over before it is moved. Profiles growing in lockstep (every
   * profile's block moving up a class in turn) leave most freed blocks too small for anyone: this gives
   * their bytes back. Cost: a radix sort of the profiles by address and one copy of the live bytes.
   */
  private compact(): void {
    const o = this.owners();
    const order = this.profilesByAddress(o);
    let c = 0;
    let at = 0;
    for (let i = 0; i < order.length; i++) {
      const p = order[i] ?? 0;
      const size = CLASS_SIZES[(o.cls[p] ?? 1) - 1] ?? 0;
      while (at + size > (this.chunks[c]?.length ?? 0)) {
        this.cut(c, at);
        c++;
        at = 0;
      }
      const a = o.addr[p] ?? 0;
      const to = c * CHUNK_STRIDE + at / 8;
      if (to !== a) {
        const from = offsetOf(a);
        const end = from + (o.used[p] ?? 0);
        const target = this.chunkOf(to);
        if (a >>> 27 === c) target.copyWithin(at, from, end);
        else target.set(this.chunkOf(a).subarray(from, end), at);
        o.addr[p] = to;
      }
      at += size;
    }
    this.cut(c, at);
    this.chunks.length = Math.min(this.chunks.length, c + 1);
    this.chunkUsed.length = this.chunks.length;
    this.free.fill(NONE);
    this.freeTotal = 0;
  }
  /**
   * Ends chunk `c`'s handed-out bytes at `at`, zeroing what was handed out past it, so that the bytes
   * past the end are zero as in a restored copy (whose later blocks then hold the same bytes).
   */
  private cut(c: number, at: number): void {
    this.chunks[c]?.fill(0, at, this.chunkUsed[c] ?? 0);
    this.chunkUsed[c] = at;
  }
  /** The profiles that have a block, by ascending block address (a two-pass radix sort). */
  private profilesByAddress(o: BlockOwners): Uint32Array {
    let n = 0;
    for (let p = 0; p < o.cls.length; p++) if ((o.cls[p] ?? 0) !== 0) n++;
    let order = new Uint32Array(n);
    n = 0;
    for (let p = 0; p < o.cls.length; p++) if ((o.cls[p] ?? 0) !== 0) order[n++] = p;
    let other = new Uint32Array(n);
    const counts = new Uint32Array(65_536);
    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const digit = ((o.addr[order[i] ?? 0] ?? 0) >>> shift) & 0xffff;
        counts[digit] = (counts[digit] ?? 0) + 1;
      }
      let sum = 0;
      for (let d = 0; d < 65_536; d++) {
        const k = counts[d] ?? 0;
        counts[d] = sum;
        sum += k;
      }
      for (let i = 0; i < n; i++) {
        const p = order[i] ?? 0;
        const digit = ((o.addr[p] ?? 0) >>> shift) & 0xffff;
        other[counts[digit] ?? 0] = p;
        counts[digit] = (counts[digit] ?? 0) + 1;
      }
      [order, other] = [other, order];
    }
    return order;
  }
  /** Cuts the unused end of chunk `c` into free blocks of the largest classes that fit. */
  private freeTail(c: number): void {
    const length = this.chunks[c]?.length ?? 0;
    let offset = this.chunkUsed[c] ?? 0;
    for (let k = CLASS_SIZES.length - 1; k >= 0; k--) {
      const size = CLASS_SIZES[k] ?? 0;
      while (offset + size <= length) {
        this.release(c * CHUNK_STRIDE + offset / 8, k);
        offset += size;
      }
    }
    this.chunkUsed[c] = offset;
  }
  release(block: number, k: number): void {
    writeUint32(this.chunkOf(block), offsetOf(block), this.free[k] ?? NONE);
    this.free[k] = block;
    this.freeTotal += CLASS_SIZES[k] ?? 0;
  }
  chunkOf(block: number): Uint8Array {
    const chunk = this.chunks[block >>> 27];
    if (chunk === undefined) throw new Error(`realisation arena: no chunk for block ${block}`);
    return chunk;
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) +
    (bytes[at + 3] ?? 0) * 2 ** 24
  );
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 255;
  bytes[at + 1] = (value >>> 8) & 255;
  bytes[at + 2] = (value >>> 16) & 255;
  bytes[at + 3] = (value >>> 24) & 255;
}
