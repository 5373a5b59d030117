import type { SnapshotPart } from './profile-store.ts';
import { applyIdCaps, capFor } from '../core/identity/index.ts';
import type { IdLimits, LinkedId } from './profile-ids.ts';
import { IdKeyEncoder, decodeWtf8, hashBytes, readTypeId, writeTypeId } from './id-key.ts';
import { SlotTable } from './slot-table.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';
import { keptFirst, learntMs, learntSeconds } from './id-learnt-time.ts';

const NONE = -1;
/** the arena is compacted when removed IDs hold more than half its bytes, and at least this many */
const MIN_GARBAGE = 4096;
/** Options of an `IdIndex`. */
export interface IdIndexOptions {
  /** the hash seed; random by default, so two processes do not share their collisions */
  seed?: number;
  /** for tests: keep only these bits of every hash, so that many IDs share one */
  hashMask?: number;
}

/**
 * The IDs of one tenant's profiles: from an ID to its profile, and from a profile to its IDs, each
 * with the time it was last learnt. An ID belongs to one profile; a profile may hold several IDs of a
 * type (`attach(..., several)`, a merge), kept in the order it learnt them: `valueOf` and `all` give
 * the first one learnt of each type. No JS object or string is kept per ID (see README.md for the
 * layout and its cost):
 *
 * - the key of an ID (its interned type id, then its value in WTF-8, id-key.ts), after its length (a
 *   LEB128 varint: one byte below 128), lives in one byte arena; removed keys leave garbage, reclaimed
 *   by compaction when it is over half the arena;
 * - an entry per ID holds its key's offset and hash, its profile, the next entry of the same profile
 *   (a free list of entries runs through `next`) and its learnt time (seconds + 1, 0 = none): 20 bytes;
 * - an open-addressing table of entry numbers (slot-table.ts) finds an entry by key;
 * - `head[p]` is the newest entry of profile `p` (so a profile's list runs from the last learnt).
 *
 * Example:
 * ```ts
 * const ids = new IdIndex();
 * ids.ensureProfiles(1);
 * ids.attach(0, 'uid', 'c-1', Date.UTC(2025, 0, 1)); // true
 * ids.attach(0, 'uid', 'c-2', Date.UTC(2025, 0, 2), true); // true: a second uid
 * ids.find('uid', 'c-2'); // 0
 * ids.all(0); // { uid: 'c-1' }
 * ids.records(0); // [{ type: 'uid', value: 'c-1', learntAt: ... }, { type: 'uid', value: 'c-2', learntAt: ... }]
 * ```
 */
export class IdIndex {
  private typeIds = new Map<string, number>();
  private typeNames: string[] = [];
  private readonly keys = new IdKeyEncoder();
  private bytes = new Uint8Array(256);
  private bytesUsed = 0;
  private garbage = 0;
  private offset = new Uint32Array(16);
  private hash = new Uint32Array(16);
  private profile = new Int32Array(16).fill(NONE);
  private next = new Int32Array(16).fill(NONE);
  private learnt = new Uint32Array(16);
  private entriesUsed = 0;
  private freeEntry = NONE;
  private table = new SlotTable();
  private head = new Int32Array(16).fill(NONE);
  private readonly seed: number;
  private readonly hashMask: number;
  private probeHash = 0;
  /** the key length read by the last `keyStart` */
  private keyLength = 0;
  /** scratch counts by type id for `withinLimits` */
  private typeCounts = new Int32Array(16);

  constructor(options: IdIndexOptions = {}) {
    this.seed = (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
    this.hashMask = (options.hashMask ?? 0xffffffff) >>> 0;
  }

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    if (capacity > this.head.length)
      this.head = grown(this.head, nextCapacity(this.head.length, capacity), NONE);
  }

  /** The profile holding this ID. */
  find(type: string, value: string): number | undefined {
    const t = this.typeIds.get(type);
    if (t === undefined) return undefined;
    const e = this.lookup(this.keys.encode(t, value));
    return e === NONE ? undefined : this.profile[e];
  }

