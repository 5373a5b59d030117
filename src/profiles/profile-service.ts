import type { Clock } from '../core/clock.ts';
import { explainProfile } from '../core/rules/index.ts';
import type { Rule } from '../core/rules/index.ts';
import { ServiceError } from '../core/service-error.ts';
import { normaliseId } from '../core/ids/normalise-id.ts';
import type { ProfileView, RuleBinder, SegmentContext } from '../core/rules/scope.ts';
import type { TenantProfiles } from './profile-store.ts';

/** How the API names a visitor: by primary ID, or by another ID type (`?idType=maid&id=...`). */
export interface VisitorRef {
  uid: string;
  idType?: string;
  id?: string;
}

/**
 * What the profile API reads of qualification (`QualifyService` is the one implementation): a tenant's
 * profiles, a profile's segments at a time, the compiled rules (trait codes, segment rules, and the binder
 * the explanation evaluates with) and a reusable segment context. Owned here so that profiles sit below qualify.
 */
export interface ProfileQualify {
  profilesOf(tenant: string): TenantProfiles;
  segmentsOf(tenant: string, p: number, now: number): string[];
  rules(tenant: string): RuleBinder & {
    readonly traitsById: ReadonlyMap<number, { readonly code: string }>;
    segmentDefinitions(): Iterable<{ readonly code: string; readonly ruleJson: unknown }>;
  };
  context(tenant: string): { reset(view: ProfileView, now: number): SegmentContext };
}

/**
 * Profiles through the API: read, segment lookups (exact at request time), paging, and "why is this
 * visitor in this segment?". Deletion, export and opt-out are the privacy service's.
 *
 * Example: `profiles.segments('t1', { uid: 'c-123' })` -> `{ uid: 'c-123', segments: ['london_pricing'] }`.
 */
export class ProfileService {
  constructor(
    private readonly qualify: ProfileQualify,
    private readonly clock: Clock,
  ) {}

  /** The profile index of the visitor; a 404 when there is none. */
  find(tenant: string, ref: VisitorRef): number {
    const profiles = this.qualify.profilesOf(tenant);
    const p =
      ref.idType !== undefined && ref.id !== undefined
        ? profiles.find(ref.idType, normaliseId(ref.idType, ref.id))
        : profiles.find('uid', ref.uid);
    if (p === undefined) {
      const name = ref.idType !== undefined ? `${ref.idType} '${ref.id ?? ''}'` : `uid '${ref.uid}'`;
      throw new ServiceError(404, 'not_found', `no profile with ${name} in this tenant`, { field: 'uid' });
    }
    return p;
  }

  segments(tenant: string, ref: VisitorRef): { uid: string; segments: string[] } {
    const p = this.find(tenant, ref);
    return {
      uid: this.qualify.profilesOf(tenant).uidOf(p),
      segments: this.qualify.segmentsOf(tenant, p, this.clock.now()),
    };
  }

  get(tenant: string, ref: VisitorRef) {
    const p = this.find(tenant, ref);
    const profiles = this.qualify.profilesOf(tenant);
    const rules = this.qualify.rules(tenant);
    const a = profiles.attributes(p);
    const traits = profiles.traitSummaries(p).flatMap((t) => {
      const trait = rules.traitsById.get(t.traitId);
      if (trait === undefined) return [];
      return [{ code: trait.code, count: t.count, first: iso(t.first), last: iso(t.last) }];
    });
    return {
      uid: profiles.uidOf(p),
      ids: profiles.idsOf(p),
      attributes: {
        firstSeen: iso(a.firstSeen),
        lastSeen: iso(a.lastSeen),
        visits: a.visits,
        pageviews: a.pageviews,
        geo: a.geo,
        device: a.device,
      },
      traits,
      segments: this.qualify.segmentsOf(tenant, p, this.clock.now()),
      consent: profiles.consentOf(p) ?? null,
    };
  }

  /** Pages through every profile of the tenant with its IDs and segments. */
  list(tenant: string, cursor: string | undefined, limit: number) {
    const after = cursor === undefined ? -1 : decodeCursor(cursor);
    const profiles = this.qualify.profilesOf(tenant);
    const now = this.clock.now();
    const page = profiles.page(after, limit);
    const items = page.map((p) => ({
      uid: profiles.uidOf(p),
      ids: profiles.idsOf(p),
      segments: this.qualify.segmentsOf(tenant, p, now),
    }));
    const last = page[page.length - 1];
    const next = page.length === limit && last !== undefined ? encodeCursor(last) : null;
    return { profiles: items, nextCursor: next };
  }

  /** Why the visitor is (or is not) in the segment: the rule, node by node, with the values it saw. */
  explain(tenant: string, ref: VisitorRef, segmentCode: string) {
    const p = this.find(tenant, ref);
    const rules = this.qualify.rules(tenant);
    const segment = [...rules.segmentDefinitions()].find((s) => s.code === segmentCode);
    if (segment === undefined) {
      throw new ServiceError(404, 'not_found', `no segment '${segmentCode}' in this tenant`, {
        field: 'segment',
      });
    }
    const now = this.clock.now();
    const ctx = this.qualify.context(tenant).reset(this.qualify.profilesOf(tenant).view(p), now);
    return {
      uid: this.qualify.profilesOf(tenant).uidOf(p),
      segment: segmentCode,
      asOf: iso(now),
      explanation: explainProfile(segment.ruleJson as Rule, rules, ctx),
    };
  }
}

export function iso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function encodeCursor(p: number): string {
  return Buffer.from(`p:${p}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^p:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (match === null) {
    throw new ServiceError(400, 'invalid_cursor', 'cursor is not one this API gave; start again without it', {
      field: 'cursor',
    });
  }
  return Number(match[1]);
}
