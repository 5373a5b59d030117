import type { Clock } from '../core/clock.ts';
import { DAY_MS } from '../core/clock.ts';
import type { IdLifetimes } from '../core/identity/index.ts';
import { idLifetimeDays } from '../core/identity/index.ts';
import type { PartnerService } from './partner-service.ts';

/**
 * The age buckets of a match-rate report, in days since the mapping was learnt (whole days, rounded
 * down): up to and including `maxDays`. Example: an ID learnt 5 days ago counts under `"2-7"`.
 */
export const MATCH_AGE_BUCKETS: readonly { label: string; maxDays: number }[] = [
  { label: '0-1', maxDays: 1 },
  { label: '2-7', maxDays: 7 },
  { label: '8-30', maxDays: 30 },
  { label: '31-90', maxDays: 90 },
  { label: '91+', maxDays: Infinity },
];

/**
 * What a match rate reads of a tenant's profiles: each live profile, its IDs by type, when it was last
 * seen, and, when the profile store gives them, every ID with the time it was learnt (`allIds`).
 *
 * Example: `qualify.profilesOf('acme')` (the profile store's `TenantProfiles`).
 */
export interface MatchProfiles {
  count(): number;
  forEach(fn: (p: number) => void): void;
  idsOf(p: number): Record<string, string>;
  attributes(p: number): { lastSeen: number };
  /** every ID with its learnt time (epoch ms; absent or not finite: unknown) */
  allIds?(p: number): readonly { type: string; learntAt?: number }[];
}

/**
 * A partner's match rate: of the tenant's live profiles, how many hold an ID of the partner's type
 * (its code), and those counted by the age of their freshest such ID. `ageFrom` says which time the
 * age is taken from: `learntAt` (each ID's learnt time, the profile's last seen for an ID without one)
 * or `lastSeen` (the profile store keeps no learnt times: the profile's last seen, so ages are
 * lower bounds).
 *
 * Example:
 * ```ts
 * { partner: 'ssp_a', profiles: 1000, matched: 420, rate: 0.42,
 *   byAgeDays: { '0-1': 40, '2-7': 80, '8-30': 150, '31-90': 120, '91+': 30 }, ageFrom: 'learntAt',
 *   at: '2026-11-20T12:00:00.000Z' }
 * ```
 */
export interface MatchRate {
  partner: string;
  profiles: number;
  matched: number;
  /** matched / profiles; 0 when there are no profiles */
  rate: number;
  byAgeDays: Record<string, number>;
  ageFrom: 'learntAt' | 'lastSeen';
  /** when it was counted (ISO 8601) */
  at: string;
}

/**
 * The bucket label of an age in days (`MATCH_AGE_BUCKETS`); a negative age (an ID learnt after `now`,
 * clocks apart) counts as 0. Example: `ageBucket(0)` -> `'0-1'`; `ageBucket(8)` -> `'8-30'`
 */
export function ageBucket(days: number): string {
  const age = Math.max(0, days);
  return (MATCH_AGE_BUCKETS.find((b) => age <= b.maxDays) ?? MATCH_AGE_BUCKETS.at(-1)!).label;
}

/**
 * When the profile's freshest ID of `type` was learnt (epoch ms), or undefined when it holds none.
 * Without learnt times (or for an ID without one) the profile's last seen stands for it.
 */
function learntAt(profiles: MatchProfiles, p: number, type: string): number | undefined {
  if (profiles.allIds === undefined) {
    return Object.hasOwn(profiles.idsOf(p), type) ? profiles.attributes(p).lastSeen : undefined;
  }
  let latest: number | undefined;
  for (const id of profiles.allIds(p)) {
    if (id.type !== type) continue;
    const at =
      id.learntAt !== undefined && Number.isFinite(id.learntAt)
        ? id.learntAt
        : profiles.attributes(p).lastSeen;
    if (latest === undefined || at > latest) latest = at;
  }
  return latest;
}

/**
 * Counts a partner's match rate over a tenant's profiles at `now` (pure over the port; one pass). With
 * `lifetimeDays`, a profile whose freshest ID of the type is that old or older is not matched: the ID
 * has expired, and no destination is sent it.
 *
 * Example: `countMatchRate(qualify.profilesOf('acme'), 'ssp_a', Date.now(), 90)` -> `{ partner: 'ssp_a', profiles: 3, matched: 1, ... }`
 */
export function countMatchRate(
  profiles: MatchProfiles,
  type: string,
  now: number,
  lifetimeDays = Infinity,
): MatchRate {
  const lifetimeMs = lifetimeDays * DAY_MS;
  const byAgeDays = Object.fromEntries(MATCH_AGE_BUCKETS.map((b) => [b.label, 0]));
  let matched = 0;
  profiles.forEach((p) => {
    const at = learntAt(profiles, p, type);
    if (at === undefined || now - at >= lifetimeMs) return;
    matched++;
    const label = ageBucket(Math.floor((now - at) / DAY_MS));
    byAgeDays[label] = (byAgeDays[label] ?? 0) + 1;
  });
  const count = profiles.count();
  return {
    partner: type,
    profiles: count,
    matched,
    rate: count === 0 ? 0 : matched / count,
    byAgeDays,
    ageFrom: profiles.allIds === undefined ? 'lastSeen' : 'learntAt',
    at: new Date(now).toISOString(),
  };
}

/**
 * Match rates of ID-sync partners (`GET /v1/partners/{code}/match-rate`): how many of the tenant's live
 * profiles hold an ID of the partner's type, and how old those mappings are. A 404 for a partner the
 * tenant does not have (through the partner service). The count is one pass over the tenant's profiles,
 * made when asked.
 *
 * Example:
 * ```ts
 * const rates = new MatchRates({ partners, profilesOf: (t) => qualify.profilesOf(t), clock });
 * await rates.of('acme', 'ssp_a'); // -> { partner: 'ssp_a', profiles: 1000, matched: 420, rate: 0.42, byAgeDays: {...}, ... }
 * ```
 */
export class MatchRates {
  constructor(
    private readonly deps: {
      partners: Pick<PartnerService, 'get'>;
      profilesOf: (tenant: string) => MatchProfiles;
      clock: Clock;
      /** how long each ID type lives for the tenant; default: the partner's own `idLifetimeDays` */
      lifetimes?: (tenant: string) => Promise<IdLifetimes>;
    },
  ) {}

  /** The partner's match rate now, counting only IDs still alive; 404 `not_found` for an unknown partner. */
  async of(tenant: string, code: string): Promise<MatchRate> {
    const partner = await this.deps.partners.get(tenant, code);
    const lifetimes = await this.deps.lifetimes?.(tenant);
    const days = idLifetimeDays(partner.code, {
      [partner.code]: partner.idLifetimeDays,
      ...lifetimes?.perType,
    });
    return countMatchRate(this.deps.profilesOf(tenant), partner.code, this.deps.clock.now(), days);
  }
}
