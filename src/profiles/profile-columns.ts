import type { CollectedEvent } from '../core/event.ts';
import type { SnapshotPart } from './profile-store.ts';
import type { StringTable } from './string-table.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';

/** The Float64 columns, then the Uint32 ones, by name (the names of their snapshot parts). */
const FLOAT64 = ['firstSeen', 'lastSeen', 'geoTs', 'deviceTs'] as const;
const UINT32 = ['visits', 'pageviews', 'country', 'region', 'city', 'deviceType', 'os', 'browser'] as const;

/** Events more than this far apart (by event time) belong to different visits. */
export const VISIT_GAP_MS = 30 * 60_000;

/**
 * The attribute columns of one tenant's profiles, one slot per dense profile index, and the
 * allocation of those indexes (a live flag per slot and a stack of freed indexes, reused first).
 *
 * Per profile: firstSeen, lastSeen, geoTs, deviceTs (Float64, epoch ms, NaN = none), visits,
 * pageviews and six interned string ids for geo and device (Uint32, 0 = absent), live (Uint8):
 * 73 bytes, plus the free stack's 4 when freed.
 *
 * Example:
 * ```ts
 * const columns = new ProfileColumns();
 * const p = columns.allocate();
 * columns.record(p, event, strings);
 * columns.visits[p]; // 1
 * ```
 */
export class ProfileColumns {
  firstSeen = new Float64Array(0);
  lastSeen = new Float64Array(0);
  geoTs = new Float64Array(0);
  deviceTs = new Float64Array(0);
  visits = new Uint32Array(0);
  pageviews = new Uint32Array(0);
  country = new Uint32Array(0);
  region = new Uint32Array(0);
  city = new Uint32Array(0);
  deviceType = new Uint32Array(0);
  os = new Uint32Array(0);
  browser = new Uint32Array(0);
  live = new Uint8Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  private liveCount = 0;

  /** A fresh live index with no attributes: a freed one if any (most recently freed first), else a new one. */
  allocate(): number {
    let p: number;
    if (this.freeCount > 0) p = this.free[--this.freeCount] ?? 0;
    else {
      if (this.used === this.live.length) this.grow(nextCapacity(this.live.length, this.used + 1));
      p = this.used++;
    }
    this.firstSeen[p] = NaN;
    this.lastSeen[p] = NaN;
    this.geoTs[p] = NaN;
    this.deviceTs[p] = NaN;
    this.visits[p] = 0;
    this.pageviews[p] = 0;
    this.country[p] = this.region[p] = this.city[p] = 0;
    this.deviceType[p] = this.os[p] = this.browser[p] = 0;
    this.live[p] = 1;
    this.liveCount++;
    return p;
  }

  /** Marks `p` free for reuse; no-op when it is not live. */
  release(p: number): void {
    if (this.live[p] !== 1) return;
    this.live[p] = 0;
    this.liveCount--;
    this.free[this.freeCount++] = p;
  }

  /**
   * Applies one event: first/last seen, visits, page views, latest geo and device (see README.md for
   * out-of-order events).
   */
  record(p: number, event: CollectedEvent, strings: StringTable): void {
    const ts = event.ts;
    const last = this.lastSeen[p] ?? NaN;
    if (Number.isNaN(last)) {
      this.firstSeen[p] = ts;
      this.lastSeen[p] = ts;
      this.visits[p] = 1;
    } else {
      if (ts > last + VISIT_GAP_MS) this.visits[p] = (this.visits[p] ?? 0) + 1;
      if (ts > last) this.lastSeen[p] = ts;
      if (ts < (this.firstSeen[p] ?? NaN)) this.firstSeen[p] = ts;
    }
    if (event.type === 'pageview') this.pageviews[p] = (this.pageviews[p] ?? 0) + 1;
    const geo = event.geo;
    // `!(ts < x)` is true when x is NaN (no value yet); on equal times the later arrival wins
    if ((geo.country || geo.region || geo.city) && !(ts < (this.geoTs[p] ?? NaN))) {
      this.geoTs[p] = ts;
      this.country[p] = strings.intern(geo.country);
      this.region[p] = strings.intern(geo.region);
      this.city[p] = strings.intern(geo.city);
    }
    const device = event.device;
    if ((device.type || device.os || device.browser) && !(ts < (this.deviceTs[p] ?? NaN))) {
      this.deviceTs[p] = ts;
      this.deviceType[p] = strings.intern(device.type);
      this.os[p] = strings.intern(device.os);
      this.browser[p] = strings.intern(device.browser);
    }
  }

  /** The number of slots (live or free); every profile index is below it. */
  capacity(): number {
    return this.live.length;
  }

  /** One past the highest index ever allocated. */
  highWater(): number {
    return this.used;
  }

  /** How many profiles are live. */
  count(): number {
    return this.liveCount;
  }

  /** The columns as snapshot parts (named `columns.*`), trimmed to the high-water mark. */
  snapshot(): SnapshotPart[] {
    const { used, liveCount, freeCount } = this;
    const parts = [jsonPart('columns.meta', { used, liveCount, freeCount })];
    for (const name of [...FLOAT64, ...UINT32, 'live'] as const)
      parts.push(columnPart(`columns.${name}`, this[name], used));
    parts.push(columnPart('columns.free', this.free, freeCount));
    return parts;
  }

  /** The columns of `snapshot`'s parts, with room to double. */
  static restore(reader: SnapshotReader): ProfileColumns {
    const meta = reader.json('columns.meta') as Record<string, unknown>;
    const columns = new ProfileColumns();
    const used = (columns.used = integer(meta.used, 'columns used'));
    columns.liveCount = integer(meta.liveCount, 'columns liveCount');
    columns.freeCount = integer(meta.freeCount, 'columns freeCount');
    const capacity = nextCapacity(0, used);
    for (const name of FLOAT64)
      columns[name] = reader.column(`columns.${name}`, Float64Array, used, capacity);
    for (const name of UINT32) columns[name] = reader.column(`columns.${name}`, Uint32Array, used, capacity);
    columns.live = reader.column('columns.live', Uint8Array, used, capacity);
    columns.free = reader.column('columns.free', Int32Array, columns.freeCount, capacity);
    return columns;
  }

  private grow(capacity: number): void {
    this.firstSeen = grown(this.firstSeen, capacity);
    this.lastSeen = grown(this.lastSeen, capacity);
    this.geoTs = grown(this.geoTs, capacity);
    this.deviceTs = grown(this.deviceTs, capacity);
    this.visits = grown(this.visits, capacity);
    this.pageviews = grown(this.pageviews, capacity);
    this.country = grown(this.country, capacity);
    this.region = grown(this.region, capacity);
    this.city = grown(this.city, capacity);
    this.deviceType = grown(this.deviceType, capacity);
    this.os = grown(this.os, capacity);
    this.browser = grown(this.browser, capacity);
    this.live = grown(this.live, capacity);
    this.free = grown(this.free, capacity);
  }
}
