/**
 * ID types whose IDs are device advertising IDs (IDFA, GAID/AAID, IDFV, OpenRTB `device.ifa`): the same
 * device's ID arrives in upper case from one SSP and in lower case from another, so they are kept in one
 * form. `maid` is the documented type; the others are the names partners use for the same thing.
 */
export const DEVICE_ID_TYPES: ReadonlySet<string> = new Set(['maid', 'ifa', 'idfa', 'gaid', 'aaid', 'idfv']);

const HEX_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64 };
const UUID_HEX = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;
const UUID_BRACED = /^\{([0-9a-f-]{32,36})\}$/;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * The one form an ID is kept and looked up in, whatever form it arrived in. Pure and cheap.
 *
 * - Device IDs (`maid` and the types of `DEVICE_ID_TYPES`): trimmed and lower-cased; a UUID with or
 *   without hyphens (or in braces) is written in its canonical 8-4-4-4-12 form.
 * - Hashes (`*_md5`, `*_sha1`, `*_sha256`, e.g. `email_sha256`): lower-cased when the value is hex of
 *   the hash's length (anything else is left for the caller's checks to refuse or keep).
 * - Every other type (`uid`, `crm`, partner IDs) is case-sensitive and returned unchanged.
 *
 * Example:
 * ```ts
 * normaliseId('maid', '6D92078A-8246-4BA4-AE5B-76104861E7DC'); // '6d92078a-8246-4ba4-ae5b-76104861e7dc'
 * normaliseId('maid', '6d92078a82464ba4ae5b76104861e7dc');     // '6d92078a-8246-4ba4-ae5b-76104861e7dc'
 * normaliseId('email_sha256', 'A665A459...');                  // 'a665a459...' (64 hex digits)
 * normaliseId('uid', 'Ab-12');                                 // 'Ab-12' (case matters)
 * ```
 */
export function normaliseId(type: string, id: string): string {
  if (type === 'uid') return id;
  if (DEVICE_ID_TYPES.has(type)) return deviceId(id);
  const underscore = type.lastIndexOf('_');
  if (underscore < 0) return id;
  const length = HEX_LENGTH[type.slice(underscore + 1)];
  return length !== undefined && id.length === length && HEX.test(id) ? id.toLowerCase() : id;
}

function deviceId(id: string): string {
  let lower = id.trim().toLowerCase();
  const braced = UUID_BRACED.exec(lower);
  if (braced !== null) lower = braced[1]!;
  if (!UUID_HEX.test(lower)) return lower;
  const hex = lower.length === 32 ? lower : lower.replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
