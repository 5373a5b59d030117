/**
 * Identity, the pure core (issue 15): ID types and their checks, `eids` sources, ID-sync partners,
 * sync URLs, the `/cookie_sync` plan, and the rules of cross-device merges. No I/O, no clock: time is
 * passed in. See README.md for what each part decides.
 *
 * Example:
 * ```ts
 * const body = readCookieSyncRequest(request.body, request.headers['sec-gpc'] === '1');
 * if (!body.ok) return reply.code(400).send({ error: body.error });
 * const plan = planSyncs({ partners, ...body.request, known, now: clock.now(), hasCookie,
 *   uid, publicBase, siteKey });
 * metrics.skipped(plan.skipped);
 * return { status: plan.status, bidder_status: plan.bidder_status };
 * ```
 */
export type { BuiltInIdType, IdCheck, IdTypeCheck } from './id-types.ts';
export {
  BUILT_IN_ID_TYPES,
  checkId,
  checkIdType,
  checkLifetimeDays,
  checkPartnerCode,
  CLEAR_PII_TYPES,
  DEFAULT_LIFETIME_DAYS,
  EMAIL_HASH_HOW,
  hasIdRules,
  idLifetimeDays,
  MAX_ID_LENGTH,
  MAX_ID_TYPE_LENGTH,
  MAX_LIFETIME_DAYS,
  PARTNER_ID_LIFETIME_DAYS,
  PHONE_HASH_HOW,
} from './id-types.ts';
export type { EidsIds, EidsMapping, EidsMappingResult, SourcedId } from './eids-sources.ts';
export {
  DEFAULT_EIDS_MAPPING,
  DEFAULT_EIDS_SOURCES,
  idsFromEids,
  idsFromUser,
  MAX_EIDS,
  MAX_EIDS_OVERRIDES,
  MAX_UIDS_PER_EID,
  mergeEidsSources,
} from './eids-sources.ts';
export type { RedirectOptions, SyncUrlTemplateCheck, SyncUrlValues } from './sync-url.ts';
export {
  checkSyncUrlTemplate,
  checkUidMacro,
  expandSyncUrl,
  MAX_SYNC_URL_TEMPLATE_LENGTH,
  MAX_UID_MACRO_LENGTH,
  redirectUrl,
  SYNC_URL_MACROS,
} from './sync-url.ts';
export type { SyncPartner, SyncPartnerCheck } from './sync-partner.ts';
export { checkSyncPartner, DEFAULT_RESYNC_DAYS, DEFAULT_UID_MACRO, MAX_RESYNC_DAYS } from './sync-partner.ts';
export type {
  BidderStatus,
  SkippedPartner,
  SkipReason,
  SyncPlan,
  SyncPlanInput,
  UserSync,
} from './sync-plan.ts';
export { MAX_REQUESTED_BIDDERS, partnerConsentDenied, planSyncs } from './sync-plan.ts';
export type { CookieSyncRequest, CookieSyncRequestResult } from './cookie-sync-request.ts';
export { MAX_CONSENT_LENGTH, readCookieSyncRequest } from './cookie-sync-request.ts';
export type { CappedIds, IdCaps, LinkDecision, LinkedId, MergeOutcome, ProfileIds } from './merge-rules.ts';
export {
  applyIdCaps,
  capFor,
  DEFAULT_ID_CAPS,
  DEFAULT_IDS_PER_PROFILE,
  mayLink,
  mergeProfiles,
} from './merge-rules.ts';
export type { IdentityLimitsRecord } from './identity-limits-record.ts';
export type { IdHolders, IdLifetimes, IdLive } from './id-lifetimes.ts';
export { DEFAULT_ID_LIFETIMES, findLive, isIdLive, liveIdsOf } from './id-lifetimes.ts';
export type { IdLinksRecord, LinksOutcome } from './id-links-record.ts';
export { LINK_ROWS_PER_RECORD } from './id-links-record.ts';
export type { LinkFile, LinkFileFormat, LinkFileResult, LinkRow, LinkRowError } from './id-link-file.ts';
export { MAX_LINK_COLUMNS, MAX_LISTED_LINK_ERRORS, MIN_LINK_COLUMNS, readLinkFile } from './id-link-file.ts';
