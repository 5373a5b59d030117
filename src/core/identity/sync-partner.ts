import { hasControlCharacter } from './control-characters.ts';
import { isObject } from '../activation/field-errors.ts';
import { checkLifetimeDays, checkPartnerCode, PARTNER_ID_LIFETIME_DAYS } from './id-types.ts';
import { checkSyncUrlTemplate, checkUidMacro } from './sync-url.ts';

/**
 * An ID-sync partner: its code (also the ID type its IDs are kept as), how to sync with it, the GVL
 * vendor whose consent it needs where GDPR applies, how often to sync again and how long its IDs live.
 *
 * Example:
 * ```ts
 * { code: 'ssp_a', name: 'SSP A', type: 'redirect', vendorId: 755, resyncDays: 14, idLifetimeDays: 90,
 *   uidMacro: '$UID', syncUrl: 'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&redir=${REDIRECT}' }
 * ```
 */
export interface SyncPartner {
  code: string;
  name: string;
  syncUrl: string;
  /** `redirect`: the page loads the URL as an image; `iframe`: as an iframe */
  type: 'redirect' | 'iframe';
  /** the partner's IAB GVL vendor ID; without one it is never synced where GDPR applies */
  vendorId?: number;
  /** sync again when the partner's ID is at least this many days old */
  resyncDays: number;
  /** the partner's IDs are kept this many days after they were learnt */
  idLifetimeDays: number;
  /** the text the partner replaces with its user ID in our redirect (`$UID`, `[UID]`, ...) */
  uidMacro: string;
}

/** `resyncDays` when not given. */
export const DEFAULT_RESYNC_DAYS = 14;
/** The longest `resyncDays`. */
export const MAX_RESYNC_DAYS = 365;
/** `uidMacro` when not given. */
export const DEFAULT_UID_MACRO = '$UID';
const MAX_NAME_LENGTH = 128;
const MAX_VENDOR_ID = 65_535;
const FIELDS = ['code', 'name', 'syncUrl', 'type', 'vendorId', 'resyncDays', 'idLifetimeDays', 'uidMacro'];

/** A partner that passed `checkSyncPartner`, or every error found (each naming its field). */
export type SyncPartnerCheck = { ok: true; partner: SyncPartner } | { ok: false; errors: string[] };

/**
 * Checks a partner as the create/update route receives it (untrusted JSON), giving every error at
 * once, each prefixed by its field. `vendorId` is optional (`null` too), `resyncDays` defaults to 14,
 * `idLifetimeDays` to 90 and must not be shorter than `resyncDays`, `uidMacro` defaults to `$UID`;
 * `syncUrl` is checked by `checkSyncUrlTemplate` (with the partner's `vendorId`). Unknown fields are
 * refused. Never throws.
 *
 * Example:
 * ```ts
 * checkSyncPartner({ code: 'ssp_a', name: 'SSP A', type: 'redirect', syncUrl: 'https://ssp-a.example/s?r=${REDIRECT}' });
 * // { ok: true, partner: { ..., resyncDays: 14, idLifetimeDays: 90, uidMacro: '$UID' } }
 * ```
 */
export function checkSyncPartner(value: unknown): SyncPartnerCheck {
  if (!isObject(value)) return { ok: false, errors: ['a partner must be a JSON object'] };
  const errors: string[] = [];
  const unknown = Object.keys(value).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) {
    errors.push(`unknown field(s) ${unknown.slice(0, 5).join(', ')}; the fields are ${FIELDS.join(', ')}`);
  }
  const code = checkPartnerCode(value.code);
  if (!code.ok) errors.push(`code: ${code.error}`);

  const name = value.name;
  if (
    typeof name !== 'string' ||
    name.trim() === '' ||
    name.length > MAX_NAME_LENGTH ||
    hasControlCharacter(name)
  ) {
    errors.push(`name: must be a string of 1 to ${MAX_NAME_LENGTH} characters without control characters`);
  }

  const type = value.type;
  if (type !== 'redirect' && type !== 'iframe') errors.push('type: must be "redirect" or "iframe"');

  let vendorId: number | undefined;
  if (value.vendorId !== undefined && value.vendorId !== null) {
    const id = value.vendorId;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_VENDOR_ID) {
      errors.push(
        `vendorId: must be the partner's IAB GVL vendor ID, a whole number from 1 to ${MAX_VENDOR_ID}`,
      );
    } else {
      vendorId = id;
    }
  }

  const syncUrl = checkSyncUrlTemplate(value.syncUrl, vendorId === undefined ? {} : { vendorId });
  if (!syncUrl.ok) errors.push(`syncUrl: ${syncUrl.error.replace(/^sync URL: /, '')}`);

  let resyncDays = DEFAULT_RESYNC_DAYS;
  if (value.resyncDays !== undefined) {
    const days = value.resyncDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RESYNC_DAYS) {
      errors.push(`resyncDays: must be a whole number of days from 1 to ${MAX_RESYNC_DAYS}`);
    } else {
      resyncDays = days;
    }
  }

  let idLifetimeDays = PARTNER_ID_LIFETIME_DAYS;
  if (value.idLifetimeDays !== undefined) {
    const days = checkLifetimeDays(value.idLifetimeDays);
    if (!days.ok) errors.push(`idLifetimeDays: ${days.error}`);
    else idLifetimeDays = days.days;
  }
  const daysOk = !errors.some((e) => e.startsWith('resyncDays') || e.startsWith('idLifetimeDays'));
  if (daysOk && idLifetimeDays < resyncDays) {
    errors.push(
      `idLifetimeDays: ${idLifetimeDays} is shorter than resyncDays (${resyncDays}): the partner's ID would expire before the next sync`,
    );
  }

  let uidMacro = DEFAULT_UID_MACRO;
  if (value.uidMacro !== undefined) {
    const macro = checkUidMacro(value.uidMacro);
    if (!macro.ok) errors.push(macro.error);
    else uidMacro = macro.macro;
  }

  if (errors.length > 0 || !code.ok || (type !== 'redirect' && type !== 'iframe'))
    return { ok: false, errors };
  const partner: SyncPartner = {
    code: code.type,
    name: name as string,
    syncUrl: value.syncUrl as string,
    type,
    resyncDays,
    idLifetimeDays,
    uidMacro,
  };
  if (vendorId !== undefined) partner.vendorId = vendorId;
  return { ok: true, partner };
}
