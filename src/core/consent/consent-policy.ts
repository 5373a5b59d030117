import type { ConsentDecision, ConsentState, TcfConsent } from './consent-types.ts';
import { hasId, purposeAllowsLegitimateInterest, purposeLabel } from './tcf-purposes.ts';
import { usOptOut } from './us-opt-out.ts';

/**
 * The visitor's valid TC string where GDPR applies, or the denial when there is none: under GDPR a
 * missing or invalid string is no consent.
 *
 * Example: `gdprTcf({ gdprApplies: true, gpc: false, errors: [] })` ->
 * `{ allowed: false, reason: 'GDPR applies and there is no TCF string' }`
 */
export function gdprTcf(state: ConsentState): TcfConsent | ConsentDecision {
  if (state.tcf === undefined) return { allowed: false, reason: 'GDPR applies and there is no TCF string' };
  if (!state.tcf.ok) {
    return { allowed: false, reason: `GDPR applies and the TCF string is invalid: ${state.tcf.reason}` };
  }
  return state.tcf;
}

function isTcf(value: TcfConsent | ConsentDecision): value is TcfConsent {
  return 'ok' in value;
}

/**
 * May we store an ID and keep a profile? Where GDPR applies, only with consent to purpose 1 (store
 * and/or access information on a device, ePrivacy art. 5(3); never legitimate interest in TCF v2).
 * Where it does not, yes: US opt-outs restrict sale and sharing, not storing.
 *
 * Example: `mayStore(decodeConsent({ gdpr: 1 }))` ->
 * `{ allowed: false, reason: 'GDPR applies and there is no TCF string' }`
 */
export function mayStore(state: ConsentState): ConsentDecision {
  if (!state.gdprApplies) {
    return { allowed: true, reason: 'GDPR does not apply (US opt-outs do not forbid storing)' };
  }
  const tcf = gdprTcf(state);
  if (!isTcf(tcf)) return tcf;
  return hasId(tcf.purposeConsents, 1)
    ? { allowed: true, reason: `${purposeLabel(1)} has consent` }
    : { allowed: false, reason: `GDPR applies and ${purposeLabel(1)} has no consent` };
}

/**
 * Whether a purpose is granted at the top level of the TC string: by consent, or by legitimate
 * interest (the visitor did not object) where the string's policy version allows it for the purpose.
 * Under TCF v2.2 (policy version 4+) purposes 3 to 6 can NOT rest on legitimate interest.
 */
function purposeGranted(tcf: TcfConsent, purpose: number): string | undefined {
  if (hasId(tcf.purposeConsents, purpose)) return undefined;
  if (!purposeAllowsLegitimateInterest(purpose, tcf.policyVersion)) {
    return `${purposeLabel(purpose)} has no consent (TCF policy version ${tcf.policyVersion} allows no legitimate interest for it)`;
  }
  if (hasId(tcf.purposeLegitimateInterests, purpose)) return undefined;
  return `${purposeLabel(purpose)} has neither consent nor legitimate interest`;
}

/**
 * May the visitor's profile be used for personalised ads? No US opt-out, and, where GDPR applies,
 * purposes 3 and 4 (create and use profiles for personalised advertising) granted: by consent, or
 * under TCF policy versions before 4 (TCF v2.0/2.1) by legitimate interest; TCF v2.2 requires
 * consent for them.
 *
 * Example: `mayPersonaliseAds(decodeConsent({ usp: '1YYN' }))` ->
 * `{ allowed: false, reason: 'US Privacy string 1YYN: opted out of sale' }`
 */
export function mayPersonaliseAds(state: ConsentState): ConsentDecision {
  const us = usOptOut(state);
  if (us.optedOut) return { allowed: false, reason: us.reason };
  if (!state.gdprApplies) return { allowed: true, reason: `GDPR does not apply and ${us.reason}` };
  const tcf = gdprTcf(state);
  if (!isTcf(tcf)) return tcf;
  for (const purpose of [3, 4]) {
    const missing = purposeGranted(tcf, purpose);
    if (missing !== undefined) return { allowed: false, reason: `GDPR applies and ${missing}` };
  }
  return {
    allowed: true,
    reason: `purposes 3 and 4 (personalised advertising) are granted and ${us.reason}`,
  };
}

/**
 * The geolocation precision decision: `'city'` when precise geolocation may be kept, else `'country'`.
 * `allowed` says whether the city may be kept.
 *
 * Example: `{ precision: 'country', allowed: false, reason: 'GDPR applies and special feature 1 ...' }`
 */
export interface GeoDecision extends ConsentDecision {
  precision: 'city' | 'country';
}

/**
 * How precise a location may be kept: the city where GDPR does not apply or where the visitor opted
 * in to special feature 1 (use precise geolocation data; special features are opt-in only, never
 * legitimate interest); otherwise the country only.
 *
 * Example: `geoPrecision(decodeConsent({ gdpr: 0 }))` ->
 * `{ precision: 'city', allowed: true, reason: 'GDPR does not apply' }`
 */
export function geoPrecision(state: ConsentState): GeoDecision {
  if (!state.gdprApplies) return { precision: 'city', allowed: true, reason: 'GDPR does not apply' };
  const tcf = gdprTcf(state);
  if (!isTcf(tcf)) return { precision: 'country', allowed: false, reason: tcf.reason };
  return hasId(tcf.specialFeatureOptins, 1)
    ? { precision: 'city', allowed: true, reason: 'special feature 1 (precise geolocation) is opted in' }
    : {
        precision: 'country',
        allowed: false,
        reason: 'GDPR applies and special feature 1 (precise geolocation) is not opted in',
      };
}
