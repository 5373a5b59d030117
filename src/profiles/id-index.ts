import { grown, nextCapacity } from './typed-arrays.ts';

const NONE = -1;

/** The key of an ID in the index: its type and value joined by a NUL, e.g. `uid\u0000c-123`. */
function keyOf(type: string, value: string): string {
  return type + '\u0000' + value;
}

/** Whether `key` is an ID of this type. */
function isOfType(key: string, type: string): boolean {
  return key.length > type.length && key.charCodeAt(type.length) === 0 && key.startsWith(type);
}

/**
 * The IDs of one tenant's profiles: from an ID to its profile, and from a profile to its IDs.
 * A profile holds at most one ID of each type (the first one attached); an ID belongs to one profile.
 *
 * Layout: ID -> profile is a `Map<string, number>` keyed by `TYPE\u0000VALUE`. That is one JS string and
 * one Map entry per ID (about 60-80 bytes): acceptable for now, the largest cost per profile; a later
 * step is an open-addressing hash table over the ID bytes in typed arrays. Profile -> IDs is a linked
 * list in parallel arrays (`keys` shares the Map's strings, `next` an Int32Array) with a head per
 * profile, so no object is kept per profile.
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
  private readonly byKey = new Map<string, number>();
  private readonly keys: string[] = [];
  private next = new Int32Array(16).fill(NONE);
  private head = new Int32Array(16).fill(NONE);
  private freeSlot = NONE;

  /** Makes room for profile indexes below `capacity`. */
  ensureProfiles(capacity: number): void {
    if (capacity > this.head.length)
      this.head = grown(this.head, nextCapacity(this.head.length, capacity), NONE);
  }

  /** The profile holding this ID. */
  find(type: string, value: string): number | undefined {
    return this.byKey.get(keyOf(type, value));
  }

  /**
   * Attaches the ID to profile `p`. Returns false, attaching nothing, when the value is empty, the ID
   * already belongs to a profile (this one or another), or `p` already holds an ID of this type.
   */
  attach(p: number, type: string, value: string): boolean {
    if (value === '') return false;
    const key = keyOf(type, value);
    if (this.byKey.has(key) || this.hasType(p, type)) return false;
    const slot = this.allocate();
    this.keys[slot] = key;
    this.next[slot] = this.head[p] ?? NONE;
    this.head[p] = slot;
    this.byKey.set(key, p);
    return true;
  }

  /** The value of the profile's ID of this type. */
  valueOf(p: number, type: string): string | undefined {
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      const key = this.keys[s] ?? '';
      if (isOfType(key, type)) return key.slice(type.length + 1);
    }
    return undefined;
  }

  /** Whether the profile holds an ID of this type. */
  hasType(p: number, type: string): boolean {
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      if (isOfType(this.keys[s] ?? '', type)) return true;
    }
    return false;
  }

  /** Every ID of the profile by type. */
  all(p: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (let s = this.head[p] ?? NONE; s !== NONE; s = this.next[s] ?? NONE) {
      const key = this.keys[s] ?? '';
      const nul = key.indexOf('\u0000');
      out[key.slice(0, nul)] = key.slice(nul + 1);
    }
    return out;
  }

  /** Detaches every ID of the profile (`find` no longer finds them) and frees their slots. */
  removeAll(p: number): void {
    let s = this.head[p] ?? NONE;
    while (s !== NONE) {
      const following = this.next[s] ?? NONE;
      this.byKey.delete(this.keys[s] ?? '');
      this.keys[s] = '';
      this.next[s] = this.freeSlot;
      this.freeSlot = s;
      s = following;
    }
    this.head[p] = NONE;
  }

  /** How many IDs are held. */
  size(): number {
    return this.byKey.size;
  }

  private allocate(): number {
    if (this.freeSlot !== NONE) {
      const slot = this.freeSlot;
      this.freeSlot = this.next[slot] ?? NONE;
      return slot;
    }
    const slot = this.keys.length;
    this.keys.push('');
    if (slot >= this.next.length)
      this.next = grown(this.next, nextCapacity(this.next.length, slot + 1), NONE);
    return slot;
  }
}
