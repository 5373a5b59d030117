import { hasControlCharacter } from './control-characters.ts';
import { DEVICE_ID_TYPES, normaliseId } from '../ids/normalise-id.ts';

/**
 * The ID types every tenant has. Partners add one type each (named by the partner's code), and the
 * tenant's `eids` mapping may name more (`id5`, `tdid`, ...).
 *
 * - `uid`: our first-party cookie ID.
 * - `maid`: a mobile advertising ID (IDFA, GAID), kept lower-case in canonical UUID form.
 * - `email_sha256`, `phone_sha256`: SHA-256 hex of a normalised e-mail address or E.164 phone number.
 * - `crm`: the tenant's own customer ID.
 *
 * Example: `BUILT_IN_ID_TYPES.includes('maid')` -> true
 */
export const BUILT_IN_ID_TYPES = ['uid', 'maid', 'email_sha256', 'phone_sha256', 'crm'] as const;

/** One of `BUILT_IN_ID_TYPES`. Example: `const type: BuiltInIdType = 'crm'` */
export type BuiltInIdType = (typeof BUILT_IN_ID_TYPES)[number];

/**
 * How long an ID of a built-in type is kept after it was last learnt, in days, unless the tenant says
 * otherwise. `uid` is 400 days, the longest a browser keeps a cookie (Chrome caps `Max-Age` at 400
 * days, and our cookie is set for as long); a device ID lives until the user resets it (180 days); a
 * hashed e-mail or phone number stays true for long (365 days); a CRM ID for as long as the customer
 * relation (730 days).
 *
 * Example: `DEFAULT_LIFETIME_DAYS.maid` -> 180
 */
export const DEFAULT_LIFETIME_DAYS: Readonly<Record<BuiltInIdType, number>> = Object.freeze({
  uid: 400,
  maid: 180,
  email_sha256: 365,
  phone_sha256: 365,
  crm: 730,
});

/** The lifetime of a partner's (or any other non-built-in) ID type unless set: 90 days. */
export const PARTNER_ID_LIFETIME_DAYS = 90;

/** The longest lifetime a tenant may give an ID type: 10 years. */
export const MAX_LIFETIME_DAYS = 3650;

/** The longest ID type name. */
export const MAX_ID_TYPE_LENGTH = 32;

/** The longest ID value (the collector's `maxIdLength` default too). */
export const MAX_ID_LENGTH = 256;

/**
 * Types that would hold a clear e-mail address or phone number: refused with how to hash instead.
 * Example: `CLEAR_PII_TYPES.has('email')` -> true
 */
export const CLEAR_PII_TYPES: ReadonlySet<string> = new Set(['email', 'phone']);

const ID_TYPE = /^[a-z0-9_]+$/;
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const HASH_HEX_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64 };
const HEX = /^[0-9a-fA-F]+$/;
const CLEAR_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CLEAR_PHONE = /^\+?[\d\s().-]+$/;
const EXAMPLE_UUID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';

/**
 * How to turn an e-mail address into an `email_sha256` value. The normalisation is trim and lower-case
 * (the rule UID2, Google and Meta share); UID2's extra removal of dots and `+tags` in gmail.com
 * addresses is not asked for (see README.md).
 *
 * Example: `` `email_sha256 takes a hash: ${EMAIL_HASH_HOW}` ``
 */
export const EMAIL_HASH_HOW =
  "trim the address, lower-case it and send the SHA-256 of its UTF-8 bytes as 64 hex digits, e.g. `printf %s 'user@example.com' | sha256sum` gives b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514; in JavaScript `crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex')`";

/**
 * How to turn a phone number into a `phone_sha256` value: E.164 (`+`, country code, number, digits
 * only), then SHA-256 hex.
 *
 * Example: `` `phone_sha256 takes a hash: ${PHONE_HASH_HOW}` ``
 */
