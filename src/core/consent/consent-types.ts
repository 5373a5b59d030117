/**
 * The decoded forms of the consent strings a visitor brings (TCF v2.2, US Privacy, GPP) and the one
 * `ConsentState` the policy decides on. Every form is plain data (numbers, strings, sorted arrays), so a
 * state can be stored with a profile as JSON and decided on again at activation.
 *
 * Example: `decodeConsent({ gdpr: 1, tcf: 'CQ...' })` gives
 * `{ gdprApplies: true, tcf: { ok: true, purposeConsents: [1, 2, 3, 4], ... }, gpc: false, errors: [] }`.
 */

/** A string that could not be decoded: it counts as no consent, and `reason` says why. */
export interface ConsentFailure {
  ok: false;
  reason: string;
}

/**
 * A publisher restriction of the TC string: for `purpose`, the listed vendors are not allowed (type 0),
 * must use consent (1) or must use legitimate interest (2).
 *
 * Example: `{ purpose: 2, type: 1, vendors: [755] }`: vendor 755 needs consent for purpose 2.
 */
export interface PublisherRestriction {
  purpose: number;
  type: 0 | 1 | 2;
  /** sorted ascending */
  vendors: number[];
}

/**
 * A decoded TCF v2 TC string. ID lists are sorted ascending (look them up with `hasId`).
 *
 * Example: `{ ok: true, version: 2, cmpId: 10, policyVersion: 4, purposeConsents: [1, 3, 4],
 *   vendorConsents: [755], specialFeatureOptins: [1], ... }`
 */
export interface TcfConsent {
  ok: true;
  version: number;
  cmpId: number;
  cmpVersion: number;
  vendorListVersion: number;
  /** TCF policy version: 2 for TCF v2.0/v2.1, 4 (or later) for TCF v2.2 */
  policyVersion: number;
  /** epoch milliseconds */
  created: number;
  /** epoch milliseconds */
  lastUpdated: number;
  purposeConsents: number[];
  purposeLegitimateInterests: number[];
  vendorConsents: number[];
  vendorLegitimateInterests: number[];
  specialFeatureOptins: number[];
  publisherRestrictions: PublisherRestriction[];
  isServiceSpecific: boolean;
  /** true when purpose 1 was not disclosed (publisher country rules); purpose 1 then has no consent */
  purposeOneTreatment: boolean;
  publisherCountryCode: string;
}

/** Example: `decodeTcf('BOEF...')` -> `{ ok: false, reason: 'TCF v1 strings are not supported; ...' }` */
export type TcfResult = TcfConsent | ConsentFailure;

/** `Y` yes, `N` no, `-` not applicable (US Privacy string positions 2 to 4). */
export type UspFlag = 'Y' | 'N' | '-';

/**
 * A decoded US Privacy (CCPA) string.
 *
 * Example: `decodeUsp('1YYN')` -> `{ ok: true, version: 1, notice: 'Y', optOutSale: 'Y', lspa: 'N' }`
 */
export interface UspConsent {
  ok: true;
  version: 1;
  notice: UspFlag;
  optOutSale: UspFlag;
  lspa: UspFlag;
}

/** Example: `decodeUsp('1YN')` -> `{ ok: false, reason: 'US Privacy string must be 4 characters ...' }` */
export type UspResult = UspConsent | ConsentFailure;

/**
 * The opt-outs of a GPP US section (usnat, or a state section such as usca). Values follow the MSPA
 * encoding: 0 not applicable, 1 opted out (or notice given, for the notices), 2 did not opt out
 * (notice not given). A field the section does not have is 0.
 *
 * Example: `{ ok: true, sectionId: 7, section: 'usnat', saleOptOut: 1, sharingOptOut: 0,
 *   targetedAdvertisingOptOut: 0, saleOptOutNotice: 1, sharingOptOutNotice: 0,
 *   targetedAdvertisingOptOutNotice: 0, sharingNotice: 0, gpc: false }`
 */
export interface UsSection {
  ok: true;
  sectionId: number;
  section: string;
  saleOptOut: number;
  sharingOptOut: number;
  targetedAdvertisingOptOut: number;
  saleOptOutNotice: number;
  sharingOptOutNotice: number;
  targetedAdvertisingOptOutNotice: number;
  sharingNotice: number;
  gpc: boolean;
}

/** Example: `{ ok: false, reason: "GPP section usnat (7): Unable to decode UsNatCoreSegment 'xyz'" }` */
export type UsSectionResult = UsSection | ConsentFailure;

/**
 * A decoded GPP string. Only the sections that apply (`gppSid`) are decoded; each decoded section
 * may itself have failed.
 *
 * Example: `decodeGpp('DBABTA~1YNN')` -> `{ ok: true, sectionIds: [6], gppSid: [6],
 *   uspv1: { ok: true, notice: 'Y', optOutSale: 'N', lspa: 'N', version: 1 }, usStates: [] }`
 */
export interface GppConsent {
  ok: true;
  /** the section IDs the string holds, in its order */
  sectionIds: number[];
  /** the section IDs that apply: the `gppSid` sent with the string, else every section it holds */
  gppSid: number[];
  /** section 2 */
  tcfeuv2?: TcfResult;
  /** section 6 */
  uspv1?: UspResult;
  /** section 7 */
  usnat?: UsSectionResult;
  /** sections 8 to 27 (usca, usva, ...) */
  usStates: UsSectionResult[];
}

/** Example: `decodeGpp('garbage')` -> `{ ok: false, reason: 'not a GPP string: ...' }` */
export type GppResult = GppConsent | ConsentFailure;

/**
 * Everything known about a visitor's consent, decided on by the policy functions.
 *
 * Example: `{ gdprApplies: true, tcf: { ok: false, reason: 'TCF string is not valid: ...' },
 *   gpc: false, errors: ['tcf: TCF string is not valid: ...'] }`
 */
export interface ConsentState {
  /** `gdpr=1`, or (no `gdpr` flag) the GPP string applies its TCF EU section */
  gdprApplies: boolean;
  /** the `tcf` string, or else the GPP string's TCF EU section (2) when it applies */
  tcf?: TcfResult;
  usp?: UspResult;
  gpp?: GppResult;
  gpc: boolean;
  /** the reasons of every string that could not be decoded, prefixed by its field */
  errors: string[];
}

/**
 * A policy decision, with its reason whichever way it went (the activation funnel reports it).
 *
 * Example: `{ allowed: false, reason: 'GDPR applies and purpose 1 (store and access) has no consent' }`
 */
export interface ConsentDecision {
  allowed: boolean;
  reason: string;
}
