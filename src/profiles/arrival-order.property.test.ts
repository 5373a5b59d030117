import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Segment, Trait } from '../catalog/catalog.ts';
import type { CollectedEvent, Consent } from '../core/event.ts';
import { parseRule } from '../core/rules/index.ts';
import type { QualifyService } from '../qualify/qualify-service.ts';
import { scanCount } from '../qualify/testing/full-scan.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { createMemoryProfileStore } from './memory-profile-store.ts';
import type { ProfileStore } from './profile-store.ts';
import { ReferenceProfiles } from './reference-profiles.ts';

// Random histories of a few visitors, applied through the real qualification (profiles, trait rules,
// segment rules) in time order and in a shuffled order with a restart (snapshot and restore) at a
// random point: every answer must be the same, and the attributes those of the reference model.

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const TENANT = 't';
const UIDS = ['v-0', 'v-1', 'v-2'];
const AT = '2026-11-01T00:00:00.000Z';

function trait(id: number, code: string, rule: string): Trait {
  const ruleJson = parseRule(rule);
  if (!ruleJson.ok) throw new Error(rule);
  const version = { version: 1, rule, ruleJson: ruleJson.rule, fromSeq: 0 };
  return {
    ...{ id, code, name: code, kind: 'rule', rule, ruleJson: ruleJson.rule, lifetimeDays: 120 },
    ...{ folder: '', source: 'first-party', versions: [version], createdAt: AT, updatedAt: AT },
  };
}

function segment(id: number, code: string, rule: string): Segment {
  const ruleJson = parseRule(rule);
  if (!ruleJson.ok) throw new Error(rule);
  return { id, code, name: code, rule, ruleJson: ruleJson.rule, createdAt: AT, updatedAt: AT };
}

const TRAITS = [
  trait(1, 'buyer', 'event == "purchase"'),
  trait(2, 'british', 'geo.country == "GB"'),
  trait(3, 'mobile', 'device.type == "mobile"'),
];
const SEGMENTS = [
  segment(11, 'returning', 'visits >= 2'),
  segment(12, 'loyal', 'visits >= 3 and pageviews >= 3'),
  segment(13, 'london', 'geo.city == "London" and trait:british'),
  segment(14, 'ios_now', 'trait:mobile[within 1h] and device.os == "iOS"'),
  segment(15, 'new', 'first_seen within 3h and last_seen within 1h'),
];

/** Times on a 10-minute grid, often 1 ms off it (gaps of exactly 30 minutes, and 1 ms either side), some a day later. */
const time = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom(0, 0, 1, -1), fc.constantFrom(0, 0, 0, 1))
  .map(([k, off, day]) => T0 + k * 10 * MIN + off + day * 1_440 * MIN);
const geo = fc.constantFrom(
  {},
  { country: 'GB', city: 'London' },
  { country: 'GB' },
  { country: 'FR', city: 'Paris' },
);
const device = fc.constantFrom({}, { type: 'mobile', os: 'iOS' }, { type: 'desktop', browser: 'Firefox' });
const consent = fc.constantFrom<Consent | undefined>(
  undefined,
  { gdpr: 1, tcf: 'CQ-a' },
  { gdpr: 0 },
  { usp: '1YNN' },
);
const event = fc
  .record({
    uid: fc.constantFrom(...UIDS),
    ts: time,
    type: fc.constantFrom('pageview', 'pageview', 'click', 'purchase'),
    geo,
    device,
    consent,
  })
  .map(({ consent: c, ...e }): CollectedEvent => ({
    ...e,
    ids: {},
    utm: {},
    signals: {},
    ...(c ? { consent: c } : {}),
  }));

/** A store and its qualification, with the tenant's rules installed. */
function world(store: ProfileStore = createMemoryProfileStore()): {
  store: ProfileStore;
  qualify: QualifyService;
} {
  const qualify = testQualify(store);
  qualify.setRules(TENANT, TRAITS, SEGMENTS);
  return { store, qualify };
}

/** Everything the world answers about the visitors and the segments at `now`. */
function answers(w: ReturnType<typeof world>, now: number): unknown {
  const profiles = w.store.tenant(TENANT);
  const visitors = UIDS.map((uid) => {
    const p = profiles.find('uid', uid);
    if (p === undefined) return { uid };
    const segments = w.qualify.segmentsOf(TENANT, p, now).sort();
    return {
      uid,
      ...profiles.attributes(p),
      consent: profiles.consentOf(p),
      traits: profiles.traitSummaries(p),
      segments,
    };
  });
  const sizes = SEGMENTS.map((_, i) => scanCount(w.qualify, TENANT, (ctx) => ctx.isMember(i), now));
  return { visitors, sizes };
}

void it('profiles, traits and segments are the same whatever the order of arrival, across a restart', () => {
  fc.assert(
    fc.property(
      fc
        .array(event, { minLength: 1, maxLength: 24 })
        .chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            fc.nat({ max: events.length }),
          ),
        ),
      ([events, shuffled, cut]) => {
        const now = Math.max(...events.map((e) => e.ts)) + 20 * MIN;
        const inOrder = world();
        let seq = 0;
        for (const e of [...events].sort((a, b) => a.ts - b.ts))
          inOrder.qualify.apply(++seq, { kind: 'event', tenant: TENANT, event: e });

        // shuffled, with a restart at `cut`: the profiles snapshotted and restored into a new world
        let shuffledWorld = world();
        seq = 0;
        shuffled.forEach((e, i) => {
          if (i === cut) {
            const store = createMemoryProfileStore();
            store.restoreTenant(TENANT, shuffledWorld.store.tenant(TENANT).snapshotParts());
            shuffledWorld = world(store);
          }
          shuffledWorld.qualify.apply(++seq, { kind: 'event', tenant: TENANT, event: e });
        });
        const expected = answers(inOrder, now);
        assert.deepEqual(answers(shuffledWorld, now), expected);

        // and the attributes are the reference model's (visits recomputed from every event time)
        const model = new ReferenceProfiles();
        for (const e of shuffled) model.recordEvent(model.resolve(e.uid, {}, true) ?? -1, e);
        const profiles = inOrder.store.tenant(TENANT);
        for (const uid of UIDS) {
          const p = profiles.find('uid', uid);
          const id = model.find('uid', uid);
          assert.equal(p === undefined, id === undefined);
          if (p === undefined || id === undefined) continue;
          assert.deepEqual(profiles.attributes(p), model.attributes(id), uid);
          assert.deepEqual(profiles.consentOf(p), model.consentOf(id), uid);
        }
      },
    ),
    { numRuns: 400 },
  );
});