export const PHONE_HASH_HOW =
  "write the number in E.164 form (+, country code and number, digits only: +12345678901 for 1 (234) 567-8901) and send its SHA-256 as 64 hex digits, e.g. `printf %s '+12345678901' | sha256sum` gives 10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee; in JavaScript `crypto.createHash('sha256').update('+12345678901').digest('hex')`";

/** An ID type name that passed `checkIdType`, or what is wrong with it. */
export type IdTypeCheck = { ok: true; type: string } | { ok: false; error: string };

/** An ID in the form it is kept (`checkId`), or what is wrong with it and how to fix it. */
export type IdCheck = { ok: true; id: string } | { ok: false; error: string };

/** A value shown in an error: JSON-quoted, cut at 40 characters. */
function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}

/**
 * Checks an ID type name: lower-case letters, digits and `_`, 1 to 32 characters, as the collector allows (`__proto__` is
 * refused: ID types are keys of JSON objects).
 *
 * Example: `checkIdType('ssp_a')` -> `{ ok: true, type: 'ssp_a' }`;
 * `checkIdType('SSP-A')` -> `{ ok: false, error: 'ID type "SSP-A" may only hold ...' }`
 */
export function checkIdType(name: unknown): IdTypeCheck {
  if (typeof name !== 'string') {
    return { ok: false, error: `an ID type must be a string, not ${name === null ? 'null' : typeof name}` };
  }
  if (name.length === 0) return { ok: false, error: 'an ID type must not be empty' };
  if (name.length > MAX_ID_TYPE_LENGTH) {
    return {
      ok: false,
      error: `ID type ${show(name)} is ${name.length} characters long; the limit is ${MAX_ID_TYPE_LENGTH}`,
    };
  }
  if (!ID_TYPE.test(name)) {
    const hint = ID_TYPE.test(name.toLowerCase().replace(/[-.]/g, '_'))
      ? ` (e.g. ${show(name.toLowerCase().replace(/[-.]/g, '_'))})`
      : '';
    return {
      ok: false,
      error: `ID type ${show(name)} may only hold lower-case letters, digits and _${hint}`,
    };
  }
  if (name === '__proto__') return { ok: false, error: 'ID type "__proto__" is reserved' };
  return { ok: true, type: name };
}

/**
 * The lifetime of an ID type in days: the tenant's own setting when it has one, else the built-in
 * default (`DEFAULT_LIFETIME_DAYS`), else `PARTNER_ID_LIFETIME_DAYS`.
 *
 * Example: `idLifetimeDays('maid')` -> 180; `idLifetimeDays('ssp_a', { ssp_a: 30 })` -> 30
 */
export function idLifetimeDays(type: string, overrides?: Readonly<Record<string, number>>): number {
  if (overrides !== undefined && Object.hasOwn(overrides, type)) return overrides[type]!;
  return Object.hasOwn(DEFAULT_LIFETIME_DAYS, type)
    ? DEFAULT_LIFETIME_DAYS[type as BuiltInIdType]
    : PARTNER_ID_LIFETIME_DAYS;
}

/**
 * Checks a lifetime in days (a tenant's setting, a partner's `idLifetimeDays`): a whole number from 1
 * to `MAX_LIFETIME_DAYS`.
 *
 * Example: `checkLifetimeDays(90)` -> `{ ok: true, days: 90 }`; `checkLifetimeDays(0)` -> `{ ok: false, ... }`
 */
export function checkLifetimeDays(days: unknown): { ok: true; days: number } | { ok: false; error: string } {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LIFETIME_DAYS) {
    return {
      ok: false,
      error: `a lifetime must be a whole number of days from 1 to ${MAX_LIFETIME_DAYS}, not ${JSON.stringify(days) ?? String(days)}`,
    };
  }
  return { ok: true, days };
}

/** The hash a type holds by its suffix (`email_sha256` -> 64 hex digits), or undefined. */
function hashLength(type: string): number | undefined {
  const underscore = type.lastIndexOf('_');
  if (underscore < 0) return undefined;
  const suffix = type.slice(underscore + 1);
  return Object.hasOwn(HASH_HEX_LENGTH, suffix) ? HASH_HEX_LENGTH[suffix] : undefined;
}

