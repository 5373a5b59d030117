import type { Consent } from '../event.ts';
import type { ConsentState, GppResult } from './consent-types.ts';
import { decodeGpp, GPP_SECTION } from './decode-gpp.ts';
import { decodeTcf } from './decode-tcf.ts';
import { decodeUsp } from './decode-usp.ts';

/** The failure reasons inside a decoded GPP string (its own, or its sections'). */
function gppErrors(gpp: GppResult): string[] {
  if (!gpp.ok) return [gpp.reason];
  const sections = [gpp.tcfeuv2, gpp.uspv1, gpp.usnat, ...gpp.usStates];
  return sections.flatMap((section) => (section && !section.ok ? [section.reason] : []));
}

/** An empty string is what a macro expands to when there is no consent string: it is no string. */
function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * Decodes every consent string of an event into one `ConsentState`. Never throws: a string that does
 * not decode counts as no consent, and its reason is kept in `errors` (prefixed by its field).
 *
 * - `tcf` is the `tcf` string, or else the GPP string's TCF EU section when that section applies.
 * - `gdprApplies` is the `gdpr` flag; without one, GDPR applies when a TC string was sent (a CMP sends
 *   one only where GDPR applies). An unknown region with no string is not GDPR's: the collector should
 *   set `gdpr` from the visitor's country where it knows it.
 *
 * Example:
 * ```ts
 * const state = decodeConsent({ gdpr: 1, tcf: 'BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA' });
 * // { gdprApplies: true, tcf: { ok: false, reason: 'TCF v1 strings are not supported; ...' },
 * //   gpc: false, errors: ['tcf: TCF v1 strings are not supported; ...'] }
 * ```
 */
export function decodeConsent(consent: Consent): ConsentState {
  const state: ConsentState = { gdprApplies: false, gpc: consent.gpc === true, errors: [] };
  if (present(consent.tcf)) {
    state.tcf = decodeTcf(consent.tcf);
    if (!state.tcf.ok) state.errors.push(`tcf: ${state.tcf.reason}`);
  }
  if (present(consent.usp)) {
    state.usp = decodeUsp(consent.usp);
    if (!state.usp.ok) state.errors.push(`usp: ${state.usp.reason}`);
  }
  if (present(consent.gpp)) {
    state.gpp = decodeGpp(consent.gpp, consent.gppSid);
    state.errors.push(...gppErrors(state.gpp).map((reason) => `gpp: ${reason}`));
    if (state.tcf === undefined && state.gpp.ok && state.gpp.tcfeuv2 !== undefined) {
      state.tcf = state.gpp.tcfeuv2;
    }
  }
  const gppAppliesTcf = consent.gppSid?.includes(GPP_SECTION.tcfeuv2) ?? false;
  state.gdprApplies =
    consent.gdpr === undefined ? state.tcf !== undefined || gppAppliesTcf : consent.gdpr === 1;
  return state;
}
