import type { SnapshotPart } from './profile-store.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';

const EMPTY = -1;
const MAX_LOAD = 0.75;

/**
 * An open-addressing hash table of entry numbers (non-negative integers) whose hashes are kept by the
 * caller (`hash[e]`): linear probing from slot `hash[e] & mask`, deletion by backward shift (no
 * tombstones, so probe runs stay as short as the load allows), doubled when over 3/4 full. The
 * caller probes `slots` itself, comparing its keys; the table only places and removes entries.
 * 4 bytes a slot.
 *
 * Example:
 * ```ts
 * const table = new SlotTable();
 * const hash = Uint32Array.of(0x9e3779b9);
 * table.insert(0, hash); // entry 0 is now at slot hash[0] & (table.slots.length - 1), or after it
 * table.remove(0, hash);
 * ```
 */
export class SlotTable {
  slots = new Int32Array(16).fill(EMPTY);
  private live = 0;

  /** How many entries are in the table. */
  size(): number {
    return this.live;
  }

  /** Places entry `e` (not in the table yet), growing the table first when it would be over 3/4 full. */
  insert(e: number, hash: Uint32Array): void {
    if (this.live + 1 > this.slots.length * MAX_LOAD) this.rehash(this.slots.length * 2, hash);
    place(this.slots, e, hash[e] ?? 0);
    this.live++;
  }

  /** Removes entry `e` (in the table), shifting back the entries after it that may move closer home. */
  remove(e: number, hash: Uint32Array): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let hole = (hash[e] ?? 0) & mask;
    while (slots[hole] !== e) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const f = slots[j] ?? EMPTY;
      if (f === EMPTY) break;
      const home = (hash[f] ?? 0) & mask;
      // f stays when its home lies cyclically in (hole, j]: moving it to the hole would put it before home
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole] = f;
      hole = j;
    }
    slots[hole] = EMPTY;
    this.live--;
  }

  /** The table as parts: `NAME` (the slots) and `NAME.meta`. */
  snapshot(name: string): SnapshotPart[] {
    return [columnPart(name, this.slots, this.slots.length), jsonPart(`${name}.meta`, { live: this.live })];
  }

  /** The table of `snapshot`'s parts, slots as they were: no rehash. */
  static restore(reader: SnapshotReader, name: string): SlotTable {
    const meta = reader.json(`${name}.meta`) as Record<string, unknown>;
    const table = new SlotTable();
    table.live = integer(meta.live, `${name} live`);
    const n = reader.length(name, Int32Array.BYTES_PER_ELEMENT);
    if (n < 16 || (n & (n - 1)) !== 0 || table.live >= n)
      throw new Error(`snapshot part ${name}: ${n} slots is not a power of two above ${table.live}`);
    table.slots = reader.column(name, Int32Array, n, n);
    return table;
  }

  private rehash(capacity: number, hash: Uint32Array): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    for (let i = 0; i < old.length; i++) {
      const e = old[i] ?? EMPTY;
      if (e !== EMPTY) place(this.slots, e, hash[e] ?? 0);
    }
  }
}

/** Puts `e` in the first empty slot from its home. */
function place(slots: Int32Array, e: number, h: number): void {
  const mask = slots.length - 1;
  let i = h & mask;
  while (slots[i] !== EMPTY) i = (i + 1) & mask;
  slots[i] = e;
}
