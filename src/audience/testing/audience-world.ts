import type { CollectedEvent } from '../../core/event.ts';
import type { Rule, RuleBinder, SegmentContext } from '../../core/rules/index.ts';
import { compileSegmentRule } from '../../core/rules/index.ts';
import { createMemoryProfileStore } from '../../profiles/memory-profile-store.ts';
import type { TenantProfiles } from '../../profiles/profile-store.ts';
import type { AudienceIndex } from '../audience-index.ts';
import { createAudienceIndex } from '../roaring-audience-index.ts';
import { SegmentPlans } from '../segment-resolver.ts';
import { DEVICES, GEOS, type WorldProfile } from './audience-arbitraries.ts';

const DAY = 86_400_000;
const LIFETIMES = new Map([
  [1, 120 * DAY],
  [2, 2 * DAY],
  [3, DAY],
]);
const TRAIT_CODES = new Map([
  ['t1', 1],
  ['t2', 2],
  ['t3', 3],
]);
const SEGMENT_CODES = new Map([
  ['s1', 11],
  ['s2', 12],
  ['s3', 13],
]);

/** The world's catalog: t1-t3 bound with their lifetimes, s1-s3 bound (s3 has no rule), others unbound. */
export const WORLD_BINDER: RuleBinder = {
  trait: (code) => {
    const id = TRAIT_CODES.get(code);
    return id === undefined ? undefined : { id, lifetimeMs: LIFETIMES.get(id) ?? 0 };
  },
  segment: (code) => SEGMENT_CODES.get(code),
};

/** The lifetime of a trait id, `undefined` for one the catalog does not know (9). */
export const worldLifetime = (traitId: number): number | undefined => LIFETIMES.get(traitId);

/**
 * A real profile store, its audience index, and the world's segments s1 and s2 compiled both ways
 * (bitmap plans and per-profile predicates). Example: `const w = new AudienceWorld(s1, s2); w.add(profile, 'c-1', true)`.
 */
export class AudienceWorld {
  readonly profiles: TenantProfiles = createMemoryProfileStore().tenant('t');
  readonly index: AudienceIndex;
  readonly segments: SegmentPlans;
  private readonly predicates = new Map<number, (ctx: SegmentContext) => boolean>();

  constructor(s1: Rule, s2: Rule, before: readonly WorldProfile[] = []) {
    before.forEach((wp, i) => this.add(wp, `b-${i}`, false));
    this.index = createAudienceIndex(this.profiles);
    this.segments = new SegmentPlans(this.index);
    for (const [id, rule] of [
      [11, s1],
      [12, s2],
    ] as const) {
      this.segments.define(id, this.index.compile(rule, WORLD_BINDER, this.segments.resolve));
      this.predicates.set(id, compileSegmentRule(rule, WORLD_BINDER));
    }
  }

  /** Adds a profile to the store, and to the index through its maintenance calls when `indexed`. */
  add(wp: WorldProfile, uid: string, indexed: boolean): number {
    const p = this.profiles.resolve(uid, wp.maid ? { maid: `m-${uid}` } : {}, true) ?? -1;
    if (indexed) this.index.profileChanged(p);
    for (const e of wp.events) {
      this.profiles.recordEvent(p, worldEvent(uid, e));
      if (indexed) this.index.profileChanged(p);
    }
    for (const r of wp.realisations) {
      this.profiles.addRealisation(p, r.traitId, r.ts);
      if (indexed) this.index.addRealisation(p, r.traitId, r.ts);
    }
    return p;
  }

  /** Removes a profile from both, the index first (`indexFirst`) or after the store (its slow path). */
  remove(p: number, indexFirst: boolean): void {
    if (indexFirst) this.index.removeProfile(p);
    this.profiles.remove(p);
    if (!indexFirst) this.index.removeProfile(p);
  }

  /** The bitmap engine's members of a rule at `now`, ascending. */
  actual(rule: Rule, now: number): number[] {
    this.segments.invalidate();
    return this.index.evaluate(this.index.compile(rule, WORLD_BINDER, this.segments.resolve), now).toArray();
  }

  /** The live profiles for which the per-profile predicate holds at `now`, ascending. */
  expected(rule: Rule, now: number): number[] {
    const predicate = compileSegmentRule(rule, WORLD_BINDER);
    const out: number[] = [];
    const ctx: SegmentContext = {
      view: this.profiles.view(0),
      now,
      inSegment: (id) => this.predicates.get(id)?.(ctx) ?? false,
    };
    this.profiles.forEach((p) => {
      ctx.view = this.profiles.view(p);
      if (predicate(ctx)) out.push(p);
    });
    return out;
  }
}

function worldEvent(uid: string, e: WorldProfile['events'][number]): CollectedEvent {
  return {
    uid,
    ids: {},
    type: e.pageview ? 'pageview' : 'click',
    ts: e.ts,
    utm: {},
    signals: {},
    geo: GEOS[e.geo] ?? {},
    device: DEVICES[e.device] ?? {},
  };
}