  /**
   * Like `find`, and the ID, when held, is learnt again at `learntAt` (epoch ms): its learnt time
   * becomes the later of the two. Example: `ids.findLearning('uid', 'c-1', event.ts)`.
   */
  findLearning(type: string, value: string, learntAt: number | undefined): number | undefined {
    const t = this.typeIds.get(type);
    if (t === undefined) return undefined;
    const e = this.lookup(this.keys.encode(t, value));
    if (e === NONE) return undefined;
    this.learn(e, learntAt);
    return this.profile[e];
  }

  /**
   * Attaches the ID to profile `p`, learnt at `learntAt` (epoch ms; undefined: no time). Returns false,
   * attaching nothing, when the value is empty, the ID already belongs to a profile (to this one: its
   * learnt time becomes the later of the two), or `p` already holds an ID of this type and `several` is
   * false. Caps are the caller's business (`cap`).
   */
  attach(p: number, type: string, value: string, learntAt?: number, several = false): boolean {
    if (value === '') return false;
    const t = this.internType(type);
    const n = this.keys.encode(t, value);
    const found = this.lookup(n);
    if (found !== NONE) {
      if (this.profile[found] === p) this.learn(found, learntAt);
      return false;
    }
    if (!several && this.entryOfType(p, t) !== NONE) return false;
    const h = this.probeHash;
    const e = this.allocateEntry();
    const at = this.reserveBytes((n < 0x80 ? 1 : n < 0x4000 ? 2 : 5) + n);
    const start = writeTypeId(this.bytes, at, n);
    const key = this.keys.bytes;
    for (let i = 0; i < n; i++) this.bytes[start + i] = key[i] ?? 0;
    this.bytesUsed = start + n;
    this.offset[e] = at;
    this.hash[e] = h;
    this.profile[e] = p;
    this.learnt[e] = learntSeconds(learntAt);
    this.next[e] = this.head[p] ?? NONE;
    this.head[p] = e;
    this.table.insert(e, this.hash);
    return true;
  }

  /** The value of the first ID of this type the profile learnt (of those it still holds). */
  valueOf(p: number, type: string): string | undefined {
    const t = this.typeIds.get(type);
    const e = t === undefined ? NONE : this.entryOfType(p, t);
    return e === NONE ? undefined : this.valueAt(e);
  }

