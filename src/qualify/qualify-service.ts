import type { LogRecord } from '../log/event-log.ts';
import type { PartToWrite, ProfileStore, SnapshotPart, TenantProfiles } from '../profiles/profile-store.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { DemoRecord } from '../core/demo-record.ts';
import { DAY_MS } from '../core/clock.ts';
import { TenantIdLimits } from './tenant-id-limits.ts';
import type { IdLinksRecord, LinksOutcome } from '../core/identity/index.ts';
import type { LinkOutcomes } from './apply-links.ts';
import { TenantRules } from './tenant-rules.ts';
import { ProfileSegments } from './profile-segments.ts';
import type { TenantAudience } from './tenant-audience.ts';
import { type AudienceIndexFactory, TenantAudiences } from './tenant-audiences.ts';
import { MembershipCaches } from './membership-caches.ts';
import { AppliedThrough } from './applied-through.ts';
import { stableUntil } from './time-sensitivity.ts';
import {
  type ApplyShared,
  type ApplyStats,
  type DemoEventSource,
  type OnboardRecords,
  type RecordAppliers,
  applyRecord,
  demoApplier,
  onboardApplier,
  ownAppliers,
} from './record-appliers.ts';
import type {
  AudienceReader,
  DemoVisitors,
  MembershipReader,
  RealisationWriter,
  RecordApplier,
  RuleReader,
  RuleWriter,
} from './ports.ts';

export type { ApplyStats, DemoEventSource, OnboardRecords } from './record-appliers.ts';

/**
 * Qualification: applies log records to profiles (IDs, attributes, trait realisations), each kind by its
 * own applier (record-appliers.ts), and answers segment membership exactly at the time asked, so windows
 * expire with no new event. The features above read it through the narrow ports of ports.ts.
 *
 * Example:
 * ```ts
 * const qualify = new QualifyService(store, 120, (profiles) => new RoaringAudienceIndex(profiles));
 * qualify.setRules('t1', traits, segments);
 * qualify.apply(seq, { kind: 'event', tenant: 't1', event });
 * qualify.segmentsOf('t1', p, Date.now()); // ['london_pricing']
 * ```
 */
