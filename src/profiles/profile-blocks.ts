import type { SnapshotPart } from './profile-store.ts';
import { columnPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown } from './typed-arrays.ts';
import { BlockHeap, CLASS_SIZES, classFor, offsetOf } from './block-heap.ts';

/**
 * One byte block per profile in a `BlockHeap`: the columns that say where each profile's block is (its
 * address and bytes used, Uint32, and its size class + 1, Uint8, 0 = none: 9 bytes a profile) and the
 * moves between size classes. Shared by the stores that keep a varint block per profile (realisations,
 * visits); what the bytes mean is theirs.
 *
 * Example:
 * ```ts
 * const blocks = new ProfileBlocks('visits');
 * blocks.ensure(16);
 * blocks.append(0, bytes, 3); // grows the block to the next class when full
 * blocks.chunkOf(0)[blocks.from(0)]; // the first byte
 * ```
 */
export class ProfileBlocks {
  addr = new Uint32Array(16);
  used = new Uint32Array(16);
  /** the block's class + 1; 0: no block */
  cls = new Uint8Array(16);
  heap: BlockHeap;

  /** `name` prefixes the snapshot parts (`visits.addr`, `visits.chunk.0`). */
  constructor(
    private readonly name: string,
    firstChunk?: number,
  ) {
    // the heap reads the columns through a function: they are replaced when they grow
    this.heap = new BlockHeap(firstChunk, () => this, name);
  }

  /** Grows the columns to `n` profiles (the caller picks `n`, as its other columns grow with these). */
  ensure(n: number): void {
    if (n <= this.addr.length) return;
    this.addr = grown(this.addr, n);
    this.used = grown(this.used, n);
    this.cls = grown(this.cls, n);
  }

  /** The chunk holding the profile's block (read from `from(p)` for `used[p]` bytes). */
  chunkOf(p: number): Uint8Array {
    return this.heap.chunkOf(this.addr[p] ?? 0);
  }

  /** Where the profile's block starts in its chunk. */
  from(p: number): number {
    return offsetOf(this.addr[p] ?? 0);
  }

  /** Appends `bytes[0..at)` to the profile's block, moving it to a larger class when it is full. */
  append(p: number, bytes: Uint8Array, at: number): void {
    const usedBefore = this.used[p] ?? 0;
    const k = this.cls[p] ?? 0;
    if (k === 0 || usedBefore + at > (CLASS_SIZES[k - 1] ?? 0))
      this.moveTo(p, classFor(usedBefore + at), true);
    const chunk = this.chunkOf(p);
    const end = this.from(p) + usedBefore;
    // a loop, not `set(subarray)`: a view costs more than copying a few bytes
    for (let i = 0; i < at; i++) chunk[end + i] = bytes[i] ?? 0;
    this.used[p] = usedBefore + at;
  }

  /**
   * Makes `bytes[0..at)` the profile's whole block (`at` > 0). A full block moves up; one that fits five
   * classes lower (under half its size) moves down, not sooner, so that a block does not bounce between
   * two classes.
   */
  write(p: number, bytes: Uint8Array, at: number): void {
    const k = this.cls[p] ?? 0;
    const fits = classFor(at);
    if (k === 0 || fits > k - 1 || fits < k - 5) this.moveTo(p, fits, false);
    this.chunkOf(p).set(bytes.subarray(0, at), this.from(p));
    this.used[p] = at;
  }

  /**
   * Gives profile `from`'s block to profile `to` (no byte copied), freeing `to`'s first: a merge where
   * one side has nothing to add. `from` is left with no block.
   */
  move(from: number, to: number): void {
    if (from === to) return;
    this.release(to);
    this.addr[to] = this.addr[from] ?? 0;
    this.used[to] = this.used[from] ?? 0;
    this.cls[to] = this.cls[from] ?? 0;
    this.addr[from] = 0;
    this.used[from] = 0;
    this.cls[from] = 0;
  }

  /** Frees the profile's block, if it has one. */
  release(p: number): void {
    const k = this.cls[p] ?? 0;
    if (k !== 0) this.heap.release(this.addr[p] ?? 0, k - 1);
    this.cls[p] = 0;
    this.addr[p] = 0;
    this.used[p] = 0;
  }

  /** The memory of the chunks and the three columns. */
  byteSize(): number {
    return this.heap.chunkBytes() + this.addr.byteLength + this.used.byteLength + this.cls.byteLength;
  }

  /**
   * The three columns as snapshot parts; the owner adds `heap.parts()` after its own columns and the
   * heap's `meta()` to its meta part.
   */
  columnParts(profiles: number): SnapshotPart[] {
    const name = this.name;
    return [
      columnPart(`${name}.addr`, this.addr, profiles),
      columnPart(`${name}.used`, this.used, profiles),
      columnPart(`${name}.class`, this.cls, profiles),
    ];
  }

  /** The blocks of `columnParts` and the heap's parts, with `room` slots; `meta` is the owner's meta part (holding the heap's). */
  static restore(
    reader: SnapshotReader,
    meta: Record<string, unknown>,
    name: string,
    profiles: number,
    room: number,
  ): ProfileBlocks {
    const blocks = new ProfileBlocks(name);
    blocks.heap = BlockHeap.restore(reader, meta, () => blocks, name);
    blocks.addr = reader.column(`${name}.addr`, Uint32Array, profiles, room);
    blocks.used = reader.column(`${name}.used`, Uint32Array, profiles, room);
    blocks.cls = reader.column(`${name}.class`, Uint8Array, profiles, room);
    return blocks;
  }

  /** Gives the profile a block of class `k`, copying its bytes (when `copy`) and freeing the old one. */
  private moveTo(p: number, k: number, copy: boolean): void {
    const block = this.heap.allocate(k);
    const old = this.cls[p] ?? 0;
    if (old !== 0) {
      const a = this.addr[p] ?? 0;
      if (copy) {
        const from = offsetOf(a);
        this.heap
          .chunkOf(block)
          .set(this.heap.chunkOf(a).subarray(from, from + (this.used[p] ?? 0)), offsetOf(block));
      }
      this.heap.release(a, old - 1);
    }
    this.addr[p] = block;
    this.cls[p] = k + 1;
  }
}
