import { DAY_MS } from '../clock.ts';
import { decodeConsent, gdprTcf, hasId, purposeLabel, usOptOut } from '../consent/index.ts';
import type { ConsentState } from '../consent/index.ts';
import type { Consent } from '../event.ts';
import type { SyncPartner } from './sync-partner.ts';
import { expandSyncUrl, redirectUrl } from './sync-url.ts';

/** The most requested bidders read (after removing duplicates); the rest are ignored. */
export const MAX_REQUESTED_BIDDERS = 256;

/**
 * Why a partner was not synced:
 * - `unknown-bidder`: the request named a bidder that is no partner of the tenant;
 * - `fresh`: its ID for the visitor is younger than `resyncDays` (and than `idLifetimeDays`);
 * - `opted-out`: a US opt-out (US Privacy, GPP US section, GPC): a sync shares the visitor's ID;
 * - `no-consent`: GDPR applies and the TC string lacks purpose 1 or the partner's vendor consent;
 * - `over-limit`: it could have been synced, but `limit` others came first.
 *
 * Example: `'fresh'`
 */
export type SkipReason = 'unknown-bidder' | 'fresh' | 'opted-out' | 'no-consent' | 'over-limit';

/** One partner not synced, and why (for metrics and debugging). Example: `{ bidder: 'ssp_b', reason: 'fresh', detail: '...' }` */
export interface SkippedPartner {
  bidder: string;
  reason: SkipReason;
  detail: string;
}

/** A sync for the page to run, as Prebid Server's `usersync`. Example: `{ url: 'https://...', type: 'redirect', supportCORS: false }` */
export interface UserSync {
  url: string;
  type: 'redirect' | 'iframe';
  supportCORS: false;
}

/**
 * One entry of Prebid Server's `bidder_status`: `no_cookie` is always true (only partners that need a
 * sync are listed, as in Prebid Server).
 *
 * Example: `{ bidder: 'ssp_a', no_cookie: true, usersync: { url: 'https://...', type: 'redirect', supportCORS: false } }`
 */
export interface BidderStatus {
  bidder: string;
  no_cookie: true;
  usersync: UserSync;
}

/**
 * The plan for one `/cookie_sync` request: `status` and `bidder_status` are the response body (Prebid
 * Server's shape); `skipped` says why each other partner was left out, sorted by bidder.
 *
 * Example: `{ status: 'no_cookie', bidder_status: [{ bidder: 'ssp_a', ... }], skipped: [{ bidder: 'ssp_b', reason: 'no-consent', detail: '...' }] }`
 */
export interface SyncPlan {
  status: 'ok' | 'no_cookie';
  bidder_status: BidderStatus[];
  skipped: SkippedPartner[];
}

/**
 * What a sync plan is made from. `known` maps a partner code to when its ID for this visitor was last
 * learnt (epoch ms). `bidders` absent means every partner; an empty list means none (as in Prebid
 * Server). `limit` absent or below 1 means no limit. `uid` fills `${UID}`; `publicBase` and `siteKey`
 * make the `${REDIRECT}` back to our `/setuid`.
 *
 * Example:
 * ```ts
 * { partners, consent: { gdpr: 1, tcf: 'CQ...' }, known: { ssp_a: 1763600000000 }, now: Date.now(),
 *   limit: 5, hasCookie: true, uid: 'c-123', publicBase: 'https://dmp.example', siteKey: 'pk_site1' }
 * ```
 */
export interface SyncPlanInput {
  partners: readonly SyncPartner[];
  bidders?: readonly string[];
  consent: Consent;
  known: Readonly<Record<string, number>>;
  now: number;
  limit?: number;
  hasCookie: boolean;
  uid?: string;
  publicBase: string;
  siteKey: string;
  /**
   * the GVL vendor ID of whoever runs this server, when it has one: where GDPR applies, no partner is
   * synced unless it too has consent (we store the partner's ID in our cookie's profile), as Prebid
   * Server's host cookie check
   */
  hostVendorId?: number;
}

/**
 * Why the visitor's consent does not let this partner sync, or undefined when it does. Where GDPR
 * applies, a sync stores and reads an ID on the device (TCF purpose 1), so the valid TC string must
 * hold purpose 1 consent and the partner's vendor consent, and no publisher restriction may deny the
 * vendor purpose 1 (type 0; type 2, "legitimate interest only", denies too: purpose 1 is consent only).
 * Without GDPR, a US opt-out (see `usOptOut`) is checked by the caller.
 *
 * Example: `partnerConsentDenied(decodeConsent({ gdpr: 1, tcf: 'CQuci4...' }), 32)` ->
 * `'GDPR applies and vendor 32 has no consent'`
 */
export function partnerConsentDenied(state: ConsentState, vendorId: number | undefined): string | undefined {
  if (!state.gdprApplies) return undefined;
  const tcf = gdprTcf(state);
  if (!('ok' in tcf)) return tcf.reason;
  if (!hasId(tcf.purposeConsents, 1)) return `GDPR applies and ${purposeLabel(1)} has no consent`;
  if (vendorId === undefined) return 'GDPR applies and the partner has no GVL vendor ID to prove consent';
  if (!hasId(tcf.vendorConsents, vendorId)) return `GDPR applies and vendor ${vendorId} has no consent`;
  const restriction = tcf.publisherRestrictions.find((r) => r.purpose === 1 && hasId(r.vendors, vendorId));
  if (restriction?.type === 0) return `the publisher does not allow vendor ${vendorId} ${purposeLabel(1)}`;
  if (restriction?.type === 2) {
    return `the publisher requires legitimate interest of vendor ${vendorId} for purpose 1, which rests on consent only`;
  }
  return undefined;
}

