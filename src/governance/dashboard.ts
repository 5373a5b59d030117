import type { Clock } from '../core/clock.ts';
import type { AuditLine, AuditReader } from './audit-reader.ts';

/** How many segments and changes the dashboard shows. */
export const DASHBOARD_TOP = 10;
/** The most segments `top` may ask for (a scaled-out front asks every partition for all of them). */
export const MAX_DASHBOARD_TOP = 100_000;

/** The kinds of catalog object whose changes the dashboard lists, and the changes listed. */
export const CHANGED_KINDS = ['trait', 'segment', 'destination', 'campaign'] as const;
const VERBS = ['create', 'update', 'delete'] as const;

/** A segment with its exact size now. */
export interface SizedSegment {
  code: string;
  name: string;
  size: number;
}

/** One catalog change as the dashboard summarises it: no before/after, only who, what and when. */
export interface RecentChange {
  at: string;
  /** the user's email; `key:ID` for a tenant key; the actor as written otherwise (`cli`) */
  user: string;
  /** kind.verb, as in the audit log: `segment.update` */
  action: string;
  /** the object's code: `buyers` */
  object: string;
}

/** What `GET /v1/dashboard` answers. */
export interface DashboardAnswer {
  asOf: string;
  /** accepted events over the last minute, per second (2 decimals) */
  eventsPerSecond: number;
  /** accepted events over the last minute */
  eventsLastMinute: number;
  /** the tenant's live profiles */
  profiles: number;
  topSegments: {
    /** how many segments the tenant has */
    total: number;
    /** whether sizes are shown: they need the permission `compute` */
    sized: boolean;
    /** the largest segments, largest first (ties by code); empty when not `sized` */
    segments: SizedSegment[];
    /** why there are no sizes, when not `sized` */
    detail?: string;
  };
  /** the latest catalog changes, newest first */
  recentChanges: RecentChange[];
}

/** What the dashboard reads, each from the service that owns it. */
export interface DashboardDeps {
  clock: Clock;
  /** accepted events of the tenant in the last `windowS` seconds (`EventRate`) */
  rate: { windowS: number; lastWindow(tenant: string, nowMs: number): number };
  /** the tenant's live profiles (the profile store's count) */
  profileCount(tenant: string): number;
  /** the tenant's segments (names) and every saved segment's exact size, evaluated once each */
  segments: {
    list(tenant: string): Promise<{ code: string; name: string }[]>;
    sizesOfAll(tenant: string): { sizes: { code: string; size: number }[] };
  };
  audit: Pick<AuditReader, 'page'>;
}

/**
 * The console's dashboard in one call: events per second, profiles, the largest segments and the latest
 * catalog changes of a tenant. Sizes are left out (with the reason) for a caller without `compute`.
 *
 * Example: `await dashboard.of('acme', { sizes: true })` ->
 * `{ eventsPerSecond: 0.5, eventsLastMinute: 30, profiles: 1204, topSegments: { total: 3, sized: true, segments: [...] }, recentChanges: [...] }`.
 */
export class Dashboard {
  constructor(private readonly deps: DashboardDeps) {}

  async of(
    tenant: string,
    options: { sizes: boolean; refusal?: string; top?: number },
  ): Promise<DashboardAnswer> {
    const { clock, rate } = this.deps;
    const now = clock.now();
    const events = rate.lastWindow(tenant, now);
    return {
      asOf: new Date(now).toISOString(),
      eventsPerSecond: Math.round((events / rate.windowS) * 100) / 100,
      eventsLastMinute: events,
      profiles: this.deps.profileCount(tenant),
      topSegments: await this.topSegments(tenant, options),
      recentChanges: await this.recentChanges(tenant),
    };
  }

  private async topSegments(
    tenant: string,
    options: { sizes: boolean; refusal?: string; top?: number },
  ): Promise<DashboardAnswer['topSegments']> {
    const saved = await this.deps.segments.list(tenant);
    if (!options.sizes) {
      const detail = options.refusal ?? 'segment sizes need the permission compute';
      return { total: saved.length, sized: false, segments: [], detail };
    }
    const names = new Map(saved.map((s) => [s.code, s.name]));
    const segments = this.deps.segments
      .sizesOfAll(tenant)
      .sizes.filter((s) => names.has(s.code))
      .map((s) => ({ code: s.code, name: names.get(s.code) ?? s.code, size: s.size }))
      .sort((a, b) => b.size - a.size || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .slice(0, options.top ?? DASHBOARD_TOP);
    return { total: saved.length, sized: true, segments };
  }

  /** The latest create/update/delete of each kind (an indexed query each), merged newest first. */
  private async recentChanges(tenant: string): Promise<RecentChange[]> {
    const actions = CHANGED_KINDS.flatMap((kind) => VERBS.map((verb) => `${kind}.${verb}`));
    const pages = await Promise.all(
      actions.map((action) => this.deps.audit.page(tenant, { limit: DASHBOARD_TOP, order: 'desc', action })),
    );
    return pages
      .flatMap((p) => p.entries)
      .sort((a, b) => b.id - a.id)
      .slice(0, DASHBOARD_TOP)
      .map(summary);
  }
}

/** An audit line as the dashboard shows it. */
function summary(line: AuditLine): RecentChange {
  return { at: line.at, user: userOf(line.actor), action: line.action, object: codeOf(line.target) };
}

/**
 * Who an actor is, for people: `user:mia@acme.com/key:3f2a` -> `mia@acme.com`; `key:3f2a` stays.
 * Example: `userOf('user:mia@acme.com')` -> `'mia@acme.com'`.
 */
export function userOf(actor: string): string {
  const user = /^user:([^/]+)(?:\/key:.*)?$/.exec(actor);
  return user?.[1] ?? actor;
}

function codeOf(target: string): string {
  return target.slice(target.indexOf(':') + 1);
}
