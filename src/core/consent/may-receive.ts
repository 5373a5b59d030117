import { gdprTcf } from './consent-policy.ts';
import type { ConsentDecision, ConsentState, TcfConsent } from './consent-types.ts';
import type { Gvl, GvlVendor } from './parse-gvl.ts';
import { hasId, purposeAllowsLegitimateInterest, purposeLabel } from './tcf-purposes.ts';
import { usOptOut } from './us-opt-out.ts';

/**
 * What a destination needs to receive a visitor's data: its GVL vendor ID (required where GDPR
 * applies) and the TCF purposes it processes the data for.
 *
 * Example: `{ vendorId: 755, purposes: [1, 3, 4] }`
 */
export interface ConsentDestination {
  vendorId?: number;
  purposes: number[];
}

type LegalBasis = 'consent' | 'legitimate interest';
/** The vendor's legal basis for a purpose, or why it may not process the purpose at all. */
type BasisOrDenial = { basis: LegalBasis } | { denied: string };

/** The publisher's restriction type for this vendor and purpose, if any (0 none allowed, 1 consent, 2 LI). */
function restrictionOf(tcf: TcfConsent, vendorId: number, purpose: number): 0 | 1 | 2 | undefined {
  const found = tcf.publisherRestrictions.find((r) => r.purpose === purpose && hasId(r.vendors, vendorId));
  return found?.type;
}

/**
 * The legal basis the vendor uses for a purpose: as declared in the GVL, switched by a publisher
 * restriction where the vendor declared the purpose flexible (TCF v2.2 spec, "Publisher
 * Restrictions"); a string when the vendor may not process the purpose at all.
 */
function basisOf(tcf: TcfConsent, vendor: GvlVendor, purpose: number): BasisOrDenial {
  const who = `vendor ${vendor.id} (${vendor.name})`;
  const restriction = restrictionOf(tcf, vendor.id, purpose);
  if (restriction === 0) return { denied: `the publisher does not allow ${who} ${purposeLabel(purpose)}` };
  const declared: LegalBasis | undefined = hasId(vendor.purposes, purpose)
    ? 'consent'
    : hasId(vendor.legIntPurposes, purpose)
      ? 'legitimate interest'
      : undefined;
  if (declared === undefined)
    return { denied: `${who} does not declare ${purposeLabel(purpose)} in the GVL` };
  const required: LegalBasis | undefined =
    restriction === 1 ? 'consent' : restriction === 2 ? 'legitimate interest' : undefined;
  let basis: LegalBasis = declared;
  if (required !== undefined && required !== declared) {
    if (!hasId(vendor.flexiblePurposes, purpose)) {
      return {
        denied: `the publisher requires ${required} for ${purposeLabel(purpose)} and ${who} does not declare it flexible`,
      };
    }
    basis = required;
  }
  // a legitimate-interest declaration the string's policy forbids (e.g. purposes 3-6 under TCF v2.2) needs consent
  if (basis === 'legitimate interest' && !purposeAllowsLegitimateInterest(purpose, tcf.policyVersion)) {
    return { basis: 'consent' };
  }
  return { basis };
}

/** Why the vendor lacks the purpose, or undefined when it has it on its legal basis. */
function purposeDenied(tcf: TcfConsent, vendor: GvlVendor, purpose: number): string | undefined {
  const found = basisOf(tcf, vendor, purpose);
  if ('denied' in found) return found.denied;
  const who = `vendor ${vendor.id} (${vendor.name})`;
  if (found.basis === 'consent') {
    if (!hasId(tcf.purposeConsents, purpose)) return `${purposeLabel(purpose)} has no consent`;
    if (!hasId(tcf.vendorConsents, vendor.id)) return `${who} has no consent`;
    return undefined;
  }
  if (!hasId(tcf.purposeLegitimateInterests, purpose)) {
    return `${purposeLabel(purpose)} has no legitimate interest signal (not established, or objected to)`;
  }
  if (!hasId(tcf.vendorLegitimateInterests, vendor.id)) {
    return `${who} has no legitimate interest signal (not established, or objected to)`;
  }
  return undefined;
}

/**
 * May this destination receive the visitor's data? Never with a US opt-out. Where GDPR applies: the
 * destination must name its GVL vendor (a DMP must deny what it cannot prove), the vendor must be in
 * the GVL and not deleted, must declare every purpose the destination needs, and must hold the
 * visitor's signal for each on its legal basis: purpose and vendor consent, or, where the vendor
 * declares legitimate interest and the policy version allows it for the purpose, no objection to
 * either. Publisher restrictions apply (not allowed; require consent; require legitimate interest).
 *
 * Example:
 * ```ts
 * mayReceive(state, { vendorId: 755, purposes: [1, 3, 4] }, gvl);
 * // { allowed: true, reason: 'vendor 755 (Google Advertising Products) may receive purposes 1, 3, 4 ...' }
 * ```
 */
export function mayReceive(state: ConsentState, destination: ConsentDestination, gvl: Gvl): ConsentDecision {
  const us = usOptOut(state);
  if (us.optedOut) return { allowed: false, reason: us.reason };
  if (!state.gdprApplies) return { allowed: true, reason: `GDPR does not apply and ${us.reason}` };
  const tcf = gdprTcf(state);
  if (!('ok' in tcf)) return tcf;
  const { vendorId, purposes } = destination;
  if (vendorId === undefined) {
    return {
      allowed: false,
      reason: 'GDPR applies and the destination has no GVL vendor ID to prove consent',
    };
  }
  const vendor = gvl.vendors.get(vendorId);
  if (vendor === undefined) {
    return {
      allowed: false,
      reason: `vendor ${vendorId} is not in the Global Vendor List (version ${gvl.vendorListVersion})`,
    };
  }
  if (vendor.deletedDate !== undefined) {
    return { allowed: false, reason: `vendor ${vendorId} was deleted from the GVL on ${vendor.deletedDate}` };
  }
  if (purposes.length === 0) {
    return { allowed: false, reason: 'GDPR applies and the destination declares no TCF purposes' };
  }
  for (const purpose of purposes) {
    const denied = purposeDenied(tcf, vendor, purpose);
    if (denied !== undefined) return { allowed: false, reason: `GDPR applies and ${denied}` };
  }
  return {
    allowed: true,
    reason: `vendor ${vendor.id} (${vendor.name}) may receive purposes ${purposes.join(', ')} and ${us.reason}`,
  };
}
