import { hasControlCharacter } from './control-characters.ts';
import { expandMacros } from '../activation/expand-macros.ts';
import type { Consent } from '../event.ts';

/**
 * The macros a partner's sync URL may hold, as named in errors. `GDPR_CONSENT_<vendor ID>` is the
 * IAB's macro: the TC string, for the vendor whose GVL ID is the number (e.g. `${GDPR_CONSENT_755}`).
 *
 * Example: `SYNC_URL_MACROS.join(', ')` -> `'${UID}, ${GDPR}, ${GDPR_CONSENT_<vendor ID>}, ...'`
 */
export const SYNC_URL_MACROS: readonly string[] = [
  '${UID}',
  '${GDPR}',
  '${GDPR_CONSENT_<vendor ID>}',
  '${US_PRIVACY}',
  '${GPP}',
  '${GPP_SID}',
  '${REDIRECT}',
];

/** The longest sync URL template a partner may have. */
export const MAX_SYNC_URL_TEMPLATE_LENGTH = 2048;
/** The longest partner `uidMacro`. */
export const MAX_UID_MACRO_LENGTH = 32;

const SIMPLE_MACROS: ReadonlySet<string> = new Set([
  'UID',
  'GDPR',
  'US_PRIVACY',
  'GPP',
  'GPP_SID',
  'REDIRECT',
]);
const GDPR_CONSENT = /^GDPR_CONSENT_([1-9][0-9]{0,4})$/;
const MAX_VENDOR_ID = 65_535;
const MACRO = /\$\{([^}]*)\}/g;
/** a host name (IDN hosts arrive in punycode from `URL`) or a bracketed IPv6 address */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;
// printable ASCII, without what would end the query value or the URL it stands in
const UID_MACRO = /^[!$%()*+,\-./0-9:;@A-Z[\]^_a-z{|}~]+$/;

/**
 * What fills a sync URL: our visitor's `uid` (`${UID}`), the request's consent strings, and the
 * `redirect` back to us (`${REDIRECT}`, from `redirectUrl`). A missing value becomes empty.
 *
 * Example: `{ uid: 'c-123', consent: { gdpr: 1, tcf: 'CQ...' }, redirect: 'https://dmp.example/setuid?...' }`
 */
export interface SyncUrlValues {
  uid?: string;
  consent?: Consent;
  redirect?: string;
}

/**
 * Fills a sync URL template: `${UID}`, `${GDPR}`, `${GDPR_CONSENT_<vendor>}` (any vendor number),
 * `${US_PRIVACY}`, `${GPP}`, `${GPP_SID}` (comma-separated) as the activation core's `expandMacros`
 * fills pixel URLs, and `${REDIRECT}`; every value URL-encoded once (`encodeURIComponent`), as Prebid
 * Server (Java) encodes the values it puts in sync URLs. An unknown macro is left as it is
 * (`checkSyncUrlTemplate` keeps them out of partners' templates).
 *
 * Example:
 * ```ts
 * expandSyncUrl('https://ssp-a.example/sync?gdpr=${GDPR}&c=${GDPR_CONSENT_755}&redir=${REDIRECT}',
 *   { consent: { gdpr: 1, tcf: 'CQ.a' }, redirect: 'https://dmp.example/setuid?site=s&bidder=ssp_a&uid=$UID' });
 * // 'https://ssp-a.example/sync?gdpr=1&c=CQ.a&redir=https%3A%2F%2Fdmp.example%2Fsetuid%3Fsite%3Ds%26bidder%3Dssp_a%26uid%3D%24UID'
 * ```
 */
export function expandSyncUrl(template: string, values: SyncUrlValues): string {
  const filled = expandMacros(template, {
    ...(values.uid !== undefined && { uid: values.uid }),
    ...(values.consent !== undefined && { consent: values.consent }),
  });
  // after expandMacros: its values are encoded, so none can hold a `${REDIRECT}` of its own
  const redirect = encodeURIComponent(values.redirect ?? '');
  return filled.replaceAll('${REDIRECT}', redirect);
}

