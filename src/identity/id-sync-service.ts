import { randomUUID } from 'node:crypto';
import type { PartnerStore } from '../catalog/partner-store.ts';
import type { Clock } from '../core/clock.ts';
import { decodeConsent, usOptOut } from '../core/consent/index.ts';
import type { CollectedEvent, Consent } from '../core/event.ts';
import type { SkippedPartner, SyncPartner, SyncPlan } from '../core/identity/index.ts';
import {
  checkId,
  MAX_CONSENT_LENGTH,
  partnerConsentDenied,
  planSyncs,
  readCookieSyncRequest,
} from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';

/** The event type `/setuid` records a partner's ID with. */
export const ID_SYNC_EVENT_TYPE = 'idsync';

/**
 * What ID sync reads of a tenant's profiles: the profile of an ID, its IDs, when it was last seen, and,
 * when the profile store gives them, every ID with the time it was learnt (`allIds`). Without learnt
 * times, a partner's ID counts as learnt when the profile was last seen (an upper bound: a resync may
 * come later than `resyncDays` after the ID was learnt, never earlier).
 *
 * Example: `{ profilesOf: (tenant) => store.tenant(tenant) }` (QualifyService has `profilesOf`).
 */
export interface SyncProfiles {
  find: TenantProfiles['find'];
  idsOf: TenantProfiles['idsOf'];
  attributes(p: number): { lastSeen: number };
  /** every ID with its learnt time (epoch ms; absent or not finite: unknown) */
  allIds?(p: number): readonly { type: string; learntAt?: number }[];
}

/** What the ID-sync service is built from. Example: `{ partners: catalog, profiles: qualify, optOuts, ingest, clock }` */
export interface IdSyncDeps {
  partners: Pick<PartnerStore, 'listPartners' | 'getPartner'>;
  profiles: { profilesOf(tenant: string): SyncProfiles };
  /** the opt-out registry: an opted-out visitor gets no syncs */
  optOuts: Pick<OptOutRegistry, 'covers'>;
  /** records `/setuid`'s event through the log, so the partner's ID survives a restart */
  ingest: Pick<IngestService, 'ingest'>;
  clock: Clock;
  /** the GVL vendor ID of whoever runs this server, if any: where GDPR applies it needs consent too */
  hostVendorId?: number;
}

/**
 * A `/cookie_sync` request after the HTTP edge: the body (untrusted JSON), `Sec-GPC: 1`, the visitor's
 * `dmp_uid` cookie when it may be read, the opt-out cookie, where this server is reached and the site key
 * (for `${REDIRECT}`).
 *
 * Example: `{ body: { bidders: ['ssp_a'], gdpr: 0 }, gpc: false, uid: 'c-1', optOutCookie: false, publicBase: 'https://dmp.example', siteKey: 'site_x' }`
 */
export interface CookieSyncInput {
  body: unknown;
  gpc: boolean;
  uid: string | undefined;
  optOutCookie: boolean;
  publicBase: string;
  siteKey: string;
}

/**
 * A `/setuid` request after the HTTP edge: the query's `bidder`, `uid` and consent parameters (as
 * strings, unchecked), the visitor's `dmp_uid` cookie, the opt-out cookie, `Sec-GPC: 1`, and the
 * client's address and user agent (the event is enriched as any other).
 *
 * Example: `{ bidder: 'ssp_a', uid: 'A1B2', gdpr: '1', gdprConsent: 'CQ...', cookie: 'c-1', optOutCookie: false, gpc: false }`
 */
export interface SetUidInput {
  bidder: string | undefined;
  uid: string | undefined;
  gdpr?: string | undefined;
  gdprConsent?: string | undefined;
  usPrivacy?: string | undefined;
  gpp?: string | undefined;
  gppSid?: string | undefined;
  cookie: string | undefined;
  optOutCookie: boolean;
  gpc: boolean;
  ip?: string | undefined;
  ua?: string | undefined;
}

