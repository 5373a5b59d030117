/** Short names of the TCF v2.2 purposes, for reasons a person reads (Policies, Appendix A). */
const PURPOSE_NAMES: Record<number, string> = {
  1: 'store and/or access information on a device',
  2: 'use limited data to select advertising',
  3: 'create profiles for personalised advertising',
  4: 'use profiles to select personalised advertising',
  5: 'create profiles to personalise content',
  6: 'use profiles to select personalised content',
  7: 'measure advertising performance',
  8: 'measure content performance',
  9: 'understand audiences',
  10: 'develop and improve services',
  11: 'use limited data to select content',
};

/** The first TCF policy version of TCF v2.2 (TC strings carry it in `PolicyVersion`). */
export const TCF_V22_POLICY_VERSION = 4;

/**
 * A purpose named for a reason. Example: `purposeLabel(3)` -> `'purpose 3 (create profiles for personalised advertising)'`
 */
export function purposeLabel(purpose: number): string {
  const name = PURPOSE_NAMES[purpose];
  return name === undefined ? `purpose ${purpose}` : `purpose ${purpose} (${name})`;
}

/**
 * Whether a purpose may rest on legitimate interest under a TCF policy version. Purpose 1 never may
 * (it is the ePrivacy storage purpose, consent only, in every TCF v2 policy). TCF v2.2 (policy version
 * 4 and later) also removed legitimate interest for purposes 3 to 6, the personalisation purposes
 * (Policies v2.2, Appendix A; the v2.2 switch of May 2023); under policy versions 2 and 3 (TCF v2.0,
 * v2.1) they could rest on it.
 *
 * Example: `purposeAllowsLegitimateInterest(3, 4)` -> false; `purposeAllowsLegitimateInterest(3, 2)` -> true
 */
export function purposeAllowsLegitimateInterest(purpose: number, policyVersion: number): boolean {
  if (purpose === 1) return false;
  if (policyVersion >= TCF_V22_POLICY_VERSION && purpose >= 3 && purpose <= 6) return false;
  return true;
}

/**
 * Whether a sorted ascending list of IDs holds `id` (binary search: vendor lists run to thousands).
 *
 * Example: `hasId([1, 4, 755], 755)` -> true
 */
export function hasId(sortedIds: readonly number[], id: number): boolean {
  let low = 0;
  let high = sortedIds.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = sortedIds[mid] ?? 0;
    if (value === id) return true;
    if (value < id) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}
