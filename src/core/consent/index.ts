/**
 * Consent: decode TCF v2.2, US Privacy and GPP strings into one `ConsentState`, and decide on it with
 * pure policy functions that each return `{ allowed, reason }`. See README.md for the decisions.
 *
 * Example:
 * ```ts
 * const loaded = await loadGvl('vendor-list.json');
 * const state = decodeConsent(event.consent ?? {});
 * if (!mayStore(state).allowed) dropTheProfile();
 * const city = geoPrecision(state).precision === 'city';
 * if (loaded.ok) mayReceive(state, { vendorId: 755, purposes: [1, 3, 4] }, loaded.gvl);
 * ```
 */
export type {
  ConsentDecision,
  ConsentFailure,
  ConsentState,
  GppConsent,
  GppResult,
  PublisherRestriction,
  TcfConsent,
  TcfResult,
  UsSection,
  UsSectionResult,
  UspConsent,
  UspFlag,
  UspResult,
} from './consent-types.ts';
export { decodeConsent } from './decode-consent.ts';
export { decodeGpp, GPP_SECTION } from './decode-gpp.ts';
export { decodeTcf, TCF_V1_REASON } from './decode-tcf.ts';
export { decodeUsp } from './decode-usp.ts';
export type { Gvl, GvlPurpose, GvlResult, GvlVendor } from './parse-gvl.ts';
export { parseGvl } from './parse-gvl.ts';
export { loadGvl } from './load-gvl.ts';
export type { GeoDecision } from './consent-policy.ts';
export { gdprTcf, geoPrecision, mayPersonaliseAds, mayStore } from './consent-policy.ts';
export type { ConsentDestination } from './may-receive.ts';
export { mayReceive } from './may-receive.ts';
export type { UsOptOutDecision } from './us-opt-out.ts';
export { usOptOut } from './us-opt-out.ts';
export {
  hasId,
  purposeAllowsLegitimateInterest,
  purposeLabel,
  TCF_V22_POLICY_VERSION,
} from './tcf-purposes.ts';
