import { timeRange, type TimeRange } from '../core/time-range.ts';
import type { RealisationLists, SnapshotPart, TraitSummary } from './profile-store.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';
import { ProfileBlocks } from './profile-blocks.ts';
import { ArenaReader } from './arena-reader.ts';
import { countEntries, decodeEntries, encodeEntries, timesOfEntries, writeVarint } from './block-codec.ts';

export { ArenaReader } from './arena-reader.ts';

/** the most bytes one entry takes: a trait varint (<= 2^33: 5 bytes) and a delta varint (< 2^53: 8) */
const MAX_ENTRY = 13;

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
  private counts = new Uint32Array(16);
  private newestTs = new Float64Array(16).fill(NaN);
  /** the blocks: chunks, size classes, free lists, compaction */
  private blocks: ProfileBlocks;
  private live = 0;
  /** bumped by every change, so readers know when a decoded profile is stale */
  private version = 0;
  // scratch for decoding and encoding
  private scratchTrait = new Uint32Array(64);
  private scratchTs = new Float64Array(64);
  private scratchBytes = new Uint8Array(1024);
  private scratchKeep = new Uint8Array(64);
  private shared: ArenaReader | undefined;
  constructor(options: { firstChunk?: number } = {}) {
    this.blocks = new ProfileBlocks('realisations', options.firstChunk);
  }

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    if (capacity <= this.counts.length) return;
    const n = nextCapacity(this.counts.length, capacity);
    this.blocks.ensure(n);
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
    this.blocks.append(p, bytes, at);
    this.counts[p] = n + 1;
    this.newestTs[p] = ts;
    this.live++;
  }

  /** How many realisations of the trait the profile has at `t` with `afterExclusive < t <= atOrBefore`. */
  count(p: number, traitId: number, afterExclusive: number, atOrBefore: number): number {
    return this.countIn(p, traitId, timeRange(afterExclusive, atOrBefore), Infinity);
  }

  /**
   * Like `count` over `range`, read straight from the block (oldest first, nothing decoded into arrays)
   * and stopping at the first realisation after the range, or once `enough` are counted: what the
   * audience index asks of the profiles on a window's edge day, thousands at a time.
   */
  countIn(p: number, traitId: number, range: TimeRange, enough: number): number {
    const n = this.counts[p] ?? 0;
    if (n === 0) return 0;
    const blocks = this.blocks;
    return countEntries(blocks.chunkOf(p), blocks.from(p), n, traitId, range, enough);
  }

  /**
   * The times (less `base`) of the profile's realisations of the trait in `range`, ascending, written
   * into `out` from `outAt` (room for `countOf(p)` there); returns the end. Read straight from the
   * block, like `countIn`.
   */
  timesIn(
    p: number,
    traitId: number,
    range: TimeRange,
    out: Uint32Array,
    outAt: number,
    base: number,
  ): number {
    const n = this.counts[p] ?? 0;
    if (n === 0) return outAt;
    const blocks = this.blocks;
    return timesOfEntries(blocks.chunkOf(p), blocks.from(p), n, traitId, range, out, outAt, base);
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
   * Profile `from`'s realisations join profile `to`'s (a merge): `to` then holds every realisation of
   * both, ascending in time as if all had been added to it (on equal times `to`'s first: the order of
   * equal times changes the bytes, no answer); `from` holds none. When one side has none, its block is
   * handed over as it is; else both are decoded, merged and `to`'s is encoded again.
   */
  absorb(to: number, from: number): void {
    const m = this.counts[from] ?? 0;
    if (m === 0 || from === to) return;
    this.version++;
    const n = this.counts[to] ?? 0;
    if (n === 0) {
      this.blocks.move(from, to);
      this.counts[to] = m;
      this.newestTs[to] = this.newestTs[from] ?? NaN;
      this.counts[from] = 0;
      this.newestTs[from] = NaN;
      return;
    }
    this.decode(from);
    const otherTrait = this.scratchTrait.slice(0, m);
    const otherTs = this.scratchTs.slice(0, m);
    this.decode(to);
    this.ensureScratch(n + m);
    const trait = this.scratchTrait;
    const times = this.scratchTs;
    // merge from the back: `to`'s entry goes after `from`'s only when it is later
    let i = n - 1;
    let j = m - 1;
    for (let k = n + m - 1; j >= 0; k--) {
      if (i >= 0 && (times[i] ?? 0) > (otherTs[j] ?? 0)) {
        trait[k] = trait[i] ?? 0;
        times[k] = times[i--] ?? 0;
      } else {
        trait[k] = otherTrait[j] ?? 0;
        times[k] = otherTs[j--] ?? 0;
      }
    }
    this.blocks.release(from);
    this.counts[from] = 0;
    this.newestTs[from] = NaN;
    this.store(to, n + m);
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
    return this.blocks.heap.bytesUsed();
  }

  /** How many bytes the free blocks hold. */
  freeBytes(): number {
    return this.blocks.heap.freeTotal;
  }

  /** The memory held: the chunks and the per-profile columns (not the scratch arrays). */
  bytes(): number {
    return this.blocks.byteSize() + this.counts.byteLength + this.newestTs.byteLength;
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
    const meta = { live: this.live, profiles, ...this.blocks.heap.meta() };
    return [
      jsonPart('realisations.meta', meta),
      ...this.blocks.columnParts(profiles),
      columnPart('realisations.count', this.counts, profiles),
      columnPart('realisations.newest', this.newestTs, profiles),
      ...this.blocks.heap.parts(),
    ];
  }

  /** The arena of `snapshot`'s parts, with room for profiles below `capacity`. */
  static restore(reader: SnapshotReader, capacity: number): RealisationArena {
    const meta = reader.json('realisations.meta') as Record<string, unknown>;
    const arena = new RealisationArena();
    arena.live = integer(meta.live, 'realisations live');
    const profiles = integer(meta.profiles, 'realisations profiles');
    const room = nextCapacity(16, Math.max(profiles, capacity));
    arena.blocks = ProfileBlocks.restore(reader, meta, 'realisations', profiles, room);
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
    decodeEntries(this.blocks.chunkOf(p), this.blocks.from(p), n, trait, ts, newestFirst);
  }

  /** Encodes the first `m` scratch realisations (ascending) as the profile's block (or frees it at 0). */
  private store(p: number, m: number): void {
    if (m === 0) {
      this.blocks.release(p);
      this.counts[p] = 0;
      this.newestTs[p] = NaN;
      return;
    }
    if (this.scratchBytes.length < m * MAX_ENTRY)
      this.scratchBytes = new Uint8Array(nextCapacity(this.scratchBytes.length, m * MAX_ENTRY));
    const bytes = this.scratchBytes;
    const at = encodeEntries(bytes, m, this.scratchTrait, this.scratchTs);
    this.blocks.write(p, bytes, at);
    this.counts[p] = m;
    this.newestTs[p] = this.scratchTs[m - 1] ?? NaN;
  }

  private ensureScratch(n: number): void {
    if (this.scratchTrait.length >= n) return;
    const room = nextCapacity(this.scratchTrait.length, n);
    this.scratchTrait = grown(this.scratchTrait, room);
    this.scratchTs = grown(this.scratchTs, room);
  }
}