function looksLikeEmail(value: string): boolean {
  return CLEAR_EMAIL.test(value);
}

function looksLikePhone(value: string): boolean {
  if (!CLEAR_PHONE.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

function checkDeviceId(type: string, value: string): IdCheck {
  const kept = normaliseId(type, value);
  if (kept === ZERO_UUID) {
    return {
      ok: false,
      error: `${type} ${ZERO_UUID} is what a device sends when ad tracking is limited: it names no device; leave the ID out`,
    };
  }
  if (!CANONICAL_UUID.test(kept)) {
    return {
      ok: false,
      error: `${type} ${show(value)} is not a device advertising ID: an IDFA or GAID is a UUID of 32 hex digits, e.g. ${EXAMPLE_UUID} (any case, hyphens optional)`,
    };
  }
  return { ok: true, id: kept };
}

function checkHash(type: string, value: string, length: number): IdCheck {
  const trimmed = value.trim();
  if (trimmed.length === length && HEX.test(trimmed)) return { ok: true, id: normaliseId(type, trimmed) };
  const algorithm = type.slice(type.lastIndexOf('_') + 1).toUpperCase();
  const sha256 = algorithm === 'SHA256';
  const emailHow = sha256
    ? EMAIL_HASH_HOW
    : `trim the address, lower-case it and send the ${algorithm} of its UTF-8 bytes as ${length} hex digits`;
  const phoneHow = sha256
    ? PHONE_HASH_HOW
    : `write the number in E.164 form (+12345678901) and send its ${algorithm} as ${length} hex digits`;
  if (looksLikeEmail(trimmed)) {
    return {
      ok: false,
      error: `${type} takes a hash, not a clear e-mail address (the address is not kept, nor shown here): ${emailHow}`,
    };
  }
  if (type.startsWith('phone') && looksLikePhone(trimmed)) {
    return {
      ok: false,
      error: `${type} takes a hash, not a clear phone number (the number is not kept, nor shown here): ${phoneHow}`,
    };
  }
  const how = type.startsWith('email') ? `; ${emailHow}` : type.startsWith('phone') ? `; ${phoneHow}` : '';
  const what = HEX.test(trimmed)
    ? `${trimmed.length} hex digits`
    : `${trimmed.length} characters, not all hex digits`;
  return {
    ok: false,
    error: `${type} must be a ${algorithm} hash written as ${length} hex digits; this value has ${what}${how}`,
  };
}

/**
 * Checks one ID of a type and gives the form it is kept in (`normaliseId`), or an error saying what is
 * wrong and how to fix it. Clear e-mail addresses and phone numbers are never echoed in an error.
 *
 * - `email` and `phone` types are refused: send `email_sha256` / `phone_sha256` (how to hash is said).
 * - `maid` (and the other device types: `idfa`, `gaid`, `ifa`, ...): a UUID in any case, with or
 *   without hyphens or braces, kept lower-case with hyphens; the all-zero ID is refused.
 * - Hash types (`*_sha256`, `*_sha1`, `*_md5`): hex of the hash's length, kept lower-case; a clear
 *   e-mail or phone number is refused with how to hash it.
 * - `crm`: a clear e-mail address is refused (it would be personal data in the clear).
 * - Every other type (`uid`, `crm`, partners): case-sensitive and kept as sent; spaces around the
 *   value are refused rather than trimmed, so that one customer is never two IDs.
 * - Every value: a non-empty string of at most `MAX_ID_LENGTH` characters, no control characters.
 *
 * Example:
 * ```ts
 * checkId('maid', '6D92078A-8246-4BA4-AE5B-76104861E7DC');
 * // { ok: true, id: '6d92078a-8246-4ba4-ae5b-76104861e7dc' }
 * checkId('email_sha256', 'Jane@Example.com');
 * // { ok: false, error: "email_sha256 takes a hash, not a clear e-mail address (...): trim the address, ..." }
 * ```
 */
export function checkId(type: string, value: unknown): IdCheck {
  const typeCheck = checkIdType(type);
  if (!typeCheck.ok) return typeCheck;
  if (CLEAR_PII_TYPES.has(type)) {
    const [hashed, how] =
      type === 'email' ? ['email_sha256', EMAIL_HASH_HOW] : ['phone_sha256', PHONE_HASH_HOW];
    return {
      ok: false,
      error: `ID type ${type} would hold clear personal data, which is not kept; send ${hashed} instead: ${how}`,
    };
  }
  if (typeof value !== 'string') {
    return {
      ok: false,
      error: `a ${type} ID must be a string, not ${value === null ? 'null' : typeof value}`,
    };
  }
  if (value.trim() === '') return { ok: false, error: `a ${type} ID must not be empty` };
  if (value.length > MAX_ID_LENGTH) {
    return {
      ok: false,
      error: `a ${type} ID is ${value.length} characters long; the limit is ${MAX_ID_LENGTH}`,
    };
  }
  if (hasControlCharacter(value)) {
    return { ok: false, error: `a ${type} ID must not hold control characters (tabs, line breaks, ...)` };
  }
  if (DEVICE_ID_TYPES.has(type)) return checkDeviceId(type, value);
  const length = hashLength(type);
  if (length !== undefined) return checkHash(type, value, length);
  if (type === 'crm' && looksLikeEmail(value.trim())) {
    return {
      ok: false,
      error: `a crm ID must not be a clear e-mail address (it is not kept, nor shown here): use your customer number, or send the address as email_sha256: ${EMAIL_HASH_HOW}`,
    };
  }
  if (value !== value.trim()) {
    return {
      ok: false,
      error: `${type} ${show(value)} has spaces around it; IDs of this type are kept exactly as sent, so remove them`,
    };
  }
  return { ok: true, id: value };
}

/**
 * Whether IDs of a type follow rules beyond any ID's (length, no control characters): device IDs, hashes,
 * `crm`, and the clear `email` and `phone` types that are always refused. Lets a hot loop (file
 * onboarding) call `checkId` only where it can refuse. Example: `hasIdRules('maid')` -> true; `hasIdRules('uid')` -> false
 */
export function hasIdRules(type: string): boolean {
  return (
    DEVICE_ID_TYPES.has(type) || hashLength(type) !== undefined || type === 'crm' || CLEAR_PII_TYPES.has(type)
  );
}

/**
 * Names that a partner's code may not take: the built-in types, the device ID types, `email` and
 * `phone`, and hash types (`*_sha256`, `*_sha1`, `*_md5`), whose values follow other rules.
 *
 * Example: `checkPartnerCode('ssp_a')` -> `{ ok: true, type: 'ssp_a' }`;
 * `checkPartnerCode('maid')` -> `{ ok: false, error: 'partner code "maid" is a built-in ID type; ...' }`
 */
export function checkPartnerCode(code: unknown): IdTypeCheck {
  const checked = checkIdType(code);
  if (!checked.ok) return { ok: false, error: checked.error.replace(/ID type/, 'partner code') };
  const name = checked.type;
  const reserved =
    (BUILT_IN_ID_TYPES as readonly string[]).includes(name) ||
    DEVICE_ID_TYPES.has(name) ||
    CLEAR_PII_TYPES.has(name)
      ? 'is a built-in ID type'
      : hashLength(name) !== undefined
        ? `ends like a hash type (${name.slice(name.lastIndexOf('_'))})`
        : undefined;
  if (reserved !== undefined) {
    return {
      ok: false,
      error: `partner code ${show(name)} ${reserved}; a partner's IDs are a type of their own, so pick another code (e.g. ${show(`${name.replace(/_(md5|sha1|sha256)$/, '')}_sync`)})`,
    };
  }
  return checked;
}