  /** Whether the profile holds an ID of this type. */
  hasType(p: number, type: string): boolean {
    const t = this.typeIds.get(type);
    if (t === undefined) return false;
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE)
      if (this.typeOf(e) === t) return true;
    return false;
  }

  /** One ID of each type the profile holds: the first one it learnt. */
  all(p: number): Record<string, string> {
    const out: Record<string, string> = {};
    // newest first, so the first learnt of each type is written last
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE)
      out[this.typeNames[this.typeOf(e)] ?? ''] = this.valueAt(e);
    return out;
  }

  /**
   * Every ID of the profile with its type and learnt time (NaN: none), in the order the profile learnt
   * them.
   */
  records(p: number): LinkedId[] {
    const out: LinkedId[] = [];
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) out.push(this.recordOf(e));
    return out.reverse();
  }

  /** How many IDs the profile holds. */
  countOf(p: number): number {
    let n = 0;
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) n++;
    return n;
  }

  /**
   * Moves every ID of profile `from` to profile `to` (a merge), after `to`'s own in the order learnt,
   * so `to`'s first ID of each type stays its first. No key moves: `from`'s list is put in front of
   * `to`'s. Apply caps after (`cap`).
   */
  moveAll(from: number, to: number): void {
    let e = this.head[from] ?? NONE;
    if (e === NONE || from === to) return;
    this.head[from] = NONE;
    const first = e;
    for (;;) {
      this.profile[e] = to;
      const following = this.next[e] ?? NONE;
      if (following === NONE) break;
      e = following;
    }
    this.next[e] = this.head[to] ?? NONE;
    this.head[to] = first;
  }

  /**
   * Drops IDs of the profile over the limits: per type by the identity rules' `applyIdCaps` (the newest
   * kept up to the type's cap, ties to the smaller value), then over `perProfile` the oldest (ties: the
   * larger type, then value). Returns what was dropped, oldest first.
   * Example: `ids.cap(p, { caps: { perType: { uid: 2 }, otherwise: 3 } })` -> the uids learnt before the last two.
   */
  cap(p: number, limits: IdLimits): LinkedId[] {
    const { caps, perProfile } = limits;
    if (this.withinLimits(p, limits)) return [];
    const entries: number[] = [];
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) entries.push(e);
    if (entries.length <= 1 && (perProfile === undefined || perProfile >= 1)) return [];
    const byKey = new Map<string, number>();
    let kept: LinkedId[] = entries.map((e) => {
      const record = this.recordOf(e);
      byKey.set(`${record.type}\u0000${record.value}`, e);
      return record;
    });
    if (caps !== undefined) kept = applyIdCaps(kept, caps).ids;
    if (perProfile !== undefined && kept.length > perProfile)
      kept = kept.sort(keptFirst).slice(0, perProfile);
    if (kept.length === entries.length) return [];
    const stays = new Set(kept.map((r) => byKey.get(`${r.type}\u0000${r.value}`)));
    const out = entries.filter((e) => !stays.has(e));
    const records = out.map((e) => this.recordOf(e)).sort((a, b) => keptFirst(b, a));
    // relink the profile's list without the dropped entries, newest first as it was
    let headOf = NONE;
    let last = NONE;
    for (const e of entries) {
      if (!stays.has(e)) continue;
      if (last === NONE) headOf = e;
      else this.next[last] = e;
      last = e;
    }
    if (last !== NONE) this.next[last] = NONE;
    this.head[p] = headOf;
    for (const e of out) this.release(e);
    this.compactIfWorth();
    return records;
  }

  /** Whether the profile's IDs are within the limits, counted by type id without decoding a value. */
  private withinLimits(p: number, limits: IdLimits): boolean {
    const { caps, perProfile } = limits;
    if (caps === undefined && perProfile === undefined) return true;
    if (this.typeCounts.length < this.typeNames.length)
      this.typeCounts = new Int32Array(this.typeNames.length * 2);
    const counts = this.typeCounts;
    let total = 0;
    let within = true;
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) {
      const t = this.typeOf(e);
      total++;
      counts[t] = (counts[t] ?? 0) + 1;
      if (caps !== undefined && (counts[t] ?? 0) > capFor(this.typeNames[t] ?? '', caps)) within = false;
    }
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) counts[this.typeOf(e)] = 0;
    return within && (perProfile === undefined || total <= perProfile);
  }

  /** Detaches every ID of the profile (`find` no longer finds them), wipes their bytes and frees their entries. */
  removeAll(p: number): void {
    let e = this.head[p] ?? NONE;
    while (e !== NONE) {
      const following = this.next[e] ?? NONE;
      this.release(e);
      e = following;
    }
    this.head[p] = NONE;
    this.compactIfWorth();
  }

  /** How many IDs are held. */
  size(): number {
    return this.table.size();
  }

  /** The bytes of the key arena in use, live and removed (removed ones until the next compaction). */
  arenaBytes(): number {
    return this.bytesUsed;
  }

  /** The memory held: the key arena, the entry columns, the table and the list heads. */
  byteSize(): number {
    const columns = [this.offset, this.hash, this.profile, this.next, this.learnt, this.head];
    return (
      this.bytes.byteLength + columns.reduce((n, c) => n + c.byteLength, 0) + this.table.slots.byteLength
    );
  }

  /** The index as snapshot parts (named `ids.*`), for profiles below `profiles`. */
  snapshot(profiles: number): SnapshotPart[] {
    const { seed, hashMask, bytesUsed, garbage, entriesUsed, freeEntry, typeNames } = this;
    const meta = { seed, hashMask, bytesUsed, garbage, entriesUsed, freeEntry, typeNames, profiles };
    return [
      jsonPart('ids.meta', meta),
      columnPart('ids.bytes', this.bytes, bytesUsed),
      columnPart('ids.offset', this.offset, entriesUsed),
      columnPart('ids.hash', this.hash, entriesUsed),
      columnPart('ids.profile', this.profile, entriesUsed),
      columnPart('ids.next', this.next, entriesUsed),
      columnPart('ids.learnt', this.learnt, entriesUsed),
      columnPart('ids.head', this.head, profiles),
      ...this.table.snapshot('ids.slots'),
    ];
  }

  /** The index of `snapshot`'s parts, with room for profiles below `capacity`; no rehash. */
  static restore(reader: SnapshotReader, capacity: number): IdIndex {
    const meta = reader.json('ids.meta') as Record<string, unknown>;
    const ids = new IdIndex({
      seed: integer(meta.seed, 'ids seed'),
      hashMask: integer(meta.hashMask, 'ids hash'),
    });
    if (!Array.isArray(meta.typeNames) || !meta.typeNames.every((t) => typeof t === 'string'))
      throw new Error('snapshot ids.meta: typeNames is not a list of strings');
    ids.typeNames = meta.typeNames;
    ids.typeIds = new Map(ids.typeNames.map((name, t) => [name, t]));
    ids.bytesUsed = integer(meta.bytesUsed, 'ids bytesUsed');
    ids.garbage = integer(meta.garbage, 'ids garbage');
    ids.bytes = reader.column(
      'ids.bytes',
      Uint8Array,
      ids.bytesUsed,
      Math.max(256, Math.ceil(ids.bytesUsed * 1.125)),
    );
    const used = (ids.entriesUsed = integer(meta.entriesUsed, 'ids entriesUsed'));
    const room = Math.max(16, Math.ceil(used * 1.125));
    ids.offset = reader.column('ids.offset', Uint32Array, used, room);
    ids.hash = reader.column('ids.hash', Uint32Array, used, room);
    ids.profile = reader.column('ids.profile', Int32Array, used, room, NONE);
    ids.next = reader.column('ids.next', Int32Array, used, room, NONE);
    ids.learnt = reader.column('ids.learnt', Uint32Array, used, room);
    ids.freeEntry = integer(meta.freeEntry, 'ids freeEntry', NONE);
    const profiles = integer(meta.profiles, 'ids profiles');
    ids.head = reader.column(
      'ids.head',
      Int32Array,
      profiles,
      nextCapacity(16, Math.max(profiles, capacity)),
      NONE,
    );
    ids.table = SlotTable.restore(reader, 'ids.slots');
    return ids;
  }

  /** The entry of the key in `keys.bytes[0..n)`, or NONE; leaves the key's hash in `probeHash`. */
  private lookup(n: number): number {
    const key = this.keys.bytes;
    const h = (this.probeHash = (hashBytes(key, 0, n, this.seed) & this.hashMask) >>> 0);
    const { slots } = this.table;
    const mask = slots.length - 1;
    const bytes = this.bytes;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[i] ?? NONE;
      if (e === NONE) return NONE;
      if (this.hash[e] !== h) continue;
      // the key's length, then the key (a length of one byte read here, longer ones by keyStart)
      let start = this.offset[e] ?? 0;
      let length = bytes[start++] ?? 0;
      if (length >= 0x80) {
        start = this.keyStart(e);
        length = this.keyLength;
      }
      if (length !== n) continue;
      let k = 0;
      while (k < n && bytes[start + k] === key[k]) k++;
      if (k === n) return e;
    }
  }

  /** Where entry `e`'s key starts, past its length, which is left in `keyLength`. */
  private keyStart(e: number): number {
    const at = this.offset[e] ?? 0;
    const b = this.bytes[at] ?? 0;
    if (b < 0x80) {
      this.keyLength = b;
      return at + 1;
    }
    const read = readTypeId(this.bytes, at);
    this.keyLength = Math.floor(read / 8);
    return at + (read % 8);
  }

  /** The type id of entry `e` (read inline when its length and type take a byte each, the usual case). */
  private typeOf(e: number): number {
    const bytes = this.bytes;
    const at = this.offset[e] ?? 0;
    const start = (bytes[at] ?? 0) < 0x80 ? at + 1 : this.keyStart(e);
    const t = bytes[start] ?? 0;
    return t < 0x80 ? t : Math.floor(readTypeId(bytes, start) / 8);
  }

  /** The value of entry `e`. */
  private valueAt(e: number): string {
    const start = this.keyStart(e);
    const end = start + this.keyLength;
    const bytes = this.bytes;
    return decodeWtf8(
      bytes,
      (bytes[start] ?? 0) < 0x80 ? start + 1 : start + (readTypeId(bytes, start) % 8),
      end,
    );
  }

  private recordOf(e: number): LinkedId {
    const type = this.typeNames[this.typeOf(e)] ?? '';
    return { type, value: this.valueAt(e), learntAt: learntMs(this.learnt[e] ?? 0) };
  }

  /** The entry's learnt time becomes `learntAt` when that is later. */
  private learn(e: number, learntAt: number | undefined): void {
    const s = learntSeconds(learntAt);
    if (s > (this.learnt[e] ?? 0)) this.learnt[e] = s;
  }

  /** The profile's first learnt entry of type id `t` (the last of its list), or NONE. */
  private entryOfType(p: number, t: number): number {
    let found = NONE;
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE)
      if (this.typeOf(e) === t) found = e;
    return found;
  }

  /** Takes entry `e` out of the table, wipes its bytes and frees it (its profile's list is the caller's). */
  private release(e: number): void {
    this.table.remove(e, this.hash);
    // the ID's bytes are wiped now, not at the next compaction: a snapshot must not keep a deleted visitor
    const from = this.offset[e] ?? 0;
    const end = this.keyStart(e) + this.keyLength;
    this.bytes.fill(0, from, end);
    this.garbage += end - from;
    this.profile[e] = NONE;
    this.learnt[e] = 0;
    this.next[e] = this.freeEntry;
    this.freeEntry = e;
  }

  /** Compacts when the garbage is over half the arena and at least as many bytes as there are entries. */
  private compactIfWorth(): void {
    // a compaction scans every entry and copies the live bytes: paid for by at least as many bytes of garbage
    const enough = Math.max(MIN_GARBAGE, this.entriesUsed);
    if (this.garbage >= enough && this.garbage * 2 > this.bytesUsed) this.compact();
  }

  private internType(type: string): number {
    let t = this.typeIds.get(type);
    if (t === undefined) {
      t = this.typeNames.length;
      this.typeNames.push(type);
      this.typeIds.set(type, t);
    }
    return t;
  }

  private allocateEntry(): number {
    if (this.freeEntry !== NONE) {
      const e = this.freeEntry;
      this.freeEntry = this.next[e] ?? NONE;
      return e;
    }
    const e = this.entriesUsed++;
    if (e === this.offset.length) {
      // by half, as the key arena: doubling would leave up to 50% of 20 bytes an ID unused
      const capacity = Math.max(16, Math.ceil(this.offset.length * 1.5));
      this.offset = grown(this.offset, capacity);
      this.hash = grown(this.hash, capacity);
      this.profile = grown(this.profile, capacity, NONE);
      this.next = grown(this.next, capacity, NONE);
      this.learnt = grown(this.learnt, capacity);
    }
    return e;
  }

  /**
   * The offset of room for `n` new bytes at the end of the arena (grown by half when full); the caller
   * sets `bytesUsed` to where its bytes end.
   */
  private reserveBytes(n: number): number {
    if (this.bytesUsed + n > this.bytes.length)
      this.bytes = grown(this.bytes, Math.max(this.bytesUsed + n, Math.ceil(this.bytes.length * 1.5)));
    return this.bytesUsed;
  }

  /** Copies the live keys into a new arena, half as large again as they are, and drops the garbage. */
  private compact(): void {
    const bytes = new Uint8Array(Math.max(256, Math.ceil((this.bytesUsed - this.garbage) * 1.5)));
    let at = 0;
    for (let e = 0; e < this.entriesUsed; e++) {
      if (this.profile[e] === NONE) continue;
      const start = this.offset[e] ?? 0;
      const n = this.keyStart(e) + this.keyLength - start;
      for (let i = 0; i < n; i++) bytes[at + i] = this.bytes[start + i] ?? 0;
      this.offset[e] = at;
      at += n;
    }
    this.bytes = bytes;
    this.bytesUsed = at;
    this.garbage = 0;
  }
}
