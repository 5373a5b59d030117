import type { Consent } from '../core/event.ts';
import type { SnapshotPart } from './profile-store.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';

/**
 * The latest consent of each profile, by event time, with no object per profile: distinct consents
 * are interned in a table (by their canonical JSON, fields in a fixed order) with a count of the
 * profiles holding each, and a profile keeps a table id (Uint32, 0 = none) and the time of its
 * consent (Float64, NaN = none): 12 bytes a profile. A consent no profile holds any more leaves the
 * table and its id is reused. `of` returns the table's frozen object, shared by the profiles that
 * hold the same consent.
 *
 * Example: `column.record(p, { gdpr: 1, tcf: 'CQ...' }, ts); column.of(p)`.
 */
export class ConsentColumn {
  private ids = new Uint32Array(0);
  private times = new Float64Array(0);
  /** one past the highest profile index that ever held a consent */
  private extent = 0;
  /** by table id (0 unused): the consent, its canonical JSON and how many profiles hold it */
  private consents: (Readonly<Consent> | undefined)[] = [undefined];
  private keys: (string | undefined)[] = [undefined];
  private holders: number[] = [0];
  private byKey = new Map<string, number>();
  private freeIds: number[] = [];

  /**
   * Keeps `consent` as the profile's unless it already holds one from a later time, or from the same
   * time with a canonical form (JSON of its fields in a fixed order) that sorts after this one's: ties
   * are broken on the consents themselves, so the result does not depend on the order of arrival.
   */
  record(p: number, consent: Consent, ts: number): void {
    if (p >= this.ids.length) {
      const capacity = nextCapacity(this.ids.length, p + 1);
      this.ids = grown(this.ids, capacity);
      this.times = grown(this.times, capacity, NaN);
    }
    const held = this.times[p] ?? NaN;
    if (ts < held) return;
    const key = canonical(consent);
    if (ts === held && key <= (this.keys[this.ids[p] ?? 0] ?? '')) return;
    this.extent = Math.max(this.extent, p + 1);
    const id = this.intern(key);
    this.release(this.ids[p] ?? 0);
    this.ids[p] = id;
    this.times[p] = ts;
  }

  /** The profile's latest consent (shared and frozen). */
  of(p: number): Consent | undefined {
    return this.consents[this.ids[p] ?? 0];
  }

  /**
   * Profile `from`'s consent joins profile `to`'s (a merge): `to` keeps the later by event time (on
   * equal times, by canonical form, as `record` does); `from` then holds none.
   */
  absorb(to: number, from: number): void {
    const consent = this.of(from);
    if (consent === undefined) return;
    this.record(to, consent, this.times[from] ?? NaN);
    this.clear(from);
  }

  /** Forgets the profile's consent. */
  clear(p: number): void {
    if (p >= this.extent) return;
    this.release(this.ids[p] ?? 0);
    this.ids[p] = 0;
    this.times[p] = NaN;
  }

  /** How many distinct consents are held. */
  distinct(): number {
    return this.byKey.size;
  }

  /** The column as snapshot parts (named `consents.*`). */
  snapshot(): SnapshotPart[] {
    return [
      jsonPart('consents.table', { extent: this.extent, keys: this.keys, free: this.freeIds }),
      columnPart('consents.ids', this.ids, this.extent),
      columnPart('consents.times', this.times, this.extent),
    ];
  }

  /** The column of `snapshot`'s parts; the profiles' ids are counted again to rebuild each consent's holders. */
  static restore(reader: SnapshotReader): ConsentColumn {
    const table = reader.json('consents.table') as Record<string, unknown>;
    const column = new ConsentColumn();
    const extent = (column.extent = integer(table.extent, 'consents extent'));
    if (!Array.isArray(table.keys) || table.keys[0] !== null)
      throw new Error('snapshot consents.table: keys is not a table');
    const keys = table.keys as unknown[];
    column.keys = keys.map((key) => (typeof key === 'string' ? key : undefined));
    column.consents = column.keys.map((key) => (key === undefined ? undefined : parse(key)));
    column.holders = column.keys.map(() => 0);
    column.keys.forEach((key, id) => {
      if (key !== undefined) column.byKey.set(key, id);
    });
    // the free ids in the order they were freed, so that the next consent gets the id it would have got
    const free = table.free;
    const isFree = (id: unknown): id is number =>
      Number.isSafeInteger(id) && (id as number) > 0 && column.keys[id as number] === undefined;
    if (
      !Array.isArray(free) ||
      !free.every(isFree) ||
      new Set(free).size !== column.keys.length - 1 - column.byKey.size
    )
      throw new Error('snapshot consents.table: free is not the list of the free ids');
    column.freeIds = free;
    const capacity = nextCapacity(0, extent);
    column.ids = reader.column('consents.ids', Uint32Array, extent, capacity);
    column.times = reader.column('consents.times', Float64Array, extent, capacity, NaN);
    for (let p = 0; p < extent; p++) {
      const id = column.ids[p] ?? 0;
      if (id !== 0) column.holders[id] = (column.holders[id] ?? 0) + 1;
    }
    return column;
  }

  /** The table id of the consent of canonical form `key`, counting one more holder. */
  private intern(key: string): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.freeIds.pop() ?? this.keys.length;
      this.keys[id] = key;
      this.consents[id] = parse(key);
      this.holders[id] = 0;
      this.byKey.set(key, id);
    }
    this.holders[id] = (this.holders[id] ?? 0) + 1;
    return id;
  }

  /** Counts one holder less of table id `id`; the last one out frees the id. */
  private release(id: number): void {
    if (id === 0) return;
    const left = (this.holders[id] ?? 1) - 1;
    this.holders[id] = left;
    if (left > 0) return;
    this.byKey.delete(this.keys[id] ?? '');
    this.keys[id] = undefined;
    this.consents[id] = undefined;
    this.freeIds.push(id);
  }
}

/** The consent's JSON with its fields in a fixed order, so equal consents have equal keys. */
function canonical(c: Consent): string {
  return JSON.stringify([c.gdpr, c.tcf, c.usp, c.gpp, c.gppSid, c.gpc]);
}

/** The frozen consent of a canonical key: absent fields stay absent. */
function parse(key: string): Readonly<Consent> {
  const [gdpr, tcf, usp, gpp, gppSid, gpc] = JSON.parse(key) as unknown[];
  const consent: Record<string, unknown> = {};
  const fields = { gdpr, tcf, usp, gpp, gppSid, gpc };
  for (const [name, value] of Object.entries(fields))
    if (value !== null && value !== undefined) consent[name] = value;
  if (Array.isArray(consent.gppSid)) Object.freeze(consent.gppSid);
  return Object.freeze(consent);
}
