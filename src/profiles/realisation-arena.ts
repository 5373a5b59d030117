import type { RealisationLists, SnapshotPart, TraitSummary } from './profile-store.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';

/** no block / end of a free list */
const NONE = 0xffffffff;
/** an address is `chunk * CHUNK_STRIDE + offset / 8` */
const CHUNK_STRIDE = 2 ** 27;
const OFFSET_MASK = CHUNK_STRIDE - 1;
const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 2 ** 30;
const MAX_CHUNKS = 32;
/** the most bytes one entry takes: a trait varint (<= 2^33: 5 bytes) and a delta varint (< 2^53: 8) */
const MAX_ENTRY = 13;

/**
 * The block sizes, by class: 16, 24, then four steps a doubling (32, 40, 48, 56, 64, 80, 96, 112, 128,
 * 160 ...) up to 1 GB, every size a multiple of 8, so a block is on average about 90% full (75% with
 * powers of two).
 */
const CLASS_SIZES: readonly number[] = (() => {
  const sizes: number[] = [16, 24];
  for (let size = 32; size <= MAX_CHUNK; size *= 2) {
    for (let step = 0; step < 4 && size + (step * size) / 4 <= MAX_CHUNK; step++)
      sizes.push(size + (step * size) / 4);
  }
  return sizes;
})();

/** The smallest class (index into CLASS_SIZES) of at least `bytes`. */
function classFor(bytes: number): number {
  for (let k = 0; k < CLASS_SIZES.length; k++) if ((CLASS_SIZES[k] ?? 0) >= bytes) return k;
  throw new RangeError(`realisation arena: a block of ${bytes} bytes is larger than a chunk`);
}

/**
 * The realisations of one tenant's profiles: every (profile, trait, time), times exact to the ms.
 *
 * Layout: each profile's realisations are one byte block, ascending in time (ties in insertion order),
 * as varints: an entry is `varint(traitId * 2 + newTime)`, followed when `newTime` is 1 by `varint(delta)`,
 * the ms since the previous entry's time (the first entry's delta is from 0: its absolute time). The
 * realisations of one event share their time, so most entries are 2 bytes. Per profile, typed columns
 * hold the block's address, the bytes used, its size class, the count of realisations and the newest
 * time (Float64, so an add in time order is an append without decoding): 21 bytes a profile.
 * Blocks live in a few large `Uint8Array` chunks (64 KB, doubling up to 1 GB each, at most 32), 8-byte
 * aligned, so an address is `chunk * 2^27 + offset / 8` (Uint32). Sizes come in classes (16, 24, 32,
 * 40, 48, 56, 64, 80 ... bytes), each with a free list threaded through its free blocks' first 4 bytes; a full block
 * moves to a larger class (copied; the old block is freed) and a block that shrank a lot to a smaller
 * one. Before a new chunk is taken, when the free blocks hold a fifth of the bytes handed out, the
 * blocks are slid down to close the gaps (`compact`): profiles growing in lockstep leave freed blocks
 * too small for anyone. An add older than the newest, and every removal, decodes the block and
 * encodes it again.
 * Times must be non-negative safe integers (epoch ms), trait ids Uint32.
 *
 * Reading: `reader()` (and the shared `lists()`) decode a profile newest first into scratch arrays;
 * `count`, `times`, `summaries` decode it ascending. See README.md for the measured figures.
 *
 * Example:
 * ```ts
 * const arena = new RealisationArena();
 * arena.ensureProfiles(1);
 * arena.add(0, 7, 1_000);
 * arena.count(0, 7, 999, 1_000); // 1: window (999, 1000]
 * ```
 */
export class RealisationArena {
  // per profile
  private addr = new Uint32Array(16);
  private used = new Uint32Array(16);
  /** the block's class + 1; 0: no block */
  private cls = new Uint8Array(16);
  private counts = new Uint32Array(16);
  private newestTs = new Float64Array(16).fill(NaN);
  // the chunks, their bump pointers, and a free list head per class
  private chunks: Uint8Array[] = [];
  private chunkUsed: number[] = [];
  private free: number[] = CLASS_SIZES.map(() => NONE);
  /** the bytes of the blocks on the free lists */
  private freeTotal = 0;
  private live = 0;
  /** bumped by every change, so readers know when a decoded profile is stale */
  private version = 0;
  // scratch for decoding and encoding
  private scratchTrait = new Uint32Array(64);
  private scratchTs = new Float64Array(64);
  private scratchBytes = new Uint8Array(1024);
  private scratchKeep = new Uint8Array(64);
  private shared: ArenaReader | undefined;
  /** the size of the first chunk (each next one doubles): 64 KB, smaller in tests to exercise growth */
  private readonly firstChunk: number;

