import type { ProfileView, RuleBinder, SegmentContext } from '../../src/core/rules/index.ts';

/**
 * A profile as the conformance cases describe it: attributes by rule path, ID types, realisation times by
 * trait code, and the codes of the segments it is in.
 * Example: `{ attributes: { 'geo.city': 'London', visits: 2 }, realisations: { pricing_visitor: [now - DAY] } }`.
 */
export interface ProfileFixture {
  attributes?: Record<string, string | number>;
  ids?: string[];
  realisations?: Record<string, number[]>;
  segments?: string[];
}

/** The catalog the cases are written against: trait codes with IDs and lifetimes, segment codes with IDs. */
export interface CaseCatalog {
  traits: Record<string, { id: number; lifetimeDays: number }>;
  segments: Record<string, { id: number; refs: string[] }>;
}

const DAY = 86_400_000;

/**
 * A small in-memory `ProfileView` over one fixture (a test double that follows the port's contract).
 * Example: `memoryProfileView(fixture, catalog).countRealisations(1, now - 30 * DAY, now)` -> `2`.
 */
export function memoryProfileView(profile: ProfileFixture, catalog: CaseCatalog): ProfileView {
  const byId = new Map<number, number[]>();
  for (const [code, times] of Object.entries(profile.realisations ?? {})) {
    const trait = catalog.traits[code];
    if (trait)
      byId.set(
        trait.id,
        [...times].sort((a, b) => a - b),
      );
  }
  return {
    attribute: (path) => profile.attributes?.[path],
    hasId: (type) => (profile.ids ?? []).includes(type),
    countRealisations: (id, after, atOrBefore) =>
      (byId.get(id) ?? []).filter((t) => t > after && t <= atOrBefore).length,
    realisationTimes: (id) => [...(byId.get(id) ?? [])],
  };
}

/**
 * A binder over the case catalog; codes not in it are unbound.
 * Example: `caseBinder(catalog).trait('pricing_visitor')` -> `{ id: 1, lifetimeMs: 120 * DAY }`.
 */
export function caseBinder(catalog: CaseCatalog): RuleBinder {
  return {
    trait: (code) => {
      const t = Object.hasOwn(catalog.traits, code) ? catalog.traits[code] : undefined;
      return t && { id: t.id, lifetimeMs: t.lifetimeDays * DAY };
    },
    segment: (code) => (Object.hasOwn(catalog.segments, code) ? catalog.segments[code]?.id : undefined),
  };
}

/** The evaluation context for one profile at `now`. Example: `segmentContext(fixture, catalog, now).inSegment(10)`. */
export function segmentContext(profile: ProfileFixture, catalog: CaseCatalog, now: number): SegmentContext {
  const ids = new Set((profile.segments ?? []).map((code) => catalog.segments[code]?.id));
  return { view: memoryProfileView(profile, catalog), now, inSegment: (id) => ids.has(id) };
}
