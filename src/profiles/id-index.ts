import type { SnapshotPart } from './profile-store.ts';
import { IdKeyEncoder, decodeWtf8, hashBytes, readTypeId } from './id-key.ts';
import { SlotTable } from './slot-table.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';

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
 * The IDs of one tenant's profiles: from an ID to its profile, and from a profile to its IDs.
 * A profile holds at most one ID of each type (the first one attached); an ID belongs to one profile.
 * No JS object or string is kept per ID (see README.md for the layout and its cost):
 *
 * - the key of an ID (its interned type id, then its value in WTF-8, id-key.ts) lives in one byte
 *   arena; removed keys leave garbage, reclaimed by compaction when it is over half the arena;
 * - an entry per ID holds its key's offset, length and hash, its profile, and the next entry of the
 *   same profile (a free list of entries runs through `next`);
 * - an open-addressing table of entry numbers (slot-table.ts) finds an entry by key;
 * - `head[p]` is the newest entry of profile `p`.
 *
 * Example:
 * ```ts
 * const ids = new IdIndex();
 * ids.ensureProfiles(1);
 * ids.attach(0, 'uid', 'c-1'); // true
 * ids.find('uid', 'c-1'); // 0
 * ids.all(0); // { uid: 'c-1' }
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
  private length = new Uint32Array(16);
  private hash = new Uint32Array(16);
  private profile = new Int32Array(16).fill(NONE);
  private next = new Int32Array(16).fill(NONE);
  private entriesUsed = 0;
  private freeEntry = NONE;
  private table = new SlotTable();
  private head = new Int32Array(16).fill(NONE);
  private readonly seed: number;
  private readonly hashMask: number;
  private probeHash = 0;

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
   * Attaches the ID to profile `p`. Returns false, attaching nothing, when the value is empty, the ID
   * already belongs to a profile (this one or another), or `p` already holds an ID of this type.
   */
  attach(p: number, type: string, value: string): boolean {
    if (value === '') return false;
    const t = this.internType(type);
    const n = this.keys.encode(t, value);
    if (this.lookup(n) !== NONE || this.entryOfType(p, t) !== NONE) return false;
    const h = this.probeHash;
    const e = this.allocateEntry();
    const at = this.reserveBytes(n);
    const key = this.keys.bytes;
    for (let i = 0; i < n; i++) this.bytes[at + i] = key[i] ?? 0;
    this.offset[e] = at;
    this.length[e] = n;
    this.hash[e] = h;
    this.profile[e] = p;
    this.next[e] = this.head[p] ?? NONE;
    this.head[p] = e;
    this.table.insert(e, this.hash);
    return true;
  }

  /** The value of the profile's ID of this type. */
  valueOf(p: number, type: string): string | undefined {
    const t = this.typeIds.get(type);
    const e = t === undefined ? NONE : this.entryOfType(p, t);
    if (e === NONE) return undefined;
    const start = this.offset[e] ?? 0;
    return decodeWtf8(this.bytes, start + (readTypeId(this.bytes, start) & 7), start + (this.length[e] ?? 0));
  }

  /** Whether the profile holds an ID of this type. */
  hasType(p: number, type: string): boolean {
    const t = this.typeIds.get(type);
    return t !== undefined && this.entryOfType(p, t) !== NONE;
  }

  /** Every ID of the profile by type. */
  all(p: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) {
      const start = this.offset[e] ?? 0;
      const typed = readTypeId(this.bytes, start);
      const value = decodeWtf8(this.bytes, start + (typed & 7), start + (this.length[e] ?? 0));
      out[this.typeNames[Math.floor(typed / 8)] ?? ''] = value;
    }
    return out;
  }

  /** Detaches every ID of the profile (`find` no longer finds them), wipes their bytes and frees their entries. */
  removeAll(p: number): void {
    let e = this.head[p] ?? NONE;
    while (e !== NONE) {
      const following = this.next[e] ?? NONE;
      this.table.remove(e, this.hash);
      // the ID's bytes are wiped now, not at the next compaction: a snapshot must not keep a deleted visitor
      const start = this.offset[e] ?? 0;
      this.bytes.fill(0, start, start + (this.length[e] ?? 0));
      this.garbage += this.length[e] ?? 0;
      this.profile[e] = NONE;
      this.next[e] = this.freeEntry;
      this.freeEntry = e;
      e = following;
    }
    this.head[p] = NONE;
    // a compaction scans every entry and copies the live bytes: paid for by at least as many bytes of garbage
    const enough = Math.max(MIN_GARBAGE, this.entriesUsed);
    if (this.garbage >= enough && this.garbage * 2 > this.bytesUsed) this.compact();
  }

  /** How many IDs are held. */
  size(): number {
    return this.table.size();
  }

  /** The bytes of the key arena in use, live and removed (removed ones until the next compaction). */
  arenaBytes(): number {
    return this.bytesUsed;
  }

  /** The index as snapshot parts (named `ids.*`), for profiles below `profiles`. */
  snapshot(profiles: number): SnapshotPart[] {
    const { seed, hashMask, bytesUsed, garbage, entriesUsed, freeEntry, typeNames } = this;
    const meta = { seed, hashMask, bytesUsed, garbage, entriesUsed, freeEntry, typeNames, profiles };
    return [
      jsonPart('ids.meta', meta),
      columnPart('ids.bytes', this.bytes, bytesUsed),
      columnPart('ids.offset', this.offset, entriesUsed),
      columnPart('ids.length', this.length, entriesUsed),
      columnPart('ids.hash', this.hash, entriesUsed),
      columnPart('ids.profile', this.profile, entriesUsed),
      columnPart('ids.next', this.next, entriesUsed),
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
    const room = nextCapacity(16, used);
    ids.offset = reader.column('ids.offset', Uint32Array, used, room);
    ids.length = reader.column('ids.length', Uint32Array, used, room);
    ids.hash = reader.column('ids.hash', Uint32Array, used, room);
    ids.profile = reader.column('ids.profile', Int32Array, used, room, NONE);
    ids.next = reader.column('ids.next', Int32Array, used, room, NONE);
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
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[i] ?? NONE;
      if (e === NONE) return NONE;
      if (this.hash[e] !== h || this.length[e] !== n) continue;
      const start = this.offset[e] ?? 0;
      let k = 0;
      while (k < n && this.bytes[start + k] === key[k]) k++;
      if (k === n) return e;
    }
  }

  /** The profile's entry of type id `t`, or NONE. */
  private entryOfType(p: number, t: number): number {
    for (let e = this.head[p] ?? NONE; e !== NONE; e = this.next[e] ?? NONE) {
      if (Math.floor(readTypeId(this.bytes, this.offset[e] ?? 0) / 8) === t) return e;
    }
    return NONE;
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
      const capacity = nextCapacity(this.offset.length, e + 1);
      this.offset = grown(this.offset, capacity);
      this.length = grown(this.length, capacity);
      this.hash = grown(this.hash, capacity);
      this.profile = grown(this.profile, capacity, NONE);
      this.next = grown(this.next, capacity, NONE);
    }
    return e;
  }

  /** The offset of `n` new bytes at the end of the arena (grown by half when full). */
  private reserveBytes(n: number): number {
    if (this.bytesUsed + n > this.bytes.length)
      this.bytes = grown(this.bytes, Math.max(this.bytesUsed + n, Math.ceil(this.bytes.length * 1.5)));
    const at = this.bytesUsed;
    this.bytesUsed += n;
    return at;
  }

  /** Copies the live keys into a new arena, half as large again as they are, and drops the garbage. */
  private compact(): void {
    const bytes = new Uint8Array(Math.max(256, Math.ceil((this.bytesUsed - this.garbage) * 1.5)));
    let at = 0;
    for (let e = 0; e < this.entriesUsed; e++) {
      if (this.profile[e] === NONE) continue;
      const start = this.offset[e] ?? 0;
      const n = this.length[e] ?? 0;
      for (let i = 0; i < n; i++) bytes[at + i] = this.bytes[start + i] ?? 0;
      this.offset[e] = at;
      at += n;
    }
    this.bytes = bytes;
    this.bytesUsed = at;
    this.garbage = 0;
  }
}