/** A checked template: whether it redirects back to us, and the macros it holds (each once, in order). */
export type SyncUrlTemplateCheck =
  { ok: true; redirects: boolean; macros: string[] } | { ok: false; error: string };

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/** Where the host part of an absolute URL ends (the first `/`, `?` or `#` after `scheme://`). */
function authorityEnd(url: string): number {
  const start = url.indexOf('://');
  if (start < 0) return 0;
  const rest = url.slice(start + 3).search(/[/?#\\]/);
  return rest < 0 ? url.length : start + 3 + rest;
}

/**
 * Checks a partner's sync URL template (the partner create/update route): an absolute `https:` or
 * `http:` URL of at most `MAX_SYNC_URL_TEMPLATE_LENGTH` characters, without spaces or credentials,
 * whose macros are all known (an unknown one is refused with the list of known ones) and stand in
 * the path or query, never in the host. `${REDIRECT}` may be there or not (a partner may not redirect
 * back to us); `redirects` says which. With `vendorId`, a `${GDPR_CONSENT_<n>}` for another vendor
 * is refused (the macro's number names the vendor the string is read for).
 *
 * Example:
 * ```ts
 * checkSyncUrlTemplate('https://ssp-a.example/sync?c=${GDPR_CONSENT_755}&r=${REDIRECT}', { vendorId: 755 });
 * // { ok: true, redirects: true, macros: ['GDPR_CONSENT_755', 'REDIRECT'] }
 * checkSyncUrlTemplate('https://ssp-a.example/sync?u=${USER}');
 * // { ok: false, error: 'sync URL: unknown macro ${USER}; the known macros are ${UID}, ${GDPR}, ...' }
 * ```
 */
export function checkSyncUrlTemplate(
  template: unknown,
  options: { vendorId?: number } = {},
): SyncUrlTemplateCheck {
  if (typeof template !== 'string') return fail('sync URL: must be a string');
  if (template.length === 0) return fail('sync URL: must not be empty');
  if (template.length > MAX_SYNC_URL_TEMPLATE_LENGTH) {
    return fail(
      `sync URL: is ${template.length} characters long; the limit is ${MAX_SYNC_URL_TEMPLATE_LENGTH}`,
    );
  }
  if (/\s/.test(template) || hasControlCharacter(template)) {
    return fail('sync URL: must not hold spaces or control characters (encode them: %20)');
  }
  if (!/^https?:\/\//i.test(template)) {
    return fail(
      'sync URL: must start with https:// (or http://), e.g. "https://ssp-a.example/sync?redir=${REDIRECT}"',
    );
  }
  const macros: string[] = [];
  for (const match of template.matchAll(MACRO)) {
    const name = match[1]!;
    const known = SIMPLE_MACROS.has(name) || GDPR_CONSENT.test(name);
    if (!known) {
      return fail(
        `sync URL: unknown macro \${${name.slice(0, 40)}}; the known macros are ${SYNC_URL_MACROS.join(', ')} (upper case)`,
      );
    }
    const vendor = GDPR_CONSENT.exec(name)?.[1];
    if (vendor !== undefined) {
      if (Number(vendor) > MAX_VENDOR_ID) {
        return fail(
          `sync URL: \${${name}} names vendor ${vendor}; GVL vendor IDs run from 1 to ${MAX_VENDOR_ID}`,
        );
      }
      if (options.vendorId !== undefined && Number(vendor) !== options.vendorId) {
        return fail(
          `sync URL: \${${name}} is the TC string for vendor ${vendor}, but the partner's vendorId is ${options.vendorId}; write \${GDPR_CONSENT_${options.vendorId}}`,
        );
      }
    }
    if (match.index < authorityEnd(template)) {
      return fail(
        `sync URL: macro \${${name}} stands in the host; macros may only stand in the path or query`,
      );
    }
    if (!macros.includes(name)) macros.push(name);
  }
  const rest = template.replace(MACRO, '');
  if (rest.includes('${')) return fail('sync URL: has a "${" with no closing "}"');
  let url: URL;
  try {
    url = new URL(template.replace(MACRO, 'x'));
  } catch {
    return fail('sync URL: is not an absolute URL such as "https://ssp-a.example/sync?redir=${REDIRECT}"');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail(`sync URL: must start with https:// (or http://), not ${url.protocol}`);
  }
  if (!HOST.test(url.hostname)) {
    return fail(`sync URL: host ${JSON.stringify(url.hostname)} is not a host name such as "ssp-a.example"`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail('sync URL: must not hold a user name or password');
  }
  return { ok: true, redirects: macros.includes('REDIRECT'), macros };
}

/**
 * Checks a partner's `uidMacro`, the text the partner replaces with its own user ID in our redirect
 * (`$UID`, `[UID]`, `{uid}`, ...): 1 to 32 printable ASCII characters, none of which would end the
 * query value it stands in (no space, `&`, `#`, `?`, `=`, quotes, `<`, `>`, backslash).
 *
 * Example: `checkUidMacro('$UID')` -> `{ ok: true, macro: '$UID' }`;
 * `checkUidMacro('a&b')` -> `{ ok: false, error: 'uidMacro: ...' }`
 */
export function checkUidMacro(macro: unknown): { ok: true; macro: string } | { ok: false; error: string } {
  if (typeof macro !== 'string' || macro.length === 0 || macro.length > MAX_UID_MACRO_LENGTH) {
    return fail(`uidMacro: must be a string of 1 to ${MAX_UID_MACRO_LENGTH} characters, such as "$UID"`);
  }
  if (!UID_MACRO.test(macro)) {
    return fail(
      `uidMacro: ${JSON.stringify(macro)} may only hold printable ASCII without spaces, & # ? = quotes < > or backslash`,
    );
  }
  return { ok: true, macro };
}

/** Extra parts of the redirect: the consent to pass back to `/setuid`, and the response format. */
export interface RedirectOptions {
  /** `gdpr` and the TC string, so `/setuid` can decide under the same consent */
  consent?: Consent;
  /** `i` (a 1x1 image, for `redirect` syncs) or `b` (an empty page, for `iframe` syncs), as Prebid Server */
  format?: 'i' | 'b';
}

/**
 * Our `/setuid` URL for a partner, unencoded (`expandSyncUrl` encodes it into `${REDIRECT}`):
 * `site`, `bidder`, then `gdpr` and `gdpr_consent` when the consent has them, `f` when a format is
 * given, and last `uid=` followed by the partner's own macro, raw, which the partner replaces with its
 * ID. `publicBase` is where this server is reached (`https://dmp.example`, a trailing `/` is dropped).
 *
 * Example:
 * ```ts
 * redirectUrl('https://dmp.example/', 'pk_site1', 'ssp_a', '$UID', { format: 'i' });
 * // 'https://dmp.example/setuid?site=pk_site1&bidder=ssp_a&f=i&uid=$UID'
 * ```
 */
export function redirectUrl(
  publicBase: string,
  siteKey: string,
  partnerCode: string,
  uidMacro: string,
  options: RedirectOptions = {},
): string {
  const base = publicBase.replace(/\/+$/, '');
  let url = `${base}/setuid?site=${encodeURIComponent(siteKey)}&bidder=${encodeURIComponent(partnerCode)}`;
  const consent = options.consent;
  if (consent?.gdpr !== undefined) url += `&gdpr=${consent.gdpr}`;
  if (consent?.tcf !== undefined && consent.tcf !== '') {
    url += `&gdpr_consent=${encodeURIComponent(consent.tcf)}`;
  }
  if (options.format !== undefined) url += `&f=${options.format}`;
  return `${url}&uid=${uidMacro}`;
}
