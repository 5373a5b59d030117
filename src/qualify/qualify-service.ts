import type { LogRecord } from '../log/event-log.ts';
import type { PartToWrite, ProfileStore, SnapshotPart, TenantProfiles } from '../profiles/profile-store.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';
import { TenantRules } from './tenant-rules.ts';
import { ProfileSegments } from './profile-segments.ts';
import { TenantAudience } from './tenant-audience.ts';
import { MembershipCache } from './membership-cache.ts';
import { stableUntil } from './time-sensitivity.ts';
import { DAY_MS } from '../core/clock.ts';
import { RoaringAudienceIndex, createAudienceIndex } from '../audience/roaring-audience-index.ts';
import type { AudienceIndex } from '../audience/audience-index.ts';
import type { OnboardRecord } from '../core/onboard/index.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { DemoRecord } from '../core/demo-record.ts';
import { applyConsentRecord } from './apply-consent.ts';

/** Turns `demo` log records into the events they stand for (ADR 0016). */
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

/** The number of realisations added, and profiles touched, by applying records. */
export interface ApplyStats {
  events: number;
  realisations: number;
  deletions: number;
}

/**
 * Qualification: applies log records to profiles (IDs, attributes, trait realisations) and answers
 * segment membership exactly at the time asked, so windows expire with no new event.
 *
 * Example:
 * ```ts
 * qualify.setRules('t1', traits, segments);
 * qualify.apply(seq, { kind: 'event', tenant: 't1', event });
 * qualify.segmentsOfUid('t1', 'c-123', Date.now()); // ['london_pricing']
 * ```
 */
export class QualifyService {
  private readonly rulesByTenant = new Map<string, TenantRules>();
  private readonly contexts = new Map<TenantRules, ProfileSegments>();
  private readonly audiences = new Map<string, TenantAudience>();
  private readonly caches = new Map<string, { rules: TenantRules; cache: MembershipCache }>();
  /** off while the log is replayed at start: the indexes are then built once from the profiles */
  private indexing = false;
  readonly stats: ApplyStats = { events: 0, realisations: 0, deletions: 0 };
  /** every record up to this seq has been applied (what a snapshot may claim to hold) */
  private applied = 0;
  private readonly appliedAhead = new Set<number>();
  /** tenants whose audience index is rebuilt once at the end of a bulk load instead of kept current */
  private readonly bulkLoading = new Set<string>();
  private demoEvents: DemoEventSource | undefined;
  private onboardRecords: OnboardRecords | undefined;