/**
 * What `/setuid` did: `recorded` when the partner's ID was stored for the visitor; otherwise why not
 * (`no-id`: the partner sent none; `opted-out`; `held-by-another-profile`: another of our profiles has
 * this partner ID, and partner IDs never link two profiles). `newUid` is the visitor ID to set as the
 * `dmp_uid` cookie when the browser had none and the ID was recorded under a new one.
 *
 * Example: `{ outcome: 'recorded', newUid: '5b0e...' }`
 */
export interface SetUidResult {
  outcome: 'recorded' | 'no-id' | 'opted-out' | 'held-by-another-profile';
  newUid?: string;
}

/** A visitor as the opt-out registry checks it: an event with its IDs and nothing else. */
function visitorEvent(uid: string, ids: Record<string, string>, ts: number): CollectedEvent {
  return { uid, ids, type: ID_SYNC_EVENT_TYPE, ts, utm: {}, signals: {}, geo: {}, device: {} };
}

function badRequest(code: string, field: string, detail: string): ServiceError {
  return new ServiceError(400, code, `${field}: ${detail}`, { field });
}

/**
 * The consent `/setuid` was given in its query (the redirect passes `gdpr` and `gdpr_consent` on, as
 * Prebid Server's does), checked as `/cookie_sync` checks its body: `gdpr` 0 or 1, `gdpr=1` needs a
 * TC string.
 */
