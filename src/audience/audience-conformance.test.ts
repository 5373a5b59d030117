import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { compileSegmentRule, parseRule } from '../core/rules/index.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import {
  CASE_CATALOG,
  DAY,
  DSL_PROFILE_CASES,
  NOW,
  caseBinder,
  type ProfileFixture,
} from '../../test/conformance/dsl-cases.ts';
import { RoaringBitmap32, type Bitmap } from './bitmap.ts';
import { createAudienceIndex } from './roaring-audience-index.ts';

const VISIT_GAP = 31 * 60_000;

/** Puts a conformance fixture into the real store: IDs, events carrying its attributes, realisations. */
function addFixture(profiles: TenantProfiles, f: ProfileFixture, uid: string): number {
  const ids = Object.fromEntries((f.ids ?? []).map((type) => [type, `${type}-${uid}`]));
  const p = profiles.resolve(uid, ids, true) ?? -1;
  const a = f.attributes ?? {};
  const text = (path: string): string | undefined => (typeof a[path] === 'string' ? a[path] : undefined);
  const time = (path: string): number | undefined => (typeof a[path] === 'number' ? a[path] : undefined);
  const geo = { country: text('geo.country'), region: text('geo.region'), city: text('geo.city') };
  const device = { type: text('device.type'), os: text('device.os'), browser: text('device.browser') };
  const hasAttributes = Object.keys(a).length > 0;
  const start = time('first_seen') ?? time('last_seen') ?? NOW - 10 * DAY;
  const visits = Math.max(hasAttributes ? 1 : 0, time('visits') ?? 0);
  for (let i = 0; i < visits; i++) profiles.recordEvent(p, event(uid, start + i * VISIT_GAP, geo, device));
  for (const [code, times] of Object.entries(f.realisations ?? {})) {
    const trait = CASE_CATALOG.traits[code];
    for (const ts of times) if (trait) profiles.addRealisation(p, trait.id, ts);
  }
  return p;
}

function event(
  uid: string,
  ts: number,
  geo: CollectedEvent['geo'],
  device: CollectedEvent['device'],
): CollectedEvent {
  return { uid, ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo, device };
}

void describe('DSL conformance: segment rules through the bitmap engine', () => {
  const bind = caseBinder(CASE_CATALOG);
  for (const { rule: text, cases } of DSL_PROFILE_CASES) {
    void it(text, () => {
      const parsed = parseRule(text);
      assert.ok(parsed.ok);
      const profiles = createMemoryProfileStore().tenant('t');
      const indexes = cases.map((c, i) => addFixture(profiles, c.profile, `c-${i}`));
      const index = createAudienceIndex(profiles);
      const segmentMembers = (segmentId: number): Bitmap =>
        new RoaringBitmap32(
          indexes.filter((_, i) =>
            (cases[i]?.profile.segments ?? []).some((code) => CASE_CATALOG.segments[code]?.id === segmentId),
          ),
        );
      const plan = index.compile(parsed.rule, bind, segmentMembers);
      const predicate = compileSegmentRule(parsed.rule, bind);
      cases.forEach((c, i) => {
        const p = indexes[i] ?? -1;
        const now = c.now ?? NOW;
        const inSegments = new Set((c.profile.segments ?? []).map((code) => CASE_CATALOG.segments[code]?.id));
        // the fixture as stored still means what the case says
        const ctx = { view: profiles.view(p), now, inSegment: (id: number) => inSegments.has(id) };
        assert.equal(predicate(ctx), c.expected, `${c.name}: predicate on the stored profile`);
        assert.equal(index.evaluate(plan, now).has(p), c.expected, `${c.name}: bitmap engine`);
      });
    });
  }
});
