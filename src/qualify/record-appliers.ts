import type { AudienceIndex } from '../audience/audience-index.ts';
import type { DemoRecord } from '../core/demo-record.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { OnboardRecord } from '../core/onboard/index.ts';
import type { LogRecord } from '../log/event-log.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import { applyConsentRecord } from './apply-consent.ts';
import { applyDeleteRecord } from './apply-delete.ts';
import { applyEvent } from './apply-event.ts';
import { applyLinks, type LinkOutcomes } from './apply-links.ts';
import type { MembershipCaches } from './membership-caches.ts';
import type { TenantAudience } from './tenant-audience.ts';
import type { TenantIdLimits } from './tenant-id-limits.ts';
import type { TenantRules } from './tenant-rules.ts';

/** The records that change profiles: all but the `erased` tombstone, which changes nothing. */
export type AppliedRecord = Exclude<LogRecord, { kind: 'erased' }>;

/** The number of events applied, realisations added, and deletions applied so far. */
export interface ApplyStats {
  events: number;
  realisations: number;
  deletions: number;
}

/** Where one record is applied: its tenant's profiles and, when kept current, the tenant's audience index. */
export interface ApplyTarget {
  readonly tenant: string;
  readonly profiles: TenantProfiles;
  /** the tenant's audience index when it is kept current record by record, else undefined */
  readonly audience: TenantAudience | undefined;
}

/** What every applier shares: the counts, each tenant's compiled rules, the membership caches to drop. */
export interface ApplyShared {
  readonly stats: ApplyStats;
  rules(tenant: string): TenantRules;
  readonly memberships: MembershipCaches;
  /** each tenant's ID caps as the log has set them so far (`identity` records) */
  readonly idLimits: TenantIdLimits;
  /** what each `links` record applied here came to, for the service that appended it */
  readonly linkOutcomes: LinkOutcomes;
}

/** Applies one kind of record. Deterministic: replaying the log gives the same profiles. */
export type KindApplier<R extends AppliedRecord> = (
  record: R,
  seq: number,
  target: ApplyTarget,
  shared: ApplyShared,
) => void;

/** One applier for each kind of record: a missing kind is a compile error. */
export type RecordAppliers = {
  [K in AppliedRecord['kind']]: KindApplier<Extract<AppliedRecord, { kind: K }>>;
};

/** Turns `demo` log records into the events they stand for (ADR 0016; src/demo/demo-record-events.ts). */
export interface DemoEventSource {
  eventsOf(record: DemoRecord): Iterable<CollectedEvent>;
  visitorEvents(record: DemoRecord, uid: string): CollectedEvent[];
}

/**
 * Applies `onboard` log records (`OnboardJobs` of src/onboard, which also keeps each job's progress): set by
 * the composition root, so qualification does not depend on onboarding. Returns the realisations added.
 */
export interface OnboardRecords {
  apply(
    record: OnboardRecord,
    target: { profiles: TenantProfiles; index: AudienceIndex | undefined; changed(p?: number): void },
  ): number;
}

/**
 * The appliers of qualification itself (events, deletions, consent, ID limits, ID links); `onboard` and `demo` records throw
 * until their features are plugged in (`onboardApplier`, `demoApplier`).
 *
 * Example: `applyRecord({ ...ownAppliers(), demo: demoApplier(source) }, record, seq, target, shared)`.
 */
export function ownAppliers(): RecordAppliers {
  return {
    event: (record, seq, target, shared) => applyEvent(record.event, seq, target, shared),
    delete: applyDeleteRecord,
    // consent is not part of any segment rule: the profile's memberships and the audience index stay
    consent: (record, _seq, target) => void applyConsentRecord(target.profiles, record),
    // the caps of later links and merges; profiles already built keep their IDs until those cap them
    identity: (record, _seq, _target, shared) => shared.idLimits.apply(record),
    // rows of an ID-link file: merged and attached as an event's linking IDs are (apply-links.ts)
    links: (record, _seq, target, shared) => applyLinks(record, target, shared),
    onboard: () => {
      throw new Error('an onboard record came before useOnboardRecords');
    },
    demo: () => {
      throw new Error('a demo record came before useDemoEvents');
    },
  };
}

/** Applies `onboard` records through onboarding's port, keeping the audience index and caches current. */
export function onboardApplier(records: OnboardRecords): RecordAppliers['onboard'] {
  return (record, _seq, { tenant, profiles, audience }, shared) => {
    const changed = (p?: number): void => shared.memberships.changed(tenant, p);
    shared.stats.realisations += records.apply(record, { profiles, index: audience?.index, changed });
    audience?.changed();
  };
}

/** Applies a `demo` record as the events it stands for, in order, each as an `event` record under its seq. */
export function demoApplier(source: DemoEventSource): RecordAppliers['demo'] {
  return (record, seq, target, shared) => {
    for (const event of source.eventsOf(record)) applyEvent(event, seq, target, shared);
  };
}

/** Applies `record` by the applier of its kind. Example: `applyRecord(appliers, record, 7, target, shared)`. */
export function applyRecord(
  appliers: RecordAppliers,
  record: AppliedRecord,
  seq: number,
  target: ApplyTarget,
  shared: ApplyShared,
): void {
  // the table pairs each kind with its applier; TypeScript cannot follow `record.kind` into the index
  const apply = appliers[record.kind] as KindApplier<AppliedRecord>;
  apply(record, seq, target, shared);
}