export class QualifyService
  implements
    RuleReader,
    RuleWriter,
    MembershipReader,
    AudienceReader,
    RealisationWriter,
    RecordApplier,
    DemoVisitors
{
  private readonly rulesByTenant = new Map<string, TenantRules>();
  private readonly contexts = new Map<TenantRules, ProfileSegments>();
  private readonly audiences: TenantAudiences;
  private readonly memberships = new MembershipCaches();
  private readonly applied = new AppliedThrough();
  private readonly appliers: RecordAppliers = ownAppliers();
  private readonly shared: ApplyShared;
  readonly stats: ApplyStats = { events: 0, realisations: 0, deletions: 0 };
  /** each tenant's ID caps from the log's `identity` records; kept in snapshots as a companion */
  readonly idLimits = new TenantIdLimits();
  private readonly linkOutcomes: LinkOutcomes = new WeakMap();
  private demoEvents: DemoEventSource | undefined;

  /** `newAudienceIndex` makes each tenant's (empty) audience index: the composition root's choice. */
  constructor(
    private readonly profiles: ProfileStore,
    private readonly defaultLifetimeDays: number,
    newAudienceIndex: AudienceIndexFactory,
  ) {
    this.audiences = new TenantAudiences(profiles, newAudienceIndex);
    this.shared = {
      stats: this.stats,
      rules: (tenant) => this.rules(tenant),
      memberships: this.memberships,
      idLimits: this.idLimits,
      linkOutcomes: this.linkOutcomes,
    };
  }

  /** Compiles and installs a tenant's rules; called at start and after every catalog change. */
  setRules(tenant: string, traits: readonly Trait[], segments: readonly Segment[]): TenantRules {
    const rules = new TenantRules(traits, segments, this.defaultLifetimeDays);
    this.rulesByTenant.set(tenant, rules);
    return rules;
  }

  /** The tenants whose rules are installed. */
  tenants(): IterableIterator<string> {
    return this.rulesByTenant.keys();
  }

  /** Recompiles only the tenant's segments, keeping its compiled traits. */
  setSegments(tenant: string, segments: readonly Segment[]): TenantRules {
    const rules = new TenantRules(this.rules(tenant), segments, this.defaultLifetimeDays);
    this.rulesByTenant.set(tenant, rules);
    return rules;
  }

  rules(tenant: string): TenantRules {
    let rules = this.rulesByTenant.get(tenant);
    if (rules === undefined) rules = this.setRules(tenant, [], []);
    return rules;
  }

  profilesOf(tenant: string): TenantProfiles {
    return this.profiles.tenant(tenant);
  }

  /** How `demo` records become events (src/demo/demo-record-events.ts); set before any is applied. */
  useDemoEvents(source: DemoEventSource): void {
    this.demoEvents = source;
    this.appliers.demo = demoApplier(source);
  }

  /** How `onboard` records are applied (src/onboard/onboard-jobs.ts); set before any is applied. */
  useOnboardRecords(records: OnboardRecords): void {
    this.appliers.onboard = onboardApplier(records);
  }

  /** One visitor's events of a `demo` record (for the visitor's export); none without a source. */
  demoVisitorEvents(record: DemoRecord, uid: string): CollectedEvent[] {
    return this.demoEvents?.visitorEvents(record, uid) ?? [];
  }

  /**
   * A bulk load of the tenant starts: its audience index is dropped and no longer kept current event
   * by event; `endBulkLoad` builds it once from the profiles (cheaper than millions of small updates).
   * Answers about sizes are not to be asked in between.
   */
  beginBulkLoad(tenant: string): void {
    this.audiences.beginBulkLoad(tenant);
  }

  /** Ends `beginBulkLoad`: the tenant's audience index is built from its profiles now. */
  endBulkLoad(tenant: string): void {
    this.audiences.endBulkLoad(tenant);
  }

  /** Builds every tenant's audience index from its profiles, and keeps them current from now on. */
  startIndexing(): void {
    this.audiences.startIndexing(this.rulesByTenant.keys());
  }

  /** The tenant's audience index as snapshot parts (none when it was never built). */
  audienceParts(tenant: string): PartToWrite[] {
    return this.audiences.parts(tenant);
  }

  /** Installs the tenant's audience index from snapshot parts, over its (already restored) profiles. */
  restoreAudience(tenant: string, parts: readonly SnapshotPart[]): void {
    this.audiences.restore(tenant, parts);
  }

  /** Forgets the tenant's audience index (it is built again on next use). */
  dropAudience(tenant: string): void {
    this.audiences.drop(tenant);
  }

  /** The tenant's bitmap audience index (built on first use). */
  audience(tenant: string): TenantAudience {
    return this.audiences.of(tenant);
  }

  /** Applies one log record by the applier of its kind. Deterministic: replaying the log gives the same profiles. */
  apply(seq: number, record: LogRecord): void {
    this.applied.mark(seq);
    if (record.kind === 'erased') return;
    const { tenant } = record;
    const target = { tenant, profiles: this.profiles.tenant(tenant), audience: this.audiences.live(tenant) };
    applyRecord(this.appliers, record, seq, target, this.shared);
  }

  /**
   * What applying this `links` record (the very object passed to `apply`) came to; undefined when this
   * process has not applied it. Example: `qualify.linksOutcome(record)` -> `{ linked: 2, merged: 1, unmatched: 5 }`.
   */
  linksOutcome(record: IdLinksRecord): LinksOutcome | undefined {
    return this.linkOutcomes.get(record);
  }

  /** The highest seq such that every record up to it has been applied. */
  appliedThrough(): number {
    return this.applied.through;
  }

  /** Says that every record up to `seq` is applied (after a snapshot was restored, or the log replayed). */
  markAppliedThrough(seq: number): void {
    this.applied.markThrough(seq);
  }

  /** Records a realisation outside the live path (backfill), in the profile and the index. */
  addRealisation(tenant: string, p: number, traitId: number, ts: number): void {
    this.profiles.tenant(tenant).addRealisation(p, traitId, ts);
    this.memberships.changed(tenant, p);
    const audience = this.audiences.live(tenant);
    audience?.index.addRealisation(p, traitId, ts);
    audience?.changed();
  }

  /** Forgets every realisation of a trait (deleted, or about to be backfilled). */
  clearTrait(tenant: string, traitId: number): void {
    this.profiles.tenant(tenant).clearTrait(traitId);
    this.memberships.changed(tenant);
    const audience = this.audiences.live(tenant);
    audience?.index.clearTrait(traitId);
    audience?.changed();
  }

  /** Retention: forgets expired realisations and profiles unseen for their lifetime. */
  forget(tenant: string, now: number, profileLifetimeMs: number): void {
    const rules = this.rules(tenant);
    const lifetime = (id: number): number | undefined => rules.lifetimeMs(id);
    this.profiles.tenant(tenant).forget(now, lifetime, profileLifetimeMs);
    this.memberships.changed(tenant);
    const audience = this.audiences.live(tenant);
    audience?.index.forget(now, lifetime);
    audience?.changed();
  }

  /** A reusable evaluation context for the tenant's segments. */
  context(tenant: string): ProfileSegments {
    const rules = this.rules(tenant);
    let ctx = this.contexts.get(rules);
    if (ctx === undefined) {
      this.contexts.clear();
      ctx = new ProfileSegments(rules);
      this.contexts.set(rules, ctx);
    }
    return ctx;
  }

  /** The segment codes of profile `p` at time `now`. */
  segmentsOf(tenant: string, p: number, now: number): string[] {
    const rules = this.rules(tenant);
    const cache = this.memberships.of(tenant, rules);
    const cached = cache.get(p, now);
    if (cached !== undefined) return [...cached];
    const profiles = this.profiles.tenant(tenant);
    const view = profiles.view(p, true);
    const codes = this.context(tenant).reset(view, now).memberCodes();
    const held = profiles.traitSummaries(p).flatMap((t) => {
      const trait = rules.traitsById.get(t.traitId);
      return trait === undefined
        ? []
        : [{ id: trait.id, code: trait.code, lifetimeMs: trait.lifetimeDays * DAY_MS }];
    });
    cache.set(p, codes, stableUntil(view, now, rules.timeSensitivity(), held));
    return [...codes];
  }
}