  constructor(
    private readonly profiles: ProfileStore,
    private readonly defaultLifetimeDays: number,
  ) {}

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
  }

  /** How `onboard` records are applied (src/onboard/onboard-jobs.ts); set before any is applied. */
  useOnboardRecords(records: OnboardRecords): void {
    this.onboardRecords = records;
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
    this.bulkLoading.add(tenant);
    this.audiences.delete(tenant);
  }

  /** Ends `beginBulkLoad`: the tenant's audience index is built from its profiles now. */
  endBulkLoad(tenant: string): void {
    this.bulkLoading.delete(tenant);
    this.audiences.delete(tenant);
    if (this.indexing) this.audience(tenant);
  }

  /** The tenant's audience index when it is kept current record by record, else undefined. */
  private liveAudience(tenant: string): TenantAudience | undefined {
    return this.indexing && !this.bulkLoading.has(tenant) ? this.audience(tenant) : undefined;
  }

  /** Builds every tenant's audience index from its profiles, and keeps them current from now on. */
  startIndexing(): void {
    this.indexing = true;
    for (const tenant of this.rulesByTenant.keys()) this.audience(tenant);
  }

  /** The tenant's audience index as snapshot parts (none when it was never built). */
  audienceParts(tenant: string): PartToWrite[] {
    return this.audiences.get(tenant)?.index.snapshotParts() ?? [];
  }

  /** Installs the tenant's audience index from snapshot parts, over its (already restored) profiles. */
  restoreAudience(tenant: string, parts: readonly SnapshotPart[]): void {
    const index = new RoaringAudienceIndex(this.profiles.tenant(tenant));
    index.restore(parts);
    this.audiences.set(tenant, new TenantAudience(index));
  }

  /** Forgets the tenant's audience index (it is built again on next use). */
  dropAudience(tenant: string): void {
    this.audiences.delete(tenant);
  }

  /** The tenant's bitmap audience index (built on first use). */
  audience(tenant: string): TenantAudience {
    let audience = this.audiences.get(tenant);
    if (audience === undefined) {
      audience = new TenantAudience(createAudienceIndex(this.profiles.tenant(tenant)));
      this.audiences.set(tenant, audience);
    }
    return audience;
  }

  /** Applies one log record. Deterministic: replaying the log gives the same profiles. */
  apply(seq: number, record: LogRecord): void {
    this.markApplied(seq);
    if (record.kind === 'erased') return;
    const profiles = this.profiles.tenant(record.tenant);
    const audience = this.liveAudience(record.tenant);
    if (record.kind === 'delete') {
      const p = profiles.find('uid', record.uid);
      if (p !== undefined) {
        audience?.index.removeProfile(p);
        profiles.remove(p);
        audience?.changed();
        this.changed(record.tenant, p);
      }
      this.stats.deletions++;
      return;
    }
    if (record.kind === 'onboard') {
      const tenant = record.tenant;
      const target = { profiles, index: audience?.index, changed: (p?: number) => this.changed(tenant, p) };
      if (this.onboardRecords === undefined)
        throw new Error('an onboard record came before useOnboardRecords');
      this.stats.realisations += this.onboardRecords.apply(record, target);
      audience?.changed();
      return;
    }
    if (record.kind === 'demo') {
      if (this.demoEvents === undefined) throw new Error('a demo record came before useDemoEvents');
      for (const event of this.demoEvents.eventsOf(record))
        this.applyEvent(record.tenant, profiles, audience, event, seq);
      return;
    }
    // consent is not part of any segment rule: the profile's memberships and the audience index stay
    if (record.kind === 'consent') {
      applyConsentRecord(profiles, record);
      return;
    }
    this.applyEvent(record.tenant, profiles, audience, record.event, seq);
  }

  private applyEvent(
    tenant: string,
    profiles: TenantProfiles,
    audience: TenantAudience | undefined,
    event: CollectedEvent,
    seq: number,
  ): void {
    const p = profiles.resolve(event.uid, event.ids, true);
    if (p === undefined) return;
    profiles.recordEvent(p, event);
    audience?.index.profileChanged(p);
    this.changed(tenant, p);
    this.stats.events++;
    for (const version of this.rules(tenant).realisedBy(event, seq)) {
      profiles.addRealisation(p, version.traitId, event.ts);
      audience?.index.addRealisation(p, version.traitId, event.ts);
      this.stats.realisations++;
    }
    audience?.changed();
  }

  /** The highest seq such that every record up to it has been applied. */
  appliedThrough(): number {
    return this.applied;
  }

  /** Says that every record up to `seq` is applied (after a snapshot was restored, or the log replayed). */
  markAppliedThrough(seq: number): void {
    if (seq <= this.applied) return;
    this.applied = seq;
    for (const s of this.appliedAhead) if (s <= seq) this.appliedAhead.delete(s);
    while (this.appliedAhead.delete(this.applied + 1)) this.applied++;
  }

  private markApplied(seq: number): void {
    if (seq !== this.applied + 1) {
      if (seq > this.applied) this.appliedAhead.add(seq);
      return;
    }
    this.applied = seq;
    while (this.appliedAhead.delete(this.applied + 1)) this.applied++;
  }

  /** Records a realisation outside the live path (backfill), in the profile and the index. */
  addRealisation(tenant: string, p: number, traitId: number, ts: number): void {
    this.profiles.tenant(tenant).addRealisation(p, traitId, ts);
    this.changed(tenant, p);
    const audience = this.liveAudience(tenant);
    audience?.index.addRealisation(p, traitId, ts);
    audience?.changed();
  }

  /** Forgets every realisation of a trait (deleted, or about to be backfilled). */
  clearTrait(tenant: string, traitId: number): void {
    this.profiles.tenant(tenant).clearTrait(traitId);
    this.changed(tenant);
    const audience = this.liveAudience(tenant);
    audience?.index.clearTrait(traitId);
    audience?.changed();
  }

  /** Retention: forgets expired realisations and profiles unseen for their lifetime. */
  forget(tenant: string, now: number, profileLifetimeMs: number): void {
    const rules = this.rules(tenant);
    const lifetime = (id: number): number | undefined => rules.lifetimeMs(id);
    this.profiles.tenant(tenant).forget(now, lifetime, profileLifetimeMs);
    this.changed(tenant);
    const audience = this.liveAudience(tenant);
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
    const cache = this.membershipCache(tenant, rules);
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

  private membershipCache(tenant: string, rules: TenantRules): MembershipCache {
    let entry = this.caches.get(tenant);
    if (entry === undefined || entry.rules !== rules) {
      entry = { rules, cache: new MembershipCache() };
      this.caches.set(tenant, entry);
    }
    return entry.cache;
  }

  /** Forgets cached memberships of one profile (or of the tenant). */
  private changed(tenant: string, p?: number): void {
    const entry = this.caches.get(tenant);
    if (entry === undefined) return;
    if (p === undefined) entry.cache.clear();
    else entry.cache.delete(p);
  }

  /** Counts the profiles for which `predicate` holds at `now` (a full scan). */
  count(tenant: string, predicate: (ctx: ProfileSegments) => boolean, now: number): number {
    const profiles = this.profiles.tenant(tenant);
    const ctx = this.context(tenant);
    let n = 0;
    profiles.forEach((p) => {
      if (predicate(ctx.reset(profiles.view(p), now))) n++;
    });
    return n;
  }

  /** Sizes of the segments at these positions and the number of profiles in each pair. */
  overlap(
    tenant: string,
    positions: readonly number[],
    now: number,
  ): { sizes: number[]; overlap: number[][] } {
    const k = positions.length;
    const sizes = new Array<number>(k).fill(0);
    const overlap = positions.map(() => new Array<number>(k).fill(0));
    const member = new Uint8Array(k);
    const profiles = this.profiles.tenant(tenant);
    const ctx = this.context(tenant);
    profiles.forEach((p) => {
      ctx.reset(profiles.view(p), now);
      for (let i = 0; i < k; i++) member[i] = ctx.isMember(positions[i]!) ? 1 : 0;
      for (let i = 0; i < k; i++) {
        if (member[i] === 0) continue;
        sizes[i]!++;
        const row = overlap[i]!;
        for (let j = 0; j < k; j++) if (member[j] === 1) row[j]!++;
      }
    });
    return { sizes, overlap };
  }
}
