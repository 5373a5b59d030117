import type { ConsentDecision, ConsentState, UsSectionResult, UspResult } from './consent-types.ts';

/**
 * A US opt-out decision: `optedOut` true means the visitor opted out of sale and sharing (and
 * targeted advertising); `allowed` is its opposite, so it reads like the other decisions.
 *
 * Example: `{ optedOut: true, allowed: false, reason: 'US Privacy string 1YYN: opted out of sale' }`
 */
export interface UsOptOutDecision extends ConsentDecision {
  optedOut: boolean;
}

function optedOut(reason: string): UsOptOutDecision {
  return { optedOut: true, allowed: false, reason };
}

function uspOptOut(usp: UspResult, label: string): UsOptOutDecision | undefined {
  if (!usp.ok) return optedOut(`${label} is invalid and counts as an opt-out: ${usp.reason}`);
  if (usp.optOutSale === 'Y') {
    return optedOut(`${label} 1${usp.notice}${usp.optOutSale}${usp.lspa}: opted out of sale`);
  }
  return undefined;
}

/** MSPA values: 1 is "opted out", 2 "did not opt out", 0 "not applicable". */
function sectionOptOut(section: UsSectionResult): UsOptOutDecision | undefined {
  if (!section.ok) return optedOut(`an invalid GPP US section counts as an opt-out: ${section.reason}`);
  const name = `GPP ${section.section}`;
  if (section.saleOptOut === 1) return optedOut(`${name}: SaleOptOut is 1 (opted out of sale)`);
  if (section.sharingOptOut === 1) return optedOut(`${name}: SharingOptOut is 1 (opted out of sharing)`);
  if (section.targetedAdvertisingOptOut === 1) {
    return optedOut(`${name}: TargetedAdvertisingOptOut is 1 (opted out of targeted advertising)`);
  }
  if (section.gpc) return optedOut(`${name}: its Gpc field is set`);
  return undefined;
}

/**
 * Whether the visitor opted out of the sale and sharing of their data under US state laws: Global
 * Privacy Control, US Privacy `1-Y-`, or a GPP usnat or state section with SaleOptOut,
 * SharingOptOut or TargetedAdvertisingOptOut at 1 (or its Gpc field set). A US string that does not
 * decode counts as an opt-out: a DMP must deny what it cannot prove. The TCF string plays no part.
 *
 * Example:
 * ```ts
 * usOptOut(decodeConsent({ usp: '1YYN' })); // { optedOut: true, allowed: false, reason: '... opted out of sale' }
 * usOptOut(decodeConsent({ usp: '1YNN' })); // { optedOut: false, allowed: true, reason: 'no US opt-out ...' }
 * ```
 */
export function usOptOut(state: ConsentState): UsOptOutDecision {
  if (state.gpc) return optedOut('Global Privacy Control is set: opted out of sale and sharing');
  const usp = state.usp && uspOptOut(state.usp, 'US Privacy string');
  if (usp) return usp;
  const gpp = state.gpp;
  if (gpp && !gpp.ok) return optedOut(`an invalid GPP string counts as an opt-out: ${gpp.reason}`);
  if (gpp?.ok) {
    const fromUspv1 = gpp.uspv1 && uspOptOut(gpp.uspv1, 'GPP uspv1');
    if (fromUspv1) return fromUspv1;
    for (const section of [...(gpp.usnat ? [gpp.usnat] : []), ...gpp.usStates]) {
      const decision = sectionOptOut(section);
      if (decision) return decision;
    }
  }
  return { optedOut: false, allowed: true, reason: 'no US opt-out (no GPC, no US Privacy or GPP opt-out)' };
}
