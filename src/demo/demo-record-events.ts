import type { CollectedEvent } from '../core/event.ts';
import type { DemoRecord } from '../core/demo-record.ts';
import { MINUTE_MS } from '../core/clock.ts';
import type { CollectLimits, Enricher, ValidateContext } from '../collect/index.ts';
import { validateEvent } from '../collect/index.ts';
import type { RawDemoEvent } from './raw-demo-event.ts';
import type { VisitSchedule } from './visit-schedule.ts';
import { buildSchedule } from './visit-schedule.ts';
import { carriedInto, dayEvents } from './generate-demo.ts';
import { visitEvents } from './visit-events.ts';
import { demoProfileOf, profileUid } from '../core/demo-uid.ts';
import { DAY_MS } from './visit-schedule.ts';

/** The ingestion path's allowance for clock skew; demo events are never in the future. */
const MAX_FUTURE_MS = 5 * MINUTE_MS;

/**
 * Turns `demo` log records back into the events they stand for (ADR 0016): the day's raw events drawn
 * again, validated and enriched as a trusted `POST /v1/events` of them was. The schedule of the last data
 * set is kept (about 70 bytes a profile), and so are the events the last day carried into the next, so
 * records applied in order draw each visit once.
 *
 * Example:
 * ```ts
 * const demoEvents = new DemoRecordEvents(enrich, defaultLimits);
 * for (const event of demoEvents.eventsOf(record)) apply(event); // a generator
 * ```
 */
export class DemoRecordEvents {
  /** events refused by validation (none for a record the demo command wrote) */
  rejected = 0;
  private cached: Cached | undefined;

  constructor(
    private readonly enrich: Enricher,
    private readonly limits: CollectLimits,
  ) {}

  /**
   * The record's events in time order, without those of the profiles it excepts, validated one at a
   * time as they are taken (so that each dies young).
   */
  *eventsOf(record: DemoRecord): Generator<CollectedEvent> {
    const { day } = record;
    const cached = this.scheduleOf(record);
    const carryIn = cached.day === day - 1 ? cached.carry : carriedInto(cached.schedule, day);
    const { events: raw, carry } = dayEvents(cached.schedule, day, carryIn);
    cached.day = day;
    cached.carry = carry;
    const ctx = this.context(record);
    const skip = new Set((record.except ?? []).map((n) => profileUid(cached.schedule.seed, n)));
    for (let i = 0; i < raw.length; i++) {
      const event = raw[i] as RawDemoEvent;
      raw[i] = undefined as unknown as RawDemoEvent; // let the raw event go once it is validated
      if (skip.size > 0 && skip.has(event.uid)) continue;
      const result = validateEvent(event, i, ctx);
      if (result.ok) yield result.event;
      else this.rejected++;
    }
  }

  /**
   * The events of one visitor (by uid) that the record stands for, as `eventsOf` gives them (for a
   * visitor's export): only that profile's visits are drawn. None for a uid the data set did not make or
   * that the record excepts.
   */
  visitorEvents(record: DemoRecord, uid: string): CollectedEvent[] {
    const { schedule: s } = this.scheduleOf(record);
    const n = demoProfileOf(s.seed, record.spec.profiles, uid);
    if (n === undefined || record.except?.includes(n) === true) return [];
    const ctx = this.context(record);
    const out: CollectedEvent[] = [];
    for (let d = Math.max(0, record.day - 1); d <= record.day; d++) {
      const dayEnd = s.windowStart + (d + 1) * DAY_MS;
      for (let i = s.dayStart[d] as number; i < (s.dayStart[d + 1] as number); i++) {
        const visit = s.byDay[i] as number;
        if (s.visitProfile[visit] !== n) continue;
        for (const event of visitEvents(s, visit)) {
          // an event past its visit's day belongs to the next day's record (except on the last day)
          const recordDay = event.ts > dayEnd && d < s.days - 1 ? d + 1 : d;
          if (recordDay !== record.day) continue;
          const result = validateEvent(event, 0, ctx);
          if (result.ok) out.push(result.event);
        }
      }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  private scheduleOf(record: DemoRecord): Cached {
    const { spec, day } = record;
    const key = `${spec.profiles}|${spec.days}|${spec.seed}|${spec.now}`;
    let cached = this.cached;
    if (cached?.key !== key) {
      const schedule = buildSchedule(spec.profiles, spec.days, spec.seed >>> 0, spec.now);
      cached = this.cached = { key, schedule, day: -1, carry: [] };
    }
    if (!Number.isInteger(day) || day < 0 || day >= cached.schedule.days)
      throw new RangeError(`demo record: day ${day} is not a day of a ${spec.days}-day data set`);
    return cached;
  }

  private context(record: DemoRecord): ValidateContext {
    return {
      now: record.spec.now,
      maxAgeMs: record.maxAgeMs,
      maxFutureMs: MAX_FUTURE_MS,
      limits: this.limits,
      trusted: true,
      enrich: this.enrich,
    };
  }
}

interface Cached {
  key: string;
  schedule: VisitSchedule;
  day: number;
  carry: RawDemoEvent[];
}
