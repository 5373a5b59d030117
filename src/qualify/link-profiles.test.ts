import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAudienceIndex } from '../audience/roaring-audience-index.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';
import type { CollectedEvent } from '../core/event.ts';
import { parseRule, type Rule } from '../core/rules/index.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { hasCookie } from './link-profiles.ts';
import { scanCount } from './testing/full-scan.ts';
import { testQualify } from './testing/test-qualify.ts';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const TENANT = 't';
const AT = '2026-11-01T00:00:00.000Z';

function trait(id: number, code: string, rule: string): Trait {
  const parsed = parseRule(rule);
  if (!parsed.ok) throw new Error(rule);
  const version = { version: 1, rule, ruleJson: parsed.rule, fromSeq: 0 };
  return {
    ...{ id, code, name: code, kind: 'rule', rule, ruleJson: parsed.rule, lifetimeDays: 120 },
    ...{ folder: '', source: 'first-party', versions: [version], createdAt: AT, updatedAt: AT },
  };
}

function segment(id: number, code: string, rule: string): Segment {
  const parsed = parseRule(rule);
  if (!parsed.ok) throw new Error(rule);
  return { id, code, name: code, rule, ruleJson: parsed.rule, createdAt: AT, updatedAt: AT };
}

const TRAITS = [
  trait(1, 'buyer', 'event == "purchase"'),
  trait(2, 'pricing', 'url.path startsWith "/pricing"'),
  trait(3, 'app', 'event == "app_open"'),
];
const SEGMENTS = [
  segment(11, 'everyone', 'visits >= 1'),
  segment(12, 'both', 'trait:pricing and trait:app'),
  segment(13, 'twice', 'trait:buyer[count >= 2, within 30d]'),
  segment(14, 'mobile_buyer', 'trait:buyer and device.type == "mobile"'),
  segment(15, 'returning', 'visits >= 2 and not trait:app'),
];

function event(e: Partial<CollectedEvent> & { uid: string; ts: number }): CollectedEvent {
  return { ids: {}, type: 'pageview', utm: {}, signals: {}, geo: {}, device: {}, ...e };
}

function world() {
  const store = createMemoryProfileStore();
  const qualify = testQualify(store);
  const rules = qualify.setRules(TENANT, TRAITS, SEGMENTS);
  qualify.startIndexing();
  let seq = 0;
  const apply = (e: CollectedEvent): void =>
    qualify.apply(++seq, { kind: 'event', tenant: TENANT, event: e });
  const profiles = store.tenant(TENANT);
  /** Sizes by the live index, by an index built afresh from the store, and by a full scan: all must agree. */
  const sizes = (now: number) => {
    const audience = qualify.audience(TENANT);
    const plans = audience.plansFor(rules);
    const fresh = createAudienceIndex(profiles);
    return SEGMENTS.map((s, i) => {
      const plan = plans.get(s.id)!;
      const live = [...audience.index.evaluate(plan, now)].sort((a, b) => a - b);
      const rebuilt = [...fresh.evaluate(fresh.compile(s.ruleJson as Rule, rules), now)].sort(
        (a, b) => a - b,
      );
      const scanned = scanCount(qualify, TENANT, (ctx) => ctx.isMember(i), now);
      return { code: s.code, live, rebuilt, scanned };
    });
  };
  return { qualify, profiles, apply, sizes };
}

function agree(sizes: ReturnType<ReturnType<typeof world>['sizes']>): void {
  for (const s of sizes) {
    assert.deepEqual(s.live, s.rebuilt, `${s.code}: the live index as one built from the store`);
    assert.equal(s.live.length, s.scanned, `${s.code}: the live index as a full scan`);
  }
}

void describe('hasCookie', () => {
  void it('is false only for the uid collection made from an entry of ids', () => {
    assert.equal(hasCookie({ uid: 'c-1', ids: { maid: 'm' } }), true);
    assert.equal(hasCookie({ uid: 'maid:m', ids: { maid: 'm' } }), false);
    assert.equal(hasCookie({ uid: 'maid:m', ids: { maid: 'n' } }), true);
    assert.equal(hasCookie({ uid: 'https://x', ids: {} }), true);
  });
});

