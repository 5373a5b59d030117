import { Prng, hash2 } from './prng.ts';
import { geometric } from './sampling.ts';
import { drawVisitPlan } from './visit-plan.ts';
import { drawPlace } from './geo-table.ts';
import { DEVICES, drawDevice } from './device-table.ts';

export const DAY_MS = 86_400_000;
/** Visits per profile: geometric with mean 3. */
export const VISIT_MEAN = 3;
const MAX_VISITS = 100;
/** The least time from the end of one visit to the start of the next. */
export const VISIT_SEPARATION_MS = 3_600_000;
/** Profile flags: which other IDs a profile has. */
export const HAS_MAID = 1;
export const HAS_PARTNER_ID = 2;

/**
 * Every profile's fixed attributes and every visit's start and seed, in typed arrays (about 20 bytes per
 * visit and 5 per profile), with the visits indexed by day so that events can be made one day at a time.
 *
 * Example: the visits of day `d` are `byDay[dayStart[d]] .. byDay[dayStart[d + 1] - 1]`.
 */
export interface VisitSchedule {
  seed: number;
  /** events are in `(windowStart, windowEnd]` */
  windowStart: number;
  windowEnd: number;
  days: number;
  place: Uint16Array;
  device: Uint8Array;
  altDevice: Uint8Array;
  flags: Uint8Array;
  visitCount: number;
  visitProfile: Uint32Array;
  visitStart: Float64Array;
  visitSeed: Uint32Array;
  eventCount: number;
  byDay: Uint32Array;
  dayStart: Uint32Array;
}

/**
 * Draws every profile and its visits. Visits are spread uniformly over the window by the spacings method:
 * the free time (window minus visit durations minus the hour between visits) is cut at sorted uniform
 * points, so visits never overlap, are at least an hour apart, and all fall inside the window.
 * Example: `buildSchedule(10_000, 90, 42, Date.UTC(2026, 10, 20))`
 */
export function buildSchedule(profiles: number, days: number, seed: number, now: number): VisitSchedule {
  const span = Math.round(days * DAY_MS);
  const s = newSchedule(profiles, days, seed, now, span);
  const durations = new Float64Array(MAX_VISITS);
  const seeds = new Uint32Array(MAX_VISITS);
  const cuts = new Float64Array(MAX_VISITS);
  let capacity = Math.ceil(profiles * VISIT_MEAN * 1.1) + 16;
  for (let p = 0; p < profiles; p++) {
    const rng = new Prng(hash2(seed, p));
    s.place[p] = drawPlace(rng);
    const device = drawDevice(rng);
    s.device[p] = device;
    s.altDevice[p] = drawDevice(rng);
    const mobile = DEVICES[device]?.type === 'mobile' || DEVICES[device]?.type === 'tablet';
    s.flags[p] = (mobile && rng.chance(0.4) ? HAS_MAID : 0) | (rng.chance(0.05) ? HAS_PARTNER_ID : 0);
    let k = geometric(rng, VISIT_MEAN, MAX_VISITS);
    let busy = 0;
    for (let i = 0; i < k; i++) {
      seeds[i] = rng.nextUint32();
      const plan = drawVisitPlan(new Prng(seeds[i] as number));
      durations[i] = plan.duration;
      s.eventCount += plan.pageviews + (plan.purchaseOffset >= 0 ? 1 : 0);
      busy += plan.duration + (i > 0 ? VISIT_SEPARATION_MS : 0);
    }
    while (k > 1 && busy > span - 1) {
      k--;
      busy -= (durations[k] as number) + VISIT_SEPARATION_MS;
      s.eventCount -= countEvents(seeds[k] as number);
    }
    const free = Math.max(0, span - 1 - busy);
    for (let i = 0; i < k; i++) cuts[i] = Math.floor(rng.next() * free);
    cuts.subarray(0, k).sort();
    if (s.visitCount + k > capacity) {
      capacity *= 2;
      growVisits(s, capacity);
    }
    let before = 0;
    for (let i = 0; i < k; i++) {
      const v = s.visitCount++;
      s.visitProfile[v] = p;
      s.visitStart[v] = s.windowStart + 1 + (cuts[i] as number) + before;
      s.visitSeed[v] = seeds[i] as number;
      before += (durations[i] as number) + VISIT_SEPARATION_MS;
    }
  }
  indexByDay(s);
  return s;
}

function countEvents(visitSeed: number): number {
  const plan = drawVisitPlan(new Prng(visitSeed));
  return plan.pageviews + (plan.purchaseOffset >= 0 ? 1 : 0);
}

function newSchedule(profiles: number, days: number, seed: number, now: number, span: number): VisitSchedule {
  const capacity = Math.ceil(profiles * VISIT_MEAN * 1.1) + 16;
  return {
    seed,
    windowStart: now - span,
    windowEnd: now,
    days: Math.max(1, Math.ceil(span / DAY_MS)),
    place: new Uint16Array(profiles),
    device: new Uint8Array(profiles),
    altDevice: new Uint8Array(profiles),
    flags: new Uint8Array(profiles),
    visitCount: 0,
    visitProfile: new Uint32Array(capacity),
    visitStart: new Float64Array(capacity),
    visitSeed: new Uint32Array(capacity),
    eventCount: 0,
    byDay: new Uint32Array(0),
    dayStart: new Uint32Array(0),
  };
}

function growVisits(s: VisitSchedule, capacity: number): void {
  const profile = new Uint32Array(capacity);
  profile.set(s.visitProfile.subarray(0, s.visitCount));
  const start = new Float64Array(capacity);
  start.set(s.visitStart.subarray(0, s.visitCount));
  const seed = new Uint32Array(capacity);
  seed.set(s.visitSeed.subarray(0, s.visitCount));
  s.visitProfile = profile;
  s.visitStart = start;
  s.visitSeed = seed;
}

/** A counting sort of the visits by the day of their start, keeping profile order within a day. */
function indexByDay(s: VisitSchedule): void {
  const dayOf = (v: number): number =>
    Math.min(s.days - 1, Math.floor(((s.visitStart[v] as number) - s.windowStart - 1) / DAY_MS));
  const dayStart = new Uint32Array(s.days + 1);
  for (let v = 0; v < s.visitCount; v++) {
    const d = dayOf(v) + 1;
    dayStart[d] = (dayStart[d] as number) + 1;
  }
  for (let d = 0; d < s.days; d++) dayStart[d + 1] = (dayStart[d + 1] as number) + (dayStart[d] as number);
  const next = dayStart.slice(0, s.days);
  const byDay = new Uint32Array(s.visitCount);
  for (let v = 0; v < s.visitCount; v++) {
    const d = dayOf(v);
    const at = next[d] as number;
    byDay[at] = v;
    next[d] = at + 1;
  }
  s.byDay = byDay;
  s.dayStart = dayStart;
}
