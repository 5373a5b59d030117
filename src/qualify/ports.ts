import type { DemoRecord } from '../core/demo-record.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { LogRecord } from '../log/event-log.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import type { TenantAudience } from './tenant-audience.ts';
import type { TenantRules } from './tenant-rules.ts';

// The narrow ports through which the features above read (and the few that write) qualification.
// `QualifyService` implements every one of them; each feature names only those it calls, so the
// composition root passes the one QualifyService and a test can pass a small fake.

/** A tenant's profiles, to read only: lookups by ID, what a profile holds, and scans. */
export type ProfileLookup = Pick<
  TenantProfiles,
  | 'find'
  | 'uidOf'
  | 'idsOf'
  | 'allIds'
  | 'view'
  | 'traitSummaries'
  | 'consentOf'
  | 'attributes'
  | 'count'
  | 'page'
  | 'forEach'
>;

/**
 * The compiled rules of a tenant (traits, segments, lifetimes). Example:
 * `rules.rules('t1').segmentByCode('london_pricing')?.id` -> `12`.
 */
export interface RuleReader {
  rules(tenant: string): TenantRules;
}

/**
 * Installs a tenant's rules, compiled (`loadRules`, `loadSegments` of rules-loader.ts after a catalog
 * change). Example: `writer.setRules('t1', traits, segments)`.
 */
export interface RuleWriter {
  setRules(tenant: string, traits: readonly Trait[], segments: readonly Segment[]): TenantRules;
  setSegments(tenant: string, segments: readonly Segment[]): TenantRules;
}

/** A tenant's profiles, read-only. Example: `reader.profilesOf('t1').find('uid', 'c-123')` -> `4`. */
export interface ProfileReader {
  profilesOf(tenant: string): ProfileLookup;
}

/**
 * Which segments a profile is in, exactly at the time asked (windows expire with no new event), and
 * the profiles to find it in. Example: `members.segmentsOf('t1', 4, Date.now())` -> `['london_pricing']`.
 */
export interface MembershipReader extends ProfileReader {
  segmentsOf(tenant: string, p: number, now: number): string[];
}

/**
 * The tenant's bitmap audience index with its saved segments' plans (sizes, overlaps, members).
 * Example: `reader.audience('t1').withMembers(rules, [12], now, (m) => m[0]!.size)`.
 */
export interface AudienceReader {
  audience(tenant: string): TenantAudience;
}

/**
 * Realisations added or forgotten outside the live path (backfill), kept in the profile, the audience
 * index and the membership cache alike. Example: `writer.clearTrait('t1', 7)`.
 */
export interface RealisationWriter {
  addRealisation(tenant: string, p: number, traitId: number, ts: number): void;
  clearTrait(tenant: string, traitId: number): void;
}

/** Applies a record just appended to the log, under its seq. Example: `applier.apply(seq, record)`. */
export interface RecordApplier {
  apply(seq: number, record: LogRecord): void;
}

/**
 * One visitor's events held in a `demo` record (the standard data set, ADR 0016), for an export.
 * Example: `demo.demoVisitorEvents(record, 'c-17')` -> that visitor's events of the record's day.
 */
export interface DemoVisitors {
  demoVisitorEvents(record: DemoRecord, uid: string): CollectedEvent[];
}