void describe('linking events', () => {
  void it('merges a laptop and a phone through a login hash: one profile, the index exact', () => {
    const w = world();
    w.apply(event({ uid: 'c-laptop', ts: T0, url: url('/pricing'), type: 'purchase' }));
    w.apply(event({ uid: 'c-phone', ids: { maid: 'm-1' }, ts: T0 + MIN, type: 'app_open' }));
    w.apply(event({ uid: 'c-phone', ts: T0 + 2 * MIN, type: 'purchase', device: { type: 'mobile' } }));
    w.apply(event({ uid: 'c-laptop', ids: { email_sha256: 'h' }, ts: T0 + 3 * MIN, type: 'login' }));
    assert.equal(w.profiles.count(), 2);
    w.apply(event({ uid: 'c-phone', ids: { email_sha256: 'h' }, ts: T0 + 4 * MIN, type: 'login' }));
    assert.equal(w.profiles.count(), 1);
    const p = w.profiles.find('uid', 'c-laptop')!;
    for (const [type, id] of [
      ['uid', 'c-phone'],
      ['maid', 'm-1'],
      ['email_sha256', 'h'],
    ] as const)
      assert.equal(w.profiles.find(type, id), p, `${type} ${id}`);
    assert.equal(w.profiles.uidOf(p), 'c-laptop', 'the profile seen first survives');
    // learnt at the events' times: the phone's cookie again at its login
    const learnt = Object.fromEntries(w.profiles.allIds(p).map((id) => [id.value, id.learntAt]));
    assert.deepEqual(learnt, {
      'c-laptop': T0 + 3 * MIN,
      'c-phone': T0 + 4 * MIN,
      'm-1': T0 + MIN,
      h: T0 + 4 * MIN,
    });
    const now = T0 + 10 * MIN;
    assert.deepEqual(w.qualify.segmentsOf(TENANT, p, now).sort(), [
      'both',
      'everyone',
      'mobile_buyer',
      'twice',
    ]);
    const sizes = w.sizes(now);
    agree(sizes);
    assert.deepEqual(
      sizes.map((s) => [s.code, s.scanned]),
      [
        ['everyone', 1],
        ['both', 1],
        ['twice', 1],
        ['mobile_buyer', 1],
        ['returning', 0],
      ],
    );
  });

  void it('never merges through a partner ID, nor a device ID without our cookie', () => {
    const w = world();
    w.apply(event({ uid: 'c-1', ids: { ssp_a: 'x', maid: 'm-1' }, ts: T0 }));
    w.apply(event({ uid: 'c-2', ts: T0 + MIN }));
    w.apply(event({ uid: 'c-3', ts: T0 + MIN }));
    // a partner ID held by c-1 with c-2's cookie and a second partner ID: c-2 stays apart
    w.apply(event({ uid: 'c-2', ids: { ssp_a: 'x', ssp_b: 'y' }, ts: T0 + 2 * MIN }));
    // an app event without our cookie (uid made from the maid) naming c-1's device and c-3's crm ID
    w.apply(event({ uid: 'c-3', ids: { crm: 'k' }, ts: T0 + 3 * MIN }));
    w.apply(event({ uid: 'maid:m-1', ids: { maid: 'm-1', crm: 'k' }, ts: T0 + 4 * MIN }));
    assert.equal(w.profiles.count(), 3);
    assert.equal(w.profiles.find('ssp_a', 'x'), w.profiles.find('uid', 'c-1'));
    assert.equal(w.profiles.find('ssp_b', 'y'), w.profiles.find('uid', 'c-2'));
    assert.equal(w.profiles.find('crm', 'k'), w.profiles.find('uid', 'c-3'));
    // the app event went to the profile its linking ID (crm) names, not to the one holding the maid
    assert.equal(w.profiles.attributes(w.profiles.find('uid', 'c-3')!).lastSeen, T0 + 4 * MIN);
    assert.equal(w.profiles.attributes(w.profiles.find('uid', 'c-1')!).lastSeen, T0);
    agree(w.sizes(T0 + 10 * MIN));
  });

  void it('keeps the live index exact over random linking histories', () => {
    const ids = fc.constantFrom<Record<string, string>>(
      {},
      {},
      { email_sha256: 'h1' },
      { email_sha256: 'h2' },
      { maid: 'm1' },
      { maid: 'm2' },
      { crm: 'k1' },
      { ssp_a: 'x' },
      { email_sha256: 'h1', crm: 'k2' },
    );
    const anEvent = fc
      .record({
        uid: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4', 'c-5', ''),
        ids,
        k: fc.integer({ min: 0, max: 40 }),
        type: fc.constantFrom('pageview', 'purchase', 'app_open', 'login'),
        path: fc.constantFrom('/', '/pricing'),
        mobile: fc.boolean(),
      })
      .filter((e) => e.uid !== '' || Object.keys(e.ids).length > 0)
      .map((e) => {
        const least = Object.keys(e.ids).sort()[0];
        const uid = e.uid !== '' ? e.uid : `${least}:${e.ids[least!]}`;
        return event({
          uid,
          ids: e.ids,
          ts: T0 + e.k * 20 * MIN,
          type: e.type,
          url: url(e.path),
          device: e.mobile ? { type: 'mobile' } : {},
        });
      });
    fc.assert(
      fc.property(fc.array(anEvent, { minLength: 1, maxLength: 30 }), (events) => {
        const w = world();
        for (const e of events) w.apply(e);
        agree(w.sizes(T0 + 40 * 20 * MIN + MIN));
        // every ID names one profile at most, and a login hash's profile holds every cookie it came with
        for (const e of events) {
          const byHash =
            e.ids.email_sha256 === undefined
              ? undefined
              : w.profiles.find('email_sha256', e.ids.email_sha256);
          if (byHash !== undefined && hasCookie(e)) assert.equal(w.profiles.find('uid', e.uid), byHash);
        }
      }),
      { numRuns: 150 },
    );
  });
});

function url(path: string): CollectedEvent['url'] {
  return { href: `https://shop.example.com${path}`, host: 'shop.example.com', path, query: {} };
}