  constructor(options: { firstChunk?: number } = {}) {
    this.firstChunk = options.firstChunk ?? FIRST_CHUNK;
  }

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    if (capacity <= this.addr.length) return;
    const n = nextCapacity(this.addr.length, capacity);
    this.addr = grown(this.addr, n);
    this.used = grown(this.used, n);
    this.cls = grown(this.cls, n);
    this.counts = grown(this.counts, n);
    this.newestTs = grown(this.newestTs, n, NaN);
  }

  /**
   * Records that profile `p` realised `traitId` at `ts` (a non-negative safe integer; else RangeError).
   * At or after the profile's newest time it is an append; earlier, the block is decoded and re-encoded.
   */
  add(p: number, traitId: number, ts: number): void {
    if (!Number.isSafeInteger(ts) || ts < 0)
      throw new RangeError(`realisation time ${ts}: not a non-negative integer of ms`);
    this.version++;
    const n = this.counts[p] ?? 0;
    const newest = this.newestTs[p] ?? NaN;
    if (n > 0 && ts < newest) {
      this.insert(p, traitId, ts, n);
      return;
    }
    // append: encode the entry into scratch, then into the block (grown to the next class when full)
    const bytes = this.scratchBytes;
    let at = writeVarint(bytes, 0, traitId * 2 + (n > 0 && ts === newest ? 0 : 1));
    if (n === 0) at = writeVarint(bytes, at, ts);
    else if (ts !== newest) at = writeVarint(bytes, at, ts - newest);
    const usedBefore = this.used[p] ?? 0;
    const k = this.cls[p] ?? 0;
    if (k === 0 || usedBefore + at > (CLASS_SIZES[k - 1] ?? 0)) this.moveTo(p, classFor(usedBefore + at));
    const a = this.addr[p] ?? 0;
    const chunk = this.chunkOf(a);
    const end = offsetOf(a) + usedBefore;
    for (let i = 0; i < at; i++) chunk[end + i] = bytes[i] ?? 0;
    this.used[p] = usedBefore + at;
    this.counts[p] = n + 1;
    this.newestTs[p] = ts;
    this.live++;
  }

  /** How many realisations of the trait the profile has at `t` with `afterExclusive < t <= atOrBefore`. */
  count(p: number, traitId: number, afterExclusive: number, atOrBefore: number): number {
    return this.countIn(p, traitId, afterExclusive, atOrBefore, Infinity);
  }

  /**
   * Like `count`, read straight from the block (oldest first, nothing decoded into arrays) and stopping
   * at the first realisation after `atOrBefore`, or once `enough` are counted: what the audience index
   * asks of the profiles on a window's edge day, thousands at a time.
   */
  countIn(p: number, traitId: number, afterExclusive: number, atOrBefore: number, enough: number): number {
    const n = this.counts[p] ?? 0;
    if (n === 0) return 0;
    const a = this.addr[p] ?? 0;
    const bytes = this.chunkOf(a);
    cursor = offsetOf(a);
    let time = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = readVarint(bytes);
      const newTime = v < 2 ** 31 ? v & 1 : v % 2;
      if (newTime === 1) {
        time += readVarint(bytes);
        if (time > atOrBefore) break;
      }
      if (time > afterExclusive && (v - newTime) / 2 === traitId && ++c >= enough) break;
    }
    return c;
  }

  /** The profile's realisation times grouped by trait, newest first: one decode, for many questions. */
  timesByTrait(p: number): Map<number, number[]> {
    const n = this.decode(p);
    const out = new Map<number, number[]>();
    for (let i = n - 1; i >= 0; i--) {
      const trait = this.scratchTrait[i] ?? 0;
      const t = this.scratchTs[i] ?? 0;
      const list = out.get(trait);
      if (list === undefined) out.set(trait, [t]);
      else list.push(t);
    }
    return out;
  }

  /** The profile's realisation times of the trait, ascending. */
  times(p: number, traitId: number): number[] {
    const n = this.decode(p);
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (this.scratchTrait[i] === traitId) out.push(this.scratchTs[i] ?? 0);
    return out;
  }

  /** Per trait of the profile: how many realisations, the first and the last time; by trait id. */
  summaries(p: number): TraitSummary[] {
    const n = this.decode(p);
    const byTrait = new Map<number, TraitSummary>();
    for (let i = 0; i < n; i++) {
      const traitId = this.scratchTrait[i] ?? 0;
      const t = this.scratchTs[i] ?? 0;
      const summary = byTrait.get(traitId);
      if (summary === undefined) byTrait.set(traitId, { traitId, count: 1, first: t, last: t });
      else {
        summary.count++;
        summary.last = t; // ascending, so the last one seen is the newest
      }
    }
    return [...byTrait.values()].sort((a, b) => a.traitId - b.traitId);
  }

  /** How many realisations the profile holds (no decoding). */
  countOf(p: number): number {
    return this.counts[p] ?? 0;
  }

  /** The time of the profile's newest realisation; NaN when it has none. */
  newest(p: number): number {
    return (this.counts[p] ?? 0) === 0 ? NaN : (this.newestTs[p] ?? NaN);
  }

  /**
   * Removes the profile's realisations for which `drop(traitId, ts)` is true (asked newest first);
   * returns how many. `drop` must not call the arena (the profile is decoded into its scratch).
   */
  removeWhere(p: number, drop: (traitId: number, ts: number) => boolean): number {
    const n = this.decode(p);
    if (n === 0) return 0;
    // asked newest first (as the lists were walked); the kept ones are compacted ascending
    if (this.scratchKeep.length < n) this.scratchKeep = new Uint8Array(this.scratchTrait.length);
    const keep = this.scratchKeep;
    let removed = 0;
    for (let i = n - 1; i >= 0; i--) {
      const dropped = drop(this.scratchTrait[i] ?? 0, this.scratchTs[i] ?? 0);
      keep[i] = dropped ? 0 : 1;
      if (dropped) removed++;
    }
    if (removed === 0) return 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (keep[i] === 1) {
        this.scratchTrait[m] = this.scratchTrait[i] ?? 0;
        this.scratchTs[m++] = this.scratchTs[i] ?? 0;
      }
    }
    this.version++;
    this.live -= removed;
    this.store(p, m);
    return removed;
  }

  /** Removes every realisation of the profile; returns how many. */
  removeAll(p: number): number {
    const n = this.counts[p] ?? 0;
    this.version++;
    this.live -= n;
    this.store(p, 0);
    return n;
  }

  /**
   * The shared reader (`load(p)` decodes newest first into its `trait` and `ts`), for scans: the one
   * object the columns view hands out. Valid while the arena lives; a load after a change decodes again.
   */
  lists(): RealisationLists {
    this.shared ??= this.reader();
    return this.shared;
  }

  /** A new reader with its own scratch arrays (so its loads do not disturb another reader's). */
  reader(): ArenaReader {
    return new ArenaReader(this);
  }

  /** How many realisations are held. */
  size(): number {
    return this.live;
  }

  /**
   * How many bytes of the chunks are handed out as blocks, free ones included (free blocks are reused
   * first, and compacted away before a new chunk is taken when they are a fifth of these).
   */
  bytesUsed(): number {
    let n = 0;
    for (const u of this.chunkUsed) n += u;
    return n;
  }

  /** How many bytes the free blocks hold. */
  freeBytes(): number {
    return this.freeTotal;
  }

  /** The memory held: the chunks and the per-profile columns (not the scratch arrays). */
  bytes(): number {
    let n = 0;
    for (const chunk of this.chunks) n += chunk.byteLength;
    for (const column of [this.addr, this.used, this.cls, this.counts, this.newestTs]) n += column.byteLength;
    return n;
  }

  /**
   * Decodes the profile newest first into `trait` and `ts` from index 0, growing them as needed (the
   * grown arrays are returned through `into`); returns how many. For `ArenaReader`.
   */
  decodeNewestFirst(p: number, into: { trait: Uint32Array; ts: Float64Array }): number {
    const n = this.counts[p] ?? 0;
    if (n === 0) return 0;
    if (into.trait.length < n) {
      const room = nextCapacity(into.trait.length, n);
      into.trait = new Uint32Array(room);
      into.ts = new Float64Array(room);
    }
    this.decodeInto(p, into.trait, into.ts, n, true);
    return n;
  }

  /** The version of the arena: it changes with every change. */
  changes(): number {
    return this.version;
  }

  /** The arena as snapshot parts (named `realisations.*`), for profiles below `profiles`. */
  snapshot(profiles: number): SnapshotPart[] {
    const meta = {
      live: this.live,
      profiles,
      chunkSizes: this.chunks.map((c) => c.length),
      chunkUsed: this.chunkUsed,
      free: this.free,
      freeBytes: this.freeTotal,
      firstChunk: this.firstChunk,
    };
    return [
      jsonPart('realisations.meta', meta),
      columnPart('realisations.addr', this.addr, profiles),
      columnPart('realisations.used', this.used, profiles),
      columnPart('realisations.class', this.cls, profiles),
      columnPart('realisations.count', this.counts, profiles),
      columnPart('realisations.newest', this.newestTs, profiles),
      ...this.chunks.map((chunk, i) => columnPart(`realisations.chunk.${i}`, chunk, this.chunkUsed[i] ?? 0)),
    ];
  }

  /** The arena of `snapshot`'s parts, with room for profiles below `capacity`. */
  static restore(reader: SnapshotReader, capacity: number): RealisationArena {
    const meta = reader.json('realisations.meta') as Record<string, unknown>;
    const firstChunk = integer(meta.firstChunk, 'realisations firstChunk', 16);
    const arena = new RealisationArena({ firstChunk });
    arena.live = integer(meta.live, 'realisations live');
    const profiles = integer(meta.profiles, 'realisations profiles');
    const list = (value: unknown, what: string, length?: number): number[] => {
      if (!Array.isArray(value) || (length !== undefined && value.length !== length))
        throw new Error(`snapshot realisations ${what}: not a list of the right length`);
      return value.map((v) => integer(v, `realisations ${what}`));
    };
    const chunkSizes = list(meta.chunkSizes, 'chunkSizes');
    if (chunkSizes.length > MAX_CHUNKS) throw new Error('snapshot realisations chunkSizes: too many chunks');
    arena.chunkUsed = list(meta.chunkUsed, 'chunkUsed', chunkSizes.length);
    arena.free = list(meta.free, 'free', CLASS_SIZES.length);
    arena.freeTotal = integer(meta.freeBytes, 'realisations freeBytes');
    arena.chunks = chunkSizes.map((size, i) => {
      if (size > MAX_CHUNK) throw new Error(`snapshot realisations chunk ${i}: too large`);
      return reader.column(`realisations.chunk.${i}`, Uint8Array, arena.chunkUsed[i] ?? 0, size);
    });
    const room = nextCapacity(16, Math.max(profiles, capacity));
    arena.addr = reader.column('realisations.addr', Uint32Array, profiles, room);
    arena.used = reader.column('realisations.used', Uint32Array, profiles, room);
    arena.cls = reader.column('realisations.class', Uint8Array, profiles, room);
    arena.counts = reader.column('realisations.count', Uint32Array, profiles, room);
    arena.newestTs = reader.column('realisations.newest', Float64Array, profiles, room, NaN);
    return arena;
  }

  /** An out-of-order add: decode, insert after the entries of equal or earlier time, re-encode. */
  private insert(p: number, traitId: number, ts: number, n: number): void {
    this.decode(p);
    this.ensureScratch(n + 1);
    const trait = this.scratchTrait;
    const times = this.scratchTs;
    let i = n;
    while (i > 0 && (times[i - 1] ?? 0) > ts) {
      trait[i] = trait[i - 1] ?? 0;
      times[i] = times[i - 1] ?? 0;
      i--;
    }
    trait[i] = traitId;
    times[i] = ts;
    this.live++;
    this.store(p, n + 1);
  }

  /** Decodes the profile ascending into the arena's scratch; returns how many. */
  private decode(p: number): number {
    const n = this.counts[p] ?? 0;
    if (n === 0) return 0;
    this.ensureScratch(n);
    this.decodeInto(p, this.scratchTrait, this.scratchTs, n, false);
    return n;
  }

  private decodeInto(p: number, trait: Uint32Array, ts: Float64Array, n: number, newestFirst: boolean): void {
    const bytes = this.chunkOf(this.addr[p] ?? 0);
    cursor = offsetOf(this.addr[p] ?? 0);
    let time = 0;
    // ascending: index i; newest first: index n - 1 - i
    let j = newestFirst ? n - 1 : 0;
    const step = newestFirst ? -1 : 1;
    for (let i = 0; i < n; i++, j += step) {
      // traitId * 2 + newTime, then (when newTime is 1) the ms since the previous entry
      const v = readVarint(bytes);
      const newTime = v < 2 ** 31 ? v & 1 : v % 2;
      trait[j] = v < 2 ** 31 ? v >>> 1 : (v - newTime) / 2;
      if (newTime === 1) time += readVarint(bytes);
      ts[j] = time;
    }
  }

  /** Encodes the first `m` scratch realisations (ascending) as the profile's block (or frees it at 0). */
  private store(p: number, m: number): void {
    if (m === 0) {
      if ((this.cls[p] ?? 0) !== 0) this.release(this.addr[p] ?? 0, (this.cls[p] ?? 0) - 1);
      this.cls[p] = 0;
      this.addr[p] = 0;
      this.used[p] = 0;
      this.counts[p] = 0;
      this.newestTs[p] = NaN;
      return;
    }
    if (this.scratchBytes.length < m * MAX_ENTRY)
      this.scratchBytes = new Uint8Array(nextCapacity(this.scratchBytes.length, m * MAX_ENTRY));
    const bytes = this.scratchBytes;
    let at = 0;
    let previous = 0;
    for (let i = 0; i < m; i++) {
      const t = this.scratchTs[i] ?? 0;
      const traitId = this.scratchTrait[i] ?? 0;
      if (i > 0 && t === previous) at = writeVarint(bytes, at, traitId * 2);
      else {
        at = writeVarint(bytes, at, traitId * 2 + 1);
        at = writeVarint(bytes, at, t - previous);
      }
      previous = t;
    }
    const k = this.cls[p] ?? 0;
    const fits = classFor(at);
    // a full block moves up; one that fits five classes lower (under half its size) moves down, not
    // sooner, so that a block does not bounce between two classes
    if (k === 0 || fits > k - 1 || fits < k - 5) this.moveTo(p, fits, false);
    const a = this.addr[p] ?? 0;
    this.chunkOf(a).set(bytes.subarray(0, at), offsetOf(a));
    this.used[p] = at;
    this.counts[p] = m;
    this.newestTs[p] = this.scratchTs[m - 1] ?? NaN;
  }

  /** Gives the profile a block of class `k`, copying its bytes (when `copy`) and freeing the old one. */
  private moveTo(p: number, k: number, copy = true): void {
    const block = this.allocate(k);
    const old = this.cls[p] ?? 0;
    if (old !== 0) {
      const a = this.addr[p] ?? 0;
      if (copy) {
        const from = offsetOf(a);
        this.chunkOf(block).set(this.chunkOf(a).subarray(from, from + (this.used[p] ?? 0)), offsetOf(block));
      }
      this.release(a, old - 1);
    }
    this.addr[p] = block;
    this.cls[p] = k + 1;
  }

  /**
   * A block of class `k`: from its free list, else from the end of the last chunk, else (after a
   * compaction, when the free lists hold a fifth of the bytes handed out) a new chunk.
   */
  private allocate(k: number): number {
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
    const order = this.profilesByAddress();
    let c = 0;
    let at = 0;
    for (let i = 0; i < order.length; i++) {
      const p = order[i] ?? 0;
      const size = CLASS_SIZES[(this.cls[p] ?? 1) - 1] ?? 0;
      while (at + size > (this.chunks[c]?.length ?? 0)) {
        this.cut(c, at);
        c++;
        at = 0;
      }
      const a = this.addr[p] ?? 0;
      const to = c * CHUNK_STRIDE + at / 8;
      if (to !== a) {
        const from = offsetOf(a);
        const end = from + (this.used[p] ?? 0);
        const target = this.chunkOf(to);
        if (a >>> 27 === c) target.copyWithin(at, from, end);
        else target.set(this.chunkOf(a).subarray(from, end), at);
        this.addr[p] = to;
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
  private profilesByAddress(): Uint32Array {
    let n = 0;
    for (let p = 0; p < this.cls.length; p++) if ((this.cls[p] ?? 0) !== 0) n++;
    let order = new Uint32Array(n);
    n = 0;
    for (let p = 0; p < this.cls.length; p++) if ((this.cls[p] ?? 0) !== 0) order[n++] = p;
    let other = new Uint32Array(n);
    const counts = new Uint32Array(65_536);
    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const digit = ((this.addr[order[i] ?? 0] ?? 0) >>> shift) & 0xffff;
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
        const digit = ((this.addr[p] ?? 0) >>> shift) & 0xffff;
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

  private release(block: number, k: number): void {
    writeUint32(this.chunkOf(block), offsetOf(block), this.free[k] ?? NONE);
    this.free[k] = block;
    this.freeTotal += CLASS_SIZES[k] ?? 0;
  }

  private chunkOf(block: number): Uint8Array {
    const chunk = this.chunks[block >>> 27];
    if (chunk === undefined) throw new Error(`realisation arena: no chunk for block ${block}`);
    return chunk;
  }

  private ensureScratch(n: number): void {
    if (this.scratchTrait.length >= n) return;
    const room = nextCapacity(this.scratchTrait.length, n);
    this.scratchTrait = grown(this.scratchTrait, room);
    this.scratchTs = grown(this.scratchTs, room);
  }
}

/**
 * Decodes one profile's realisations at a time, newest first, into its own reusable `trait` and `ts`
 * arrays (read them after `load`: they are replaced when a profile needs more room). A `load` of the
 * same profile with no change to the arena since is free.
 *
 * Example:
 * ```ts
 * const n = reader.load(p);
 * for (let i = 0; i < n; i++) visit(reader.trait[i], reader.ts[i]);
 * ```
 */
export class ArenaReader implements RealisationLists {
  trait = new Uint32Array(64);
  ts = new Float64Array(64);
  private p = -1;
  private n = 0;
  private version = -1;

  constructor(private readonly arena: RealisationArena) {}

  countIn(p: number, traitId: number, afterExclusive: number, atOrBefore: number, enough = Infinity): number {
    return this.arena.countIn(p, traitId, afterExclusive, atOrBefore, enough);
  }

  held(p: number): number {
    return this.arena.countOf(p);
  }

  load(p: number): number {
    const version = this.arena.changes();
    if (p === this.p && version === this.version) return this.n;
    this.n = this.arena.decodeNewestFirst(p, this);
    this.p = p;
    this.version = version;
    return this.n;
  }
}

/** Where `readVarint` reads next (module state: no object per read on the hot paths). */
let cursor = 0;

/**
 * The LEB128 varint at `cursor` in `bytes`, moving `cursor` past it: 1 or 2 bytes (values below 16,384)
 * in integer arithmetic, more (up to 2^53) in floating point.
 */
function readVarint(bytes: Uint8Array): number {
  let b = bytes[cursor++] as number;
  if (b < 128) return b;
  let v = b & 127;
  b = bytes[cursor++] as number;
  v |= (b & 127) << 7;
  let scale = 16384;
  while (b >= 128) {
    b = bytes[cursor++] as number;
    v += (b & 127) * scale;
    scale *= 128;
  }
  return v;
}

function offsetOf(block: number): number {
  return (block & OFFSET_MASK) * 8;
}

/** Writes `value` (a non-negative integer below 2^53) as a LEB128 varint at `at`; returns the end. */
function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let v = value;
  while (v >= 2 ** 31) {
    bytes[at++] = (v % 128) + 128;
    v = Math.floor(v / 128);
  }
  while (v >= 128) {
    bytes[at++] = (v & 127) | 128;
    v >>>= 7;
  }
  bytes[at++] = v;
  return at;
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
