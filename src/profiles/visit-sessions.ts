import type { SnapshotPart } from './profile-store.ts';
import { integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';
import { ProfileBlocks } from './profile-blocks.ts';
import { position, readVarint, seek, writeVarint } from './block-codec.ts';

/** Events more than this far apart (by event time) belong to different visits. */
export const VISIT_GAP_MS = 30 * 60_000;

/** the most bytes one visit takes: two varints below 2^53 (8 bytes each) */
const MAX_VISIT = 16;

/**
 * Every visit of each profile, so that the visit count is exact whatever order the events arrive in: a
 * late event may extend a visit, join two into one, or be a visit of its own.
 *
 * A visit is a maximal run of event times each at most `VISIT_GAP_MS` after the previous one. The
 * owner (`ProfileColumns`) keeps the first and last event times and the number of visits; this keeps,
 * for a profile with two visits or more, one byte block (`BlockHeap`, size classes, free lists,
 * compaction) of every visit but the current one, oldest first, as two LEB128 varints each: its
 * duration (end - start) and the gap to the next visit's start. The first visit starts at first seen, so
 * every time follows by sums, and the current visit (whose end is last seen) starts where the sums end.
 * Usually 4 to 7 bytes a visit (a gap of minutes to weeks, a duration of 0 to a few minutes); a profile
 * with one visit (its start is first seen) has no block. Per profile: block address and bytes used
 * (Uint32), size class (Uint8): 9 bytes. Nothing is bounded: a profile keeps every visit for its life
 * (a visit needs an event, and a profile unseen for the profile lifetime is removed).
 *
 * Example:
 * ```ts
 * const visits = new VisitSessions();
 * visits.ensureProfiles(1);
 * visits.append(0, first, last, ts); // an event more than 30 minutes after last seen: a new visit
 * visits.insert(0, first, last, older); // a late event: the profile's new number of visits
 * ```
 */
export class VisitSessions {
  private blocks: ProfileBlocks;
  // scratch of a decoded profile: visit i is [starts[i], ends[i]]
  private starts = new Float64Array(16);
  private ends = new Float64Array(16);
  private bytes = new Uint8Array(256);

  constructor(options: { firstChunk?: number } = {}) {
    this.blocks = new ProfileBlocks('visits', options.firstChunk);
  }

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    const length = this.blocks.addr.length;
    if (capacity > length) this.blocks.ensure(nextCapacity(length, capacity));
  }

  /**
   * A new visit starting at `ts` (more than the gap after `last`): the current visit, from its start
   * to `last`, is appended to the block. No decoding but the sum that finds the current visit's start.
   */
  append(p: number, first: number, last: number, ts: number): void {
    checkTime(ts);
    const start = this.currentStart(p, first);
    const at = writeVarint(this.bytes, writeVarint(this.bytes, 0, last - start), ts - last);
    this.blocks.append(p, this.bytes, at);
  }

  /**
   * A late event at `ts` (before `last`): decodes the profile's visits, puts `ts` in (inside a visit:
   * nothing; within the gap of one or two neighbours: extends one or joins both; else a visit of its
   * own) and encodes them again. Returns the profile's number of visits. The caller then makes first
   * seen `min(first, ts)`, which the block takes as its start.
   */
  insert(p: number, first: number, last: number, ts: number): number {
    checkTime(ts);
    let n = this.decode(p, first, last);
    const starts = this.starts;
    const ends = this.ends;
    // i: the first visit that starts after ts (n when none)
    let i = n;
    while (i > 0 && (starts[i - 1] ?? 0) > ts) i--;
    if (i > 0 && ts <= (ends[i - 1] ?? 0)) return n; // inside visit i - 1
    const joinsBefore = i > 0 && ts - (ends[i - 1] ?? 0) <= VISIT_GAP_MS;
    const joinsAfter = i < n && (starts[i] ?? 0) - ts <= VISIT_GAP_MS;
    if (joinsBefore && joinsAfter) {
      ends[i - 1] = ends[i] ?? 0;
      starts.copyWithin(i, i + 1, n);
      ends.copyWithin(i, i + 1, n);
      n--;
    } else if (joinsBefore) ends[i - 1] = ts;
    else if (joinsAfter) starts[i] = ts;
    else {
      this.ensureScratch(n + 1);
      this.starts.copyWithin(i + 1, i, n);
      this.ends.copyWithin(i + 1, i, n);
      this.starts[i] = this.ends[i] = ts;
      n++;
    }
    this.store(p, n);
    return n;
  }

  /**
   * Profile `from`'s visits join profile `to`'s (a merge): the visits of the two profiles' event times
   * together, as if every event had arrived under `to` (overlapping visits, or visits at most the gap
   * apart, become one). `to` then holds the block and `from` none. Takes each profile's first and last
   * seen (NaN: no event) and returns `to`'s number of visits; the caller makes `to`'s first and last
   * seen the min and max of both.
   */
  absorb(
    to: number,
    toFirst: number,
    toLast: number,
    from: number,
    fromFirst: number,
    fromLast: number,
  ): number {
    if (Number.isNaN(fromFirst)) return Number.isNaN(toFirst) ? 0 : this.decode(to, toFirst, toLast);
    if (Number.isNaN(toFirst)) {
      this.blocks.move(from, to);
      return this.decode(to, fromFirst, fromLast);
    }
    const m = this.decode(from, fromFirst, fromLast);
    const otherStarts = this.starts.slice(0, m);
    const otherEnds = this.ends.slice(0, m);
    const n = this.decode(to, toFirst, toLast);
    this.ensureScratch(n + m);
    // merge the two runs by start, from the back, into the scratch (to's visits first on equal starts)
    const starts = this.starts;
    const ends = this.ends;
    let i = n - 1;
    let j = m - 1;
    for (let k = n + m - 1; j >= 0; k--) {
      if (i >= 0 && (starts[i] ?? 0) > (otherStarts[j] ?? 0)) {
        starts[k] = starts[i] ?? 0;
        ends[k] = ends[i--] ?? 0;
      } else {
        starts[k] = otherStarts[j] ?? 0;
        ends[k] = otherEnds[j--] ?? 0;
      }
    }
    // a visit that starts at most the gap after the end of the one before (or inside it) joins it
    let kept = 0;
    for (let k = 1; k < n + m; k++) {
      const start = starts[k] ?? 0;
      if (start - (ends[kept] ?? 0) <= VISIT_GAP_MS) ends[kept] = Math.max(ends[kept] ?? 0, ends[k] ?? 0);
      else {
        kept++;
        starts[kept] = start;
        ends[kept] = ends[k] ?? 0;
      }
    }
    this.clear(from);
    this.store(to, kept + 1);
    return kept + 1;
  }

  /** The profile's visits, oldest first, as `[start, end]` pairs (for tests and explain). */
  visitsOf(p: number, first: number, last: number): [number, number][] {
    if (Number.isNaN(first)) return [];
    const n = this.decode(p, first, last);
    return Array.from({ length: n }, (_, i) => [this.starts[i] ?? 0, this.ends[i] ?? 0]);
  }

  /** Forgets the profile's visits (it is removed). */
  clear(p: number): void {
    this.blocks.release(p);
  }

  /** The memory held: the chunks and the per-profile columns (not the scratch arrays). */
  byteSize(): number {
    return this.blocks.byteSize();
  }

  /** As snapshot parts (named `visits.*`), for profiles below `profiles`. */
  snapshot(profiles: number): SnapshotPart[] {
    return [
      jsonPart('visits.meta', { profiles, ...this.blocks.heap.meta() }),
      ...this.blocks.columnParts(profiles),
      ...this.blocks.heap.parts(),
    ];
  }

  /** The visits of `snapshot`'s parts, with room for profiles below `capacity`. */
  static restore(reader: SnapshotReader, capacity: number): VisitSessions {
    const meta = reader.json('visits.meta') as Record<string, unknown>;
    const sessions = new VisitSessions();
    const profiles = integer(meta.profiles, 'visits profiles');
    const room = nextCapacity(16, Math.max(profiles, capacity));
    sessions.blocks = ProfileBlocks.restore(reader, meta, 'visits', profiles, room);
    return sessions;
  }

  /** Where the current visit starts: first seen plus every duration and gap of the block. */
  private currentStart(p: number, first: number): number {
    const used = this.blocks.used[p] ?? 0;
    if (used === 0) return first;
    const from = this.blocks.from(p);
    return first + sumVarints(this.blocks.chunkOf(p), from, from + used);
  }

  /** Decodes every visit of the profile, the current one last (ending at `last`); returns how many. */
  private decode(p: number, first: number, last: number): number {
    const used = this.blocks.used[p] ?? 0;
    let n = 0;
    let t = first;
    if (used !== 0) {
      const chunk = this.blocks.chunkOf(p);
      const from = this.blocks.from(p);
      const end = from + used;
      seek(from);
      while (position() < end) {
        this.ensureScratch(n + 2);
        this.starts[n] = t;
        t += readVarint(chunk);
        this.ends[n++] = t;
        t += readVarint(chunk);
      }
    }
    this.ensureScratch(n + 1);
    this.starts[n] = t;
    this.ends[n++] = last;
    return n;
  }

  /** Encodes the first `n` scratch visits as the profile's block (none for one visit). */
  private store(p: number, n: number): void {
    if (n <= 1) {
      this.clear(p);
      return;
    }
    if (this.bytes.length < n * MAX_VISIT)
      this.bytes = new Uint8Array(nextCapacity(this.bytes.length, n * MAX_VISIT));
    let at = 0;
    for (let i = 0; i < n - 1; i++) {
      at = writeVarint(this.bytes, at, (this.ends[i] ?? 0) - (this.starts[i] ?? 0));
      at = writeVarint(this.bytes, at, (this.starts[i + 1] ?? 0) - (this.ends[i] ?? 0));
    }
    this.blocks.write(p, this.bytes, at);
  }

  private ensureScratch(n: number): void {
    if (this.starts.length >= n) return;
    const room = nextCapacity(this.starts.length, n);
    this.starts = grown(this.starts, room);
    this.ends = grown(this.ends, room);
  }
}

/** Visit times go into varints: they must be non-negative safe integers (epoch ms). */
function checkTime(ts: number): void {
  if (!Number.isSafeInteger(ts) || ts < 0)
    throw new RangeError(`event time ${ts}: not a non-negative integer of ms`);
}

/**
 * The sum of the LEB128 varints in `bytes` from `from` to `end`: a local loop (the hot path of an event
 * that starts a visit), with no call per varint.
 */
function sumVarints(bytes: Uint8Array, from: number, end: number): number {
  let sum = 0;
  let scale = 1;
  for (let at = from; at < end; at++) {
    const b = bytes[at] ?? 0;
    sum += (b & 127) * scale;
    scale = b < 128 ? 1 : scale * 128;
  }
  return sum;
}
