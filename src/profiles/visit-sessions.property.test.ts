import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VISIT_GAP_MS, VisitSessions } from './visit-sessions.ts';
import { wholeParts } from './snapshot-parts.ts';
import { SnapshotReader } from './snapshot-parts.ts';

const PROFILES = 4;
const T0 = Date.UTC(2026, 10, 20);

/** The visits of a set of times, by the definition: runs of sorted times each at most the gap apart. */
function visitsOf(times: readonly number[]): [number, number][] {
  const sorted = [...times].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && t - last[1] <= VISIT_GAP_MS) last[1] = t;
    else out.push([t, t]);
  }
  return out;
}

/** What `ProfileColumns.record` keeps beside the sessions, per profile. */
interface Held {
  first: number;
  last: number;
  visits: number;
}

/** Applies an event time as `ProfileColumns.record` does. */
function record(sessions: VisitSessions, held: Held, p: number, ts: number): void {
  if (Number.isNaN(held.last)) Object.assign(held, { first: ts, last: ts, visits: 1 });
  else if (ts >= held.last) {
    if (ts - held.last > VISIT_GAP_MS) {
      sessions.append(p, held.first, held.last, ts);
      held.visits++;
    }
    held.last = ts;
  } else {
    held.visits = sessions.insert(p, held.first, held.last, ts);
    held.first = Math.min(held.first, ts);
  }
}

// times from 1 ms to weeks apart, at and around the gap; many visits per profile, so blocks move up
// classes, are freed and compacted (chunks of 256 bytes); removals and snapshot-restores between
const gap = fc.oneof(
  fc.constantFrom(0, 1, VISIT_GAP_MS - 1, VISIT_GAP_MS, VISIT_GAP_MS + 1),
  fc.integer({ min: 0, max: 3 * VISIT_GAP_MS }),
  fc.integer({ min: 0, max: 30 * 86_400_000 }),
);
const op = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      p: fc.nat(PROFILES - 1),
      at: gap,
      back: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), p: fc.nat(PROFILES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const) }) },
);

void it('keeps exactly the visits of every profile, in any order, through clears, growth, compaction and snapshots', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      let sessions = new VisitSessions({ firstChunk: 256 });
      sessions.ensureProfiles(PROFILES);
      const times: number[][] = Array.from({ length: PROFILES }, () => []);
      const held: Held[] = times.map(() => ({ first: NaN, last: NaN, visits: 0 }));
      // each profile's events move forward from T0 by `at`, or land `at` before its newest (late)
      const cursor = times.map(() => T0);
      for (const o of ops) {
        if (o.kind === 'event') {
          const ts = o.back
            ? Math.max(0, (cursor[o.p] ?? T0) - o.at)
            : (cursor[o.p] = (cursor[o.p] ?? T0) + o.at);
          times[o.p]!.push(ts);
          record(sessions, held[o.p]!, o.p, ts);
        } else if (o.kind === 'clear') {
          sessions.clear(o.p);
          times[o.p] = [];
          held[o.p] = { first: NaN, last: NaN, visits: 0 };
        } else {
          sessions = VisitSessions.restore(
            new SnapshotReader(wholeParts(sessions.snapshot(PROFILES))),
            PROFILES,
          );
        }
        for (let p = 0; p < PROFILES; p++) {
          const expected = visitsOf(times[p]!);
          const h = held[p]!;
          assert.deepEqual(sessions.visitsOf(p, h.first, h.last), expected, `profile ${p}`);
          assert.equal(h.visits, expected.length);
        }
      }
    }),
    { numRuns: 300 },
  );
});
