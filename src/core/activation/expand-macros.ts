import type { Consent } from '../event.ts';

/**
 * What the macros of a pixel URL are filled with.
 *
 * Example: `{ uid: 'c-123', consent: { gdpr: 1, tcf: 'CQ...' }, segment: '483', timestamp: 1763632800000 }`
 */
export interface MacroValues {
  uid?: string;
  consent?: Consent;
  /** the destination's ID of the segment the visitor entered */
  segment?: string;
  /** epoch milliseconds */
  timestamp?: number;
}

const MACRO = /\$\{([A-Z0-9_]+)\}/g;
const GDPR_CONSENT = /^GDPR_CONSENT_[0-9]+$/;

/** The text of a known macro (empty when the value is missing), or undefined for an unknown macro. */
function valueOf(name: string, values: MacroValues): string | undefined {
  const consent = values.consent ?? {};
  if (GDPR_CONSENT.test(name)) return consent.tcf ?? '';
  switch (name) {
    case 'UID':
      return values.uid ?? '';
    case 'GDPR':
      return consent.gdpr === undefined ? '' : String(consent.gdpr);
    case 'US_PRIVACY':
      return consent.usp ?? '';
    case 'GPP':
      return consent.gpp ?? '';
    case 'GPP_SID':
      return consent.gppSid?.join(',') ?? '';
    case 'SEGMENT':
      return values.segment ?? '';
    case 'TIMESTAMP':
      return values.timestamp === undefined ? '' : String(values.timestamp);
    default:
      return undefined;
  }
}

/**
 * Fills a pixel URL's macros, each value URL-encoded (`encodeURIComponent`): `${UID}`, `${GDPR}` (0 or
 * 1), `${GDPR_CONSENT_<vendor ID>}` (the TC string, as the IAB's macro), `${US_PRIVACY}`, `${GPP}`,
 * `${GPP_SID}` (comma-separated), `${SEGMENT}`, `${TIMESTAMP}` (epoch ms). A known macro without a value
 * becomes empty (the partner reads "not known"); an unknown macro is left as it is.
 *
 * Example:
 * ```ts
 * expandMacros('https://px.example/s?u=${UID}&gdpr=${GDPR}&c=${GDPR_CONSENT_755}&x=${OTHER}',
 *   { uid: 'c 1', consent: { gdpr: 1, tcf: 'CQ.a' } });
 * // 'https://px.example/s?u=c%201&gdpr=1&c=CQ.a&x=${OTHER}'
 * ```
 */
export function expandMacros(template: string, values: MacroValues): string {
  return template.replace(MACRO, (whole, name: string) => {
    const value = valueOf(name, values);
    return value === undefined ? whole : encodeURIComponent(value);
  });
}
