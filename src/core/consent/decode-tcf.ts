import { TCString } from '@iabtcf/core';
import type { TCModel } from '@iabtcf/core';
import type { PublisherRestriction, TcfResult } from './consent-types.ts';

/** TC strings with every vendor as a bit field stay far below this; longer input is not decoded. */
const MAX_TC_STRING_LENGTH = 32_768;
const TC_STRING_CHARS = /^[A-Za-z0-9_\-.]+$/;

export const TCF_V1_REASON = 'TCF v1 strings are not supported; the CMP must send TCF v2.2';

/** The IDs set in one of @iabtcf/core's vectors, sorted ascending. */
function idsOf(vector: { values(): IterableIterator<number> }): number[] {
  return [...vector.values()].sort((a, b) => a - b);
}

function restrictionsOf(model: TCModel): PublisherRestriction[] {
  const vector = model.publisherRestrictions;
  return vector
    .getRestrictions()
    .map((restriction) => ({
      purpose: restriction.purposeId,
      type: restriction.restrictionType,
      vendors: [...vector.getVendors(restriction)].sort((a, b) => a - b),
    }))
    .sort((a, b) => a.purpose - b.purpose || a.type - b.type);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decodes a TCF v2 TC string (core segment first, then any of the optional segments). Never throws:
 * a v1 string, a string of another version or one that does not decode gives `{ ok: false, reason }`.
 * The version is read from the first character (its 6 bits): `B` is v1, `C` is v2.
 *
 * Example:
 * ```ts
 * const tcf = decodeTcf('CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA');
 * if (tcf.ok) tcf.purposeConsents; // [1, 2, 3, 4]
 * ```
 */
export function decodeTcf(tcString: string): TcfResult {
  if (tcString.length === 0) return { ok: false, reason: 'TCF string is empty' };
  if (tcString.length > MAX_TC_STRING_LENGTH) {
    return { ok: false, reason: `TCF string is longer than ${MAX_TC_STRING_LENGTH} characters` };
  }
  if (!TC_STRING_CHARS.test(tcString)) {
    return { ok: false, reason: 'TCF string has characters outside base64url and "."' };
  }
  const first = tcString.charAt(0);
  if (first === 'B') return { ok: false, reason: TCF_V1_REASON };
  if (first !== 'C') {
    return { ok: false, reason: `TCF string is not a TCF v2 string (it starts with "${first}", not "C")` };
  }
  let model: TCModel;
  try {
    model = TCString.decode(tcString);
  } catch (error) {
    return { ok: false, reason: `TCF string is not valid: ${errorMessage(error)}` };
  }
  const created = model.created?.getTime() ?? Number.NaN;
  const lastUpdated = model.lastUpdated?.getTime() ?? Number.NaN;
  if (Number.isNaN(created) || Number.isNaN(lastUpdated)) {
    return { ok: false, reason: 'TCF string is not valid: it has no creation or update time' };
  }
  return {
    ok: true,
    version: Number(model.version),
    cmpId: Number(model.cmpId),
    cmpVersion: Number(model.cmpVersion),
    vendorListVersion: Number(model.vendorListVersion),
    policyVersion: Number(model.policyVersion),
    created,
    lastUpdated,
    purposeConsents: idsOf(model.purposeConsents),
    purposeLegitimateInterests: idsOf(model.purposeLegitimateInterests),
    vendorConsents: idsOf(model.vendorConsents),
    vendorLegitimateInterests: idsOf(model.vendorLegitimateInterests),
    specialFeatureOptins: idsOf(model.specialFeatureOptins),
    publisherRestrictions: restrictionsOf(model),
    isServiceSpecific: model.isServiceSpecific,
    purposeOneTreatment: model.purposeOneTreatment,
    publisherCountryCode: model.publisherCountryCode,
  };
}