/** When the partner's ID was learnt, if known (a number that is not finite counts as unknown). */
function learntAt(known: Readonly<Record<string, number>>, code: string): number | undefined {
  if (!Object.hasOwn(known, code)) return undefined;
  const at = known[code];
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
}

function days(ms: number): string {
  return (ms / DAY_MS).toFixed(1);
}

/** Stalest first (never learnt before any learnt), then by code (code unit order). */
function byStaleness(
  a: { at: number | undefined; code: string },
  b: { at: number | undefined; code: string },
) {
  const x = a.at ?? Number.NEGATIVE_INFINITY;
  const y = b.at ?? Number.NEGATIVE_INFINITY;
  if (x !== y) return x < y ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** The partners a request asks for (deduplicated, capped), and the names that are no partner. */
function requested(input: SyncPlanInput): { partners: SyncPartner[]; unknown: string[] } {
  const byCode = new Map<string, SyncPartner>();
  for (const partner of input.partners) if (!byCode.has(partner.code)) byCode.set(partner.code, partner);
  if (input.bidders === undefined) return { partners: [...byCode.values()], unknown: [] };
  const names = [...new Set(input.bidders)].slice(0, MAX_REQUESTED_BIDDERS);
  const partners: SyncPartner[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const partner = byCode.get(name);
    if (partner === undefined) unknown.push(name);
    else partners.push(partner);
  }
  return { partners, unknown };
}

/**
 * Plans a `/cookie_sync` answer (Prebid Server's semantics, deterministic). Each partner asked for is,
 * in this order of checks: unknown (`unknown-bidder`); `fresh` when the visitor's ID from it was learnt
 * less than `resyncDays` ago (or `idLifetimeDays`, if shorter); `opted-out` on a US opt-out (US
 * Privacy `1-Y-`, GPP US sections, GPC); `no-consent` where GDPR applies without purpose 1 and the
 * partner's vendor consent (`partnerConsentDenied`), or without the host's own (`hostVendorId`, when
 * set); else eligible. Eligible partners are synced
 * stalest first (never synced, then the oldest ID), ties by code; past `limit` they are `over-limit`.
 * Prebid Server shuffles instead: a fixed order is testable and syncs the partners most in need
 * first. `status` is `ok` when the visitor has our cookie, else `no_cookie`. Pure: `now` is given.
 *
 * Example:
 * ```ts
 * planSyncs({ partners: [sspA], consent: { gdpr: 0 }, known: {}, now, hasCookie: false,
 *   publicBase: 'https://dmp.example', siteKey: 'pk_site1' });
 * // { status: 'no_cookie', bidder_status: [{ bidder: 'ssp_a', no_cookie: true, usersync: { url: 'https://ssp-a.example/sync?...',
 * //   type: 'redirect', supportCORS: false } }], skipped: [] }
 * ```
 */
export function planSyncs(input: SyncPlanInput): SyncPlan {
  const state = decodeConsent(input.consent);
  const us = usOptOut(state);
  const { partners, unknown } = requested(input);
  const hostDenied =
    input.hostVendorId === undefined ? undefined : partnerConsentDenied(state, input.hostVendorId);
  const skipped: SkippedPartner[] = unknown.map((bidder) => ({
    bidder,
    reason: 'unknown-bidder',
    detail: 'no ID-sync partner of the tenant has this code',
  }));
  const eligible: { at: number | undefined; code: string; partner: SyncPartner }[] = [];
  for (const partner of partners) {
    const code = partner.code;
    const at = learntAt(input.known, code);
    const freshDays = Math.min(partner.resyncDays, partner.idLifetimeDays);
    if (at !== undefined && input.now - at < freshDays * DAY_MS) {
      skipped.push({
        bidder: code,
        reason: 'fresh',
        detail: `its ID was learnt ${days(input.now - at)} days ago; it is synced again after ${freshDays} days`,
      });
      continue;
    }
    if (us.optedOut) {
      skipped.push({ bidder: code, reason: 'opted-out', detail: us.reason });
      continue;
    }
    const denied =
      hostDenied === undefined
        ? partnerConsentDenied(state, partner.vendorId)
        : `this server may not store the ID (host vendor ${input.hostVendorId}): ${hostDenied}`;
    if (denied !== undefined) {
      skipped.push({ bidder: code, reason: 'no-consent', detail: denied });
      continue;
    }
    eligible.push({ at, code, partner });
  }
  eligible.sort(byStaleness);
  const limit =
    input.limit !== undefined && Number.isFinite(input.limit) && input.limit >= 1
      ? Math.floor(input.limit)
      : Number.POSITIVE_INFINITY;
  const bidderStatus: BidderStatus[] = [];
  for (const { code, partner } of eligible) {
    if (bidderStatus.length >= limit) {
      skipped.push({
        bidder: code,
        reason: 'over-limit',
        detail: `the request's limit of ${limit} syncs was reached`,
      });
      continue;
    }
    const redirect = redirectUrl(input.publicBase, input.siteKey, code, partner.uidMacro, {
      consent: input.consent,
      format: partner.type === 'iframe' ? 'b' : 'i',
    });
    const url = expandSyncUrl(partner.syncUrl, {
      ...(input.uid !== undefined && { uid: input.uid }),
      consent: input.consent,
      redirect,
    });
    bidderStatus.push({
      bidder: code,
      no_cookie: true,
      usersync: { url, type: partner.type, supportCORS: false },
    });
  }
  skipped.sort((a, b) => (a.bidder < b.bidder ? -1 : a.bidder > b.bidder ? 1 : 0));
  return { status: input.hasCookie ? 'ok' : 'no_cookie', bidder_status: bidderStatus, skipped };
}
