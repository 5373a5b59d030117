import type { CollectedEvent } from '../core/event.ts';
import type { SnapshotPart } from './profile-store.ts';
import type { StringTable } from './string-table.ts';
import { columnPart, integer, jsonPart, type SnapshotReader } from './snapshot-parts.ts';
import { grown, nextCapacity } from './typed-arrays.ts';
import { VisitSessions, VISIT_GAP_MS } from './visit-sessions.ts';

export { VISIT_GAP_MS } from './visit-sessions.ts';

/** The Float64 columns, then the Uint32 ones, by name (the names of their snapshot parts). */
const FLOAT64 = ['firstSeen', 'lastSeen', 'geoTs', 'deviceTs'] as const;
const UINT32 = ['visits', 'pageviews', 'country', 'region', 'city', 'deviceType', 'os', 'browser'] as const;

/**
 * The attribute columns of one tenant's profiles, one slot per dense profile index, and the
 * allocation of those indexes (a live flag per slot and a stack of freed indexes, reused first).
 *
 * Per profile: firstSeen, lastSeen, geoTs, deviceTs (Float64, epoch ms, NaN = none), visits,
 * pageviews and six interned string ids for geo and device (Uint32, 0 = absent), live (Uint8):
 * 73 bytes, plus the free stack's 4 when freed, plus the visits' own 9 (`sessions`, visit-sessions.ts)
 * and their block for a profile of two visits or more. Every attribute is the same whatever order the
 * events arrive in (README.md).
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
  /** every visit of each profile, for an exact count when events arrive late */
  sessions = new VisitSessions();
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
    this.sessions.clear(p);
    this.live[p] = 0;
    this.liveCount--;
    this.free[this.freeCount++] = p;
  }

  /**
   * Applies one event: first/last seen, visits, page views, latest geo and device, each the same
   * whatever the order of arrival (README.md). An event at or after last seen (the usual case) costs a
   * comparison, or an append to the profile's visits when it starts a new one; an older one decodes them.
   */
  record(p: number, event: CollectedEvent, strings: StringTable): void {
    const ts = event.ts;
    const last = this.lastSeen[p] ?? NaN;
    if (Number.isNaN(last)) {
      this.firstSeen[p] = ts;
      this.lastSeen[p] = ts;
      this.visits[p] = 1;
    } else if (ts >= last) {
      if (ts - last > VISIT_GAP_MS) {
        this.sessions.append(p, this.firstSeen[p] ?? ts, last, ts);
        this.visits[p] = (this.visits[p] ?? 0) + 1;
      }
      this.lastSeen[p] = ts;
    } else {
      const first = this.firstSeen[p] ?? ts;
      this.visits[p] = this.sessions.insert(p, first, last, ts);
      if (ts < first) this.firstSeen[p] = ts;
    }
    if (event.type === 'pageview') this.pageviews[p] = (this.pageviews[p] ?? 0) + 1;
    // the latest by event time wins; `!(ts <= held)` is true when held is NaN (no value yet)
    const geo = event.geo;
    const geoTs = this.geoTs[p] ?? NaN;
    if (
      (geo.country || geo.region || geo.city) &&
      (!(ts <= geoTs) ||
        (ts === geoTs &&
          greater(strings, geo.country, geo.region, geo.city, this.country, this.region, this.city, p)))
    ) {
      this.geoTs[p] = ts;
      this.country[p] = strings.intern(geo.country);
      this.region[p] = strings.intern(geo.region);
      this.city[p] = strings.intern(geo.city);
    }
    const d = event.device;
    const deviceTs = this.deviceTs[p] ?? NaN;
    if (
      (d.type || d.os || d.browser) &&
      (!(ts <= deviceTs) ||
        (ts === deviceTs &&
          greater(strings, d.type, d.os, d.browser, this.deviceType, this.os, this.browser, p)))
    ) {
      this.deviceTs[p] = ts;
      this.deviceType[p] = strings.intern(d.type);
      this.os[p] = strings.intern(d.os);
      this.browser[p] = strings.intern(d.browser);
    }
  }

  /**
   * Profile `from`'s attributes join profile `to`'s (a merge), as if every event of both had been
   * recorded on `to`: first seen the earlier, last seen the later, visits those of all the event times
   * together (`VisitSessions.absorb`), page views summed, geo and device the group of the later event
   * time (on equal times, the values that sort last, as `record` does). `from` keeps its columns until
   * the caller releases it; its visits go to `to`.
   */
  absorb(to: number, from: number, strings: StringTable): void {
    const toFirst = this.firstSeen[to] ?? NaN;
    const toLast = this.lastSeen[to] ?? NaN;
    const fromFirst = this.firstSeen[from] ?? NaN;
    const fromLast = this.lastSeen[from] ?? NaN;
    if (!Number.isNaN(fromFirst)) {
      this.visits[to] = this.sessions.absorb(to, toFirst, toLast, from, fromFirst, fromLast);
      // `!(a <= b)` is true when b is NaN (no event yet)
      if (!(toFirst <= fromFirst)) this.firstSeen[to] = fromFirst;
      if (!(toLast >= fromLast)) this.lastSeen[to] = fromLast;
    }
    this.pageviews[to] = (this.pageviews[to] ?? 0) + (this.pageviews[from] ?? 0);
    const geoTs = this.geoTs[from] ?? NaN;
    const heldGeoTs = this.geoTs[to] ?? NaN;
    if (
      !Number.isNaN(geoTs) &&
      (!(geoTs <= heldGeoTs) ||
        (geoTs === heldGeoTs &&
          greater(
            strings,
            strings.get(this.country[from] ?? 0),
            strings.get(this.region[from] ?? 0),
            strings.get(this.city[from] ?? 0),
            this.country,
            this.region,
            this.city,
            to,
          )))
    ) {
      this.geoTs[to] = geoTs;
      this.country[to] = this.country[from] ?? 0;
      this.region[to] = this.region[from] ?? 0;
      this.city[to] = this.city[from] ?? 0;
    }
    const deviceTs = this.deviceTs[from] ?? NaN;
    const heldDeviceTs = this.deviceTs[to] ?? NaN;
    if (
      !Number.isNaN(deviceTs) &&
      (!(deviceTs <= heldDeviceTs) ||
        (deviceTs === heldDeviceTs &&
          greater(
            strings,
            strings.get(this.deviceType[from] ?? 0),
            strings.get(this.os[from] ?? 0),
            strings.get(this.browser[from] ?? 0),
            this.deviceType,
            this.os,
            this.browser,
            to,
          )))
    ) {
      this.deviceTs[to] = deviceTs;
      this.deviceType[to] = this.deviceType[from] ?? 0;
      this.os[to] = this.os[from] ?? 0;
      this.browser[to] = this.browser[from] ?? 0;
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
    parts.push(...this.sessions.snapshot(used));
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
    columns.sessions = VisitSessions.restore(reader, capacity);
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
    this.sessions.ensureProfiles(capacity);
  }
}

/**
 * Whether the values `a, b, c` come after the profile's held ones (ids in columns `x, y, z` at `p`),
 * compared as strings in that order, absent as '': how a tie of event times is broken, on the values
 * themselves and not on their interned ids (given in order of arrival), so the result is the same
 * whatever the order the events arrive in.
 */
function greater(
  strings: StringTable,
  a: string | undefined,
  b: string | undefined,
  c: string | undefined,
  x: Uint32Array,
  y: Uint32Array,
  z: Uint32Array,
  p: number,
): boolean {
  const pairs: [string, string][] = [
    [a ?? '', strings.get(x[p] ?? 0) ?? ''],
    [b ?? '', strings.get(y[p] ?? 0) ?? ''],
    [c ?? '', strings.get(z[p] ?? 0) ?? ''],
  ];
  for (const [mine, held] of pairs) if (mine !== held) return mine > held;
  return false;
}
