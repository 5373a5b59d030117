import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import { grown, nextCapacity } from '../profiles/typed-arrays.ts';
import type { Bitmap, ReadonlyBitmap } from './bitmap.ts';
import { bitmapsByKey, moveKeyed } from './bitmaps-by-key.ts';

/** The profile attributes indexed by value, as rule paths. */
export const VALUE_PATHS = [
  'geo.country',
  'geo.region',
  'geo.city',
  'device.type',
  'device.os',
  'device.browser',
] as const;

/** A value-indexed attribute. Example: `'geo.city'`. */
export type ValuePath = (typeof VALUE_PATHS)[number];

type ValueColumn = 'country' | 'region' | 'city' | 'deviceType' | 'os' | 'browser';
const COLUMNS: readonly ValueColumn[] = ['country', 'region', 'city', 'deviceType', 'os', 'browser'];

/** Whether a rule path is value-indexed. Example: `isValuePath('geo.city')` -> `true`. */
export function isValuePath(path: string): path is ValuePath {
  return (VALUE_PATHS as readonly string[]).includes(path);
}

/**
 * Per value-indexed attribute, one bitmap per value (keyed by the store's interned string id) of the
 * profiles whose latest value it is. A copy of each profile's indexed ids is kept so that a change moves
 * the profile out of its old bitmap without searching (24 bytes a profile).
 *
 * Example:
 * ```ts
 * values.set(p, profiles.columnsView());
 * values.of('geo.city'); // Map { 7 => {p} } where 7 is the interned id of 'London'
 * ```
 */
export class ValueBitmaps {
  private readonly byPath: Map<number, Bitmap>[] = COLUMNS.map(() => new Map<number, Bitmap>());
  private held: Uint32Array[] = COLUMNS.map(() => new Uint32Array(0));

  /** The value bitmaps of an attribute, by interned string id (some may be empty). */
  of(path: ValuePath): ReadonlyMap<number, ReadonlyBitmap> {
    return this.byPath[VALUE_PATHS.indexOf(path)] ?? new Map();
  }

  /** Moves `p` to the bitmaps of its current values in the store. */
  set(p: number, view: ProfileColumnsView): void {
    this.ensure(p + 1);
    // one static property each (not `view[column]`): this runs on every event
    this.move(0, p, view.country[p] ?? 0);
    this.move(1, p, view.region[p] ?? 0);
    this.move(2, p, view.city[p] ?? 0);
    this.move(3, p, view.deviceType[p] ?? 0);
    this.move(4, p, view.os[p] ?? 0);
    this.move(5, p, view.browser[p] ?? 0);
  }

  /** Takes `p` out of every value bitmap. */
  clear(p: number): void {
    if (p >= (this.held[0]?.length ?? 0)) return;
    for (let a = 0; a < COLUMNS.length; a++) this.move(a, p, 0);
  }

  /** Rebuilds every bitmap from the store's live profiles. */
  build(view: ProfileColumnsView): void {
    this.held = COLUMNS.map(() => new Uint32Array(nextCapacity(0, view.highWater)));
    for (let a = 0; a < COLUMNS.length; a++) {
      const values = view[COLUMNS[a] as ValueColumn];
      const held = this.held[a] as Uint32Array;
      for (let p = 0; p < view.highWater; p++) if (view.live[p] === 1) held[p] = values[p] ?? 0;
      this.byPath[a] = bitmapsByKey(held, view.highWater);
    }
  }

  private move(a: number, p: number, id: number): void {
    moveKeyed(this.byPath[a] as Map<number, Bitmap>, this.held[a] as Uint32Array, p, id);
  }

  private ensure(capacity: number): void {
    const length = this.held[0]?.length ?? 0;
    if (capacity <= length) return;
    const next = nextCapacity(length, capacity);
    this.held = this.held.map((column) => grown(column, next));
  }
}