function setUidConsent(input: SetUidInput): Consent {
  const consent: Consent = {};
  if (input.gdpr !== undefined && input.gdpr !== '') {
    if (input.gdpr !== '0' && input.gdpr !== '1') {
      throw badRequest('invalid_request', 'gdpr', 'must be 0 or 1 (leave it out when unsure)');
    }
    consent.gdpr = input.gdpr === '1' ? 1 : 0;
  }
  for (const [value, key, field] of [
    [input.gdprConsent, 'tcf', 'gdpr_consent'],
    [input.usPrivacy, 'usp', 'us_privacy'],
    [input.gpp, 'gpp', 'gpp'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (value.length > MAX_CONSENT_LENGTH) {
      throw badRequest(
        'invalid_request',
        field,
        `is ${value.length} characters long; the limit is ${MAX_CONSENT_LENGTH}`,
      );
    }
    consent[key] = value;
  }
  if (input.gppSid !== undefined && input.gppSid !== '') {
    const ids = input.gppSid.split(',').map((s) => s.trim());
    if (ids.length > 100 || !ids.every((s) => /^\d{1,3}$/.test(s) && Number(s) <= 255)) {
      throw badRequest(
        'invalid_request',
        'gpp_sid',
        'must be GPP section IDs separated by commas, such as "2,6"',
      );
    }
    consent.gppSid = ids.map(Number);
  }
  if (input.gpc) consent.gpc = true;
  const tcInGpp = consent.gpp !== undefined && (consent.gppSid?.includes(2) ?? false);
  if (consent.gdpr === 1 && consent.tcf === undefined && !tcInGpp) {
    throw badRequest(
      'invalid_request',
      'gdpr_consent',
      'is required when gdpr is 1 (the partner must pass on the TC string it was given)',
    );
  }
  return consent;
}

/**
 * ID sync with partners (issue 15, point 2), Prebid Server's `/cookie_sync` and `/setuid`:
 * - `cookieSync` plans which partners the page syncs now (`planSyncs`: unknown bidders, IDs fresher
 *   than `resyncDays`, US opt-outs and GPC, missing GDPR consent for the partner's vendor, `limit`), from
 *   the tenant's partners and the visitor's known partner IDs; an opted-out visitor gets none;
 * - `setUid` records the ID a partner sends back for the visitor of our cookie, as an `idsync` event
 *   with `ids: { CODE: ID }` through the ingest pipeline (consent gate, opt-outs, the log), so it
 *   survives a restart and shows on the profile.
 *
 * Example:
 * ```ts
 * const plan = await idSync.cookieSync('acme', { body: { gdpr: 0 }, gpc: false, uid: 'c-1', optOutCookie: false,
 *   publicBase: 'https://dmp.example', siteKey: 'site_x' });
 * // { status: 'ok', bidder_status: [{ bidder: 'ssp_a', no_cookie: true, usersync: { url, type: 'redirect', supportCORS: false } }], skipped: [] }
 * await idSync.setUid('acme', { bidder: 'ssp_a', uid: 'A1B2', cookie: 'c-1', optOutCookie: false, gpc: false });
 * // { outcome: 'recorded' }
 * ```
 */
export class IdSyncService {
  constructor(private readonly deps: IdSyncDeps) {}

  /** The plan for a `/cookie_sync` request; a 400 when the body is not a valid request. */
  async cookieSync(tenant: string, input: CookieSyncInput): Promise<SyncPlan> {
    const read = readCookieSyncRequest(input.body, input.gpc);
    if (!read.ok) {
      const field = /^([a-z_]+): /.exec(read.error)?.[1] ?? 'body';
      throw new ServiceError(400, 'invalid_request', read.error, { field });
    }
    const request = read.request;
    const partners = await this.deps.partners.listPartners(tenant);
    const hasCookie = input.uid !== undefined;
    const now = this.deps.clock.now();
    const profiles = this.deps.profiles.profilesOf(tenant);
    const p = input.uid === undefined ? undefined : profiles.find('uid', input.uid);
    const ids = p === undefined ? {} : profiles.idsOf(p);
    const optedOut =
      input.optOutCookie ||
      (input.uid !== undefined && this.deps.optOuts.covers(tenant, visitorEvent(input.uid, ids, now)));
    if (optedOut) {
      return {
        status: hasCookie ? 'ok' : 'no_cookie',
        bidder_status: [],
        skipped: requestedCodes(partners, request.bidders).map((bidder) => ({
          bidder,
          reason: 'opted-out',
          detail: 'the visitor opted out (opt-out registry or opt-out cookie): no ID is shared',
        })),
      };
    }
    return planSyncs({
      partners,
      ...(request.bidders !== undefined && { bidders: request.bidders }),
      consent: request.consent,
      known: p === undefined ? {} : learntTimes(profiles, p, partners),
      now,
      ...(request.limit !== undefined && { limit: request.limit }),
      hasCookie,
      ...(input.uid !== undefined && { uid: input.uid }),
      publicBase: input.publicBase,
      siteKey: input.siteKey,
      ...(this.deps.hostVendorId !== undefined && { hostVendorId: this.deps.hostVendorId }),
    });
  }

  /**
   * Records the partner's ID for the visitor. Refused: an unknown bidder, a missing or invalid ID or one
   * still holding the partner's macro (400); consent that does not let this partner store an ID (451,
   * as Prebid Server answers: GDPR without purpose 1 or the partner's vendor consent, or a US opt-out or
   * GPC). An opted-out visitor, an empty `uid` (the partner has no ID) and an ID another profile holds
   * record nothing, and say so in the outcome.
   */
  async setUid(tenant: string, input: SetUidInput): Promise<SetUidResult> {
    const partner = await this.partner(tenant, input.bidder);
    const consent = setUidConsent(input);
    if (input.uid === undefined || input.uid === '') return { outcome: 'no-id' };
    if (input.uid === partner.uidMacro) {
      throw badRequest(
        'invalid_uid',
        'uid',
        `is still the partner's macro ${partner.uidMacro}: the partner must replace it with its user ID (check the partner's uidMacro)`,
      );
    }
    const id = checkId(partner.code, input.uid);
    if (!id.ok) throw badRequest('invalid_uid', 'uid', id.error);
    this.checkConsent(consent, partner);
    if (input.optOutCookie) return { outcome: 'opted-out' };

    const visitor = input.cookie !== undefined && input.cookie !== '' ? input.cookie : randomUUID();
    const profiles = this.deps.profiles.profilesOf(tenant);
    const holder = profiles.find(partner.code, id.id);
    if (holder !== undefined && holder !== profiles.find('uid', visitor)) {
      return { outcome: 'held-by-another-profile' };
    }
    const raw: Record<string, unknown> = {
      uid: visitor,
      ids: { [partner.code]: id.id },
      type: ID_SYNC_EVENT_TYPE,
    };
    if (Object.keys(consent).length > 0) raw.consent = consent;
    const result = await this.deps.ingest.ingest(tenant, [raw], {
      trusted: false,
      ...(input.ip !== undefined && { ip: input.ip }),
      ...(input.ua !== undefined && { ua: input.ua }),
      gpc: input.gpc,
      optOutCookie: input.optOutCookie,
    });
    if (result.dropped.optOut > 0) return { outcome: 'opted-out' };
    if (result.dropped.consent > 0) {
      throw new ServiceError(451, 'consent_refused', 'the consent given does not allow storing an ID');
    }
    if (result.accepted === 0) {
      const why = result.rejected[0]?.error ?? 'the event was not valid';
      throw new ServiceError(400, 'invalid_event', `the partner's ID could not be recorded: ${why}`);
    }
    return input.cookie === visitor ? { outcome: 'recorded' } : { outcome: 'recorded', newUid: visitor };
  }

  private async partner(tenant: string, bidder: string | undefined): Promise<SyncPartner> {
    if (bidder === undefined || bidder === '') {
      throw badRequest('invalid_request', 'bidder', "is required: the partner's code, as in /v1/partners");
    }
    const partner = await this.deps.partners.getPartner(tenant, bidder);
    if (partner === undefined) {
      throw badRequest(
        'unknown_bidder',
        'bidder',
        `no ID-sync partner ${JSON.stringify(bidder.slice(0, 64))} in this tenant (GET /v1/partners lists them)`,
      );
    }
    return partner;
  }

  /** Throws a 451 when the consent does not let this partner's ID be stored (see `setUid`). */
  private checkConsent(consent: Consent, partner: SyncPartner): void {
    const state = decodeConsent(consent);
    const us = usOptOut(state);
    const hostVendorId = this.deps.hostVendorId;
    const denied =
      (us.optedOut ? us.reason : undefined) ??
      (hostVendorId === undefined ? undefined : partnerConsentDenied(state, hostVendorId)) ??
      partnerConsentDenied(state, partner.vendorId);
    if (denied !== undefined) {
      throw new ServiceError(451, 'consent_refused', `the partner's ID is not stored: ${denied}`);
    }
  }
}

/** The codes a request names that are partners (all of them when it names none), for the skipped list. */
function requestedCodes(partners: readonly SyncPartner[], bidders: readonly string[] | undefined): string[] {
  const codes = partners.map((p) => p.code);
  if (bidders === undefined) return codes;
  const known = new Set(codes);
  return [...new Set(bidders)].filter((b) => known.has(b)).sort();
}

/**
 * When each partner's ID for the visitor was learnt (epoch ms), by partner code: the latest learnt time
 * of the profile's IDs of that type when the store gives learnt times, else (or for an ID it has no
 * time for) the profile's last seen.
 *
 * Example: `learntTimes(profiles, p, [sspA, sspB])` -> `{ ssp_a: 1763640000000 }` (no ID from ssp_b)
 */
export function learntTimes(
  profiles: SyncProfiles,
  p: number,
  partners: readonly SyncPartner[],
): Record<string, number> {
  const codes = new Set(partners.map((partner) => partner.code));
  const lastSeen = profiles.attributes(p).lastSeen;
  const known: Record<string, number> = {};
  if (profiles.allIds !== undefined) {
    for (const { type, learntAt } of profiles.allIds(p)) {
      if (!codes.has(type)) continue;
      // an ID attached without a time has none (absent, or NaN): the profile's last seen stands in
      const at = learntAt !== undefined && Number.isFinite(learntAt) ? learntAt : lastSeen;
      if (!Object.hasOwn(known, type) || at > known[type]!) known[type] = at;
    }
    return known;
  }
  for (const type of Object.keys(profiles.idsOf(p))) if (codes.has(type)) known[type] = lastSeen;
  return known;
}

/** Skipped partners for a log line: `ssp_b:no-consent, ssp_c:fresh`. Example: `describeSkipped(plan.skipped)` */
export function describeSkipped(skipped: readonly SkippedPartner[]): string {
  return skipped.map((s) => `${s.bidder}:${s.reason}`).join(', ');
}
