import type { RawDemoEvent } from './raw-demo-event.ts';
import type { DemoTraitSpec } from './demo-traits.ts';
import type { DemoSegmentSpec } from './demo-segments.ts';
import type { VisitSchedule } from './visit-schedule.ts';
import { Prng, hash2 } from './prng.ts';
import { demoTraits } from './demo-traits.ts';
import { demoSegments } from './demo-segments.ts';
import { DAY_MS, buildSchedule } from './visit-schedule.ts';
import { visitEvents } from './visit-events.ts';

export type { RawDemoEvent } from './raw-demo-event.ts';
export type { DemoTraitSpec } from './demo-traits.ts';
export type { DemoSegmentSpec } from './demo-segments.ts';

/**
 * What to generate. `now` is passed in (the generator never reads the clock); `days` is at least 1.
 * Example: `{ profiles: 10_000, days: 90, seed: 42, now: Date.UTC(2026, 10, 20) }`
 */
export interface DemoOptions {
  profiles: number;
  days: number;
  seed: number;
  /** epoch ms; every event is in `(now - days, now]` */
  now: number;
  /** rule-based traits, default 60 (the 60 hand-written ones; fewer is not possible); 1,000 for benchmarks */
  ruleTraits?: number;
  /** segments, default 20; 200 for benchmarks */
  segments?: number;
}

/**
 * A generated demo tenant. Events are made lazily, one day at a time, each time `batches` is called.
 * Example:
 * ```ts
 * const demo = generateDemo({ profiles: 10_000, days: 90, seed: 1, now: Date.now() });
 * for (const t of demo.traits) await post('/v1/traits', t);
 * for (const s of demo.segments) await post('/v1/segments', s);
 * for (const batch of demo.batches(5_000)) await post('/v1/events', batch);
 * ```
 */
export interface DemoData {
  /** rule-based traits over the generated events */
  traits: DemoTraitSpec[];
  /** in dependency order: a segment referring to another comes after it */
  segments: DemoSegmentSpec[];
  /** raw events exactly as `POST /v1/events` takes them, in batches, in ascending `ts` order overall */
  batches(batchSize: number): Generator<RawDemoEvent[]>;
  /** the same events one day of the data set at a time (`days` arrays, some possibly empty) */
  days(): Generator<RawDemoEvent[]>;
  /** the number of events `batches` yields in all */
  eventCount(): number;
}

/**
 * Generates the standard data set (docs/performance.md): the same options always give the same output.
 * Profile and visit schedules are drawn at once into typed arrays (about 70 bytes per profile); events
 * are drawn again from per-visit seeds as they are emitted. Throws a `RangeError` for impossible options.
 * Example: `generateDemo({ profiles: 1_000_000, days: 90, seed: 7, now, ruleTraits: 1_000, segments: 200 })`
 */
export function generateDemo(options: DemoOptions): DemoData {
  const { profiles, days, seed, now } = options;
  if (!Number.isInteger(profiles) || profiles < 0 || profiles >= 2 ** 32)
    throw new RangeError('profiles must be a whole number');
  if (!Number.isFinite(days) || days < 1) throw new RangeError('days must be at least 1');
  if (!Number.isSafeInteger(now)) throw new RangeError('now must be epoch milliseconds');
  const rules = new Prng(hash2(seed, 0x72756c65));
  const traits = demoTraits(rules, options.ruleTraits ?? 60);
  const segments = demoSegments(rules, traits, options.segments ?? 20);
  const schedule = buildSchedule(profiles, days, seed >>> 0, now);
  return {
    traits,
    segments,
    batches: (batchSize) => inBatches(dayByDay(schedule), batchSize),
    days: () => dayByDay(schedule),
    eventCount: () => schedule.eventCount,
  };
}

/** Every event in time order, one day at a time (by visit start); a visit may run into the next day. */
function* dayByDay(s: VisitSchedule): Generator<RawDemoEvent[]> {
  let carry: RawDemoEvent[] = [];
  for (let d = 0; d < s.days; d++) {
    const day = dayEvents(s, d, carry);
    carry = day.carry;
    yield day.events;
  }
}

/** The events of one day of the data set, in time order, and those its visits carry into the next day. */
export interface DayEvents {
  events: RawDemoEvent[];
  carry: RawDemoEvent[];
}

/**
 * Day `d`'s events exactly as `batches` yields them: the events carried in from day `d - 1` (`carryIn`,
 * from the previous call, or `carriedInto(s, d)`) and those of the visits starting on day `d` that do
 * not run past its end (on the last day, all of them), sorted by time (ties in that order).
 * Example: `let carry = []; for (let d = 0; d < s.days; d++) ({ carry } = dayEvents(s, d, carry));`
 */
export function dayEvents(s: VisitSchedule, d: number, carryIn: readonly RawDemoEvent[]): DayEvents {
  const dayEnd = s.windowStart + (d + 1) * DAY_MS;
  const today = [...carryIn];
  const times = today.map(timeOf);
  const carry: RawDemoEvent[] = [];
  for (let i = s.dayStart[d] as number; i < (s.dayStart[d + 1] as number); i++) {
    for (const event of visitEvents(s, s.byDay[i] as number)) {
      const ts = event.ts;
      if (ts > dayEnd && d < s.days - 1) carry.push(event);
      else {
        today.push(event);
        times.push(ts);
      }
    }
  }
  return { events: sortByTime(today, times), carry };
}

/**
 * The events day `d - 1`'s visits carry into day `d` (none into day 0): what `dayEvents` needs to make
 * day `d` on its own, at the cost of drawing day `d - 1`'s visits again.
 * Example: `dayEvents(s, 5, carriedInto(s, 5))` equals the sixth day `batches` yields.
 */
export function carriedInto(s: VisitSchedule, d: number): RawDemoEvent[] {
  if (d <= 0) return [];
  const dayEnd = s.windowStart + d * DAY_MS;
  const carry: RawDemoEvent[] = [];
  for (let i = s.dayStart[d - 1] as number; i < (s.dayStart[d] as number); i++) {
    for (const event of visitEvents(s, s.byDay[i] as number)) if (event.ts > dayEnd) carry.push(event);
  }
  return carry;
}

const timeOf = (event: RawDemoEvent): number => event.ts;

/**
 * A stable sort of events by time through an index: events differ in shape (optional fields), so
 * comparing them directly is a megamorphic property read per comparison, about 10x slower.
 */
function sortByTime(events: RawDemoEvent[], times: number[]): RawDemoEvent[] {
  const order = new Uint32Array(events.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const t = Float64Array.from(times);
  order.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  const sorted = new Array<RawDemoEvent>(events.length);
  for (let i = 0; i < order.length; i++) sorted[i] = events[order[i] as number] as RawDemoEvent;
  return sorted;
}

/** Cuts the days' events into batches of `batchSize`, the last one shorter. */
function* inBatches(days: Iterable<RawDemoEvent[]>, batchSize: number): Generator<RawDemoEvent[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be at least 1');
  let batch: RawDemoEvent[] = [];
  for (const events of days) {
    let i = 0;
    while (i < events.length) {
      const take = Math.min(batchSize - batch.length, events.length - i);
      batch =
        batch.length === 0 && take === batchSize
          ? events.slice(i, i + take)
          : batch.concat(events.slice(i, i + take));
      i += take;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
