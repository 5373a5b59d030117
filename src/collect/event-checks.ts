import type { Consent } from '../core/event.ts';
import { checkId as checkTypedId, hasIdRules } from '../core/identity/index.ts';
import type { CollectLimits } from './collect-limits.ts';
import { kindOf, showValue, unknownFieldsMessage } from './describe-value.ts';

// Compiled once: these run on every event.
const SIGNAL_KEY = /^[A-Za-z0-9_.-]+$/;
const ID_TYPE = /^[a-z0-9_]{1,32}$/;
const DIGITS = /^\d{1,15}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A checker's answer: the accepted value, or the message saying what is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** Whether a value is a plain JSON object (not null, not an array). Example: `isObject({})` -> true. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An event time: epoch milliseconds (number or digit string) or ISO-8601 text with a time zone.
 * Example: `checkTimestamp('2026-11-20T10:00:00Z', 'events[0].ts')` -> `{ ok: true, value: 1795168800000 }`.
 */
export function checkTimestamp(value: unknown, path: string): Checked<number> {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return { ok: true, value: Math.trunc(value) };
  } else if (typeof value === 'string') {
    if (DIGITS.test(value)) return { ok: true, value: Number(value) };
    const iso = ISO_8601.exec(value);
    if (iso !== null) {
      if (value.length > 10 && iso[1] === undefined) {
        return fail(
          `${path}: ${showValue(value)} has no time zone; add "Z" for UTC or an offset like "+01:00"`,
        );
      }
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return { ok: true, value: ms };
    }
  }
  return fail(`${path}: ${showValue(value)} is not a timestamp; send epoch milliseconds or ISO-8601`);
}

/**
 * An ID: a string of 1 to `maxIdLength` characters.
 * Example: `checkId('c-123', 'events[0].uid', 256)` -> `{ ok: true, value: 'c-123' }`.
 */
export function checkId(value: unknown, path: string, maxIdLength: number): Checked<string> {
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? '; send IDs as strings' : '';
    return fail(`${path}: expected a string, got ${kindOf(value)} ${showValue(value)}${hint}`);
  }
  if (value.length === 0) return fail(`${path}: is empty; send a non-empty ID or leave the field out`);
  if (value.length > maxIdLength)
    return fail(`${path}: is ${value.length} characters long; the limit is ${maxIdLength}`);
  return { ok: true, value };
}

/** The longest event `id`: the public API promises IDs of up to 128 characters. */
export const MAX_EVENT_ID_LENGTH = 128;

/**
 * The event's own ID, what a retry is recognised by: a string of 1 to 128 characters.
 * Example: `checkEventId(42, 'events[0].id')` ->
 * `{ ok: false, error: 'events[0].id: expected a string of 1 to 128 characters, got number 42; ...' }`.
 */
export function checkEventId(value: unknown, path: string): Checked<string> {
  const fix = 'send the ID your system gives the event, so that a retry is recognised';
  if (typeof value !== 'string')
    return fail(
      `${path}: expected a string of 1 to 128 characters, got ${kindOf(value)} ${showValue(value)}; ${fix}`,
    );
  if (value.length === 0) return fail(`${path}: is empty; ${fix}, or leave the field out`);
  if (value.length > MAX_EVENT_ID_LENGTH)
    return fail(`${path}: is ${value.length} characters long; the limit is ${MAX_EVENT_ID_LENGTH}`);
  return { ok: true, value };
}

/**
 * The event's other IDs, `{ TYPE: VALUE }`, with ID types of 1 to 32 of `a-z 0-9 _`, each ID by the rules
 * of its type (`checkId` of src/core/identity). Returns the IDs in their kept form (`normaliseId`: the
 * same object when none changes, so the common case allocates nothing) and the least ID type (the one a
 * missing `uid` is made from), or '' when there are none.
 * Example: `checkIds({ maid: 'X', ck: 'y' }, 'events[0].ids', limits)` -> `{ ok: false, ... }` (not a UUID);
 * `checkIds({ ck: 'y' }, 'events[0].ids', limits)` -> `{ ok: true, value: { ids: { ck: 'y' }, least: 'ck' } }`.
 */
export function checkIds(
  value: unknown,
  path: string,
  limits: CollectLimits,
): Checked<{ ids: Record<string, string>; least: string }> {
  if (!isObject(value)) return fail(`${path}: expected an object of ID type to ID, got ${kindOf(value)}`);
  const types = Object.keys(value);
  if (types.length > limits.maxIds) {
    return fail(`${path}: has ${types.length} entries; send at most ${limits.maxIds}`);
  }
  let least = '';
  let kept: Record<string, string> | undefined;
  for (const type of types) {
    if (!ID_TYPE.test(type) || type === '__proto__') {
      return fail(`${path}: ID type ${showValue(type)} is not allowed; use 1 to 32 of a-z, 0-9 and _`);
    }
    const id = checkId(value[type], `${path}.${type}`, limits.maxIdLength);
    if (!id.ok) return id;
    // the rules of the ID's type (src/core/identity): device IDs are UUIDs, hashes are hex of their
    // length (a clear e-mail or phone number is refused with how to hash it), no e-mail as a crm ID;
    // only such types have a kept form other than the value sent
    if (hasIdRules(type)) {
      const typed = checkTypedId(type, id.value);
      if (!typed.ok) return fail(`${path}.${type}: ${typed.error}`);
      if (typed.id !== id.value) (kept ??= { ...(value as Record<string, string>) })[type] = typed.id;
    }
    if (least === '' || type < least) least = type;
  }
  return { ok: true, value: { ids: kept ?? (value as Record<string, string>), least } };
}

function checkScalar(value: unknown, path: string, limits: CollectLimits): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > limits.maxValueLength
        ? `${path}: is ${value.length} characters long; the limit is ${limits.maxValueLength}`
        : undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path}: ${value} is not a finite number`;
    case 'boolean':
      return undefined;
    default:
      return `${path}: expected a string, number or boolean (or a list of them), got ${kindOf(value)}`;
  }
}

/**
 * Signals: an object of at most `maxSignals` keys (1 to `maxKeyLength` of `A-Z a-z 0-9 _ . -`) whose
 * values are strings, numbers, booleans or lists of them. Returns the error, or undefined when good.
 * Example: `checkSignals({ category: 'shoes', tags: ['a'] }, 'events[0].signals', limits)` -> undefined.
 */
export function checkSignals(value: unknown, path: string, limits: CollectLimits): string | undefined {
  if (!isObject(value)) return `${path}: expected an object of key-value pairs, got ${kindOf(value)}`;
  const keys = Object.keys(value);
  if (keys.length > limits.maxSignals)
    return `${path}: has ${keys.length} keys; send at most ${limits.maxSignals}`;
  for (const key of keys) {
    if (key.length > limits.maxKeyLength || !SIGNAL_KEY.test(key) || key === '__proto__') {
      return `${path}: key ${showValue(key)} is not allowed; use 1 to ${limits.maxKeyLength} of A-Z, a-z, 0-9, _, . and -`;
    }
    const item = value[key];
    if (Array.isArray(item)) {
      if (item.length > limits.maxListLength) {
        return `${path}.${key}: has ${item.length} items; send at most ${limits.maxListLength}`;
      }
      for (let i = 0; i < item.length; i++) {
        const error = checkScalar(item[i], `${path}.${key}[${i}]`, limits);
        if (error !== undefined) return error;
      }
    } else {
      const error = checkScalar(item, `${path}.${key}`, limits);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

const CONSENT_FIELDS = ['gdpr', 'tcf', 'usp', 'gpp', 'gppSid', 'gpc'];

/**
 * Consent as received: `{ gdpr: 0|1, tcf, usp, gpp: strings, gppSid: section IDs, gpc: boolean }`, all
 * optional, copied unchanged. Example: `checkConsent({ gdpr: 1, tcf: 'CQ...' }, 'events[0].consent', limits)`
 * -> `{ ok: true, value: { gdpr: 1, tcf: 'CQ...' } }`.
 */
export function checkConsent(value: unknown, path: string, limits: CollectLimits): Checked<Consent> {
  if (!isObject(value))
    return fail(`${path}: expected an object like {"gdpr": 1, "tcf": "..."}, got ${kindOf(value)}`);
  const consent: Consent = {};
  const unknown: string[] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    switch (key) {
      case 'gdpr':
        if (item !== 0 && item !== 1) return fail(`${path}.gdpr: ${showValue(item)} is not 0 or 1`);
        consent.gdpr = item;
        break;
      case 'tcf':
      case 'usp':
      case 'gpp':
        if (typeof item !== 'string') return fail(`${path}.${key}: expected a string, got ${kindOf(item)}`);
        if (item.length > limits.maxConsentLength) {
          return fail(
            `${path}.${key}: is ${item.length} characters long; the limit is ${limits.maxConsentLength}`,
          );
        }
        consent[key] = item;
        break;
      case 'gppSid': {
        const ids = checkSectionIds(item, `${path}.gppSid`, limits.maxListLength);
        if (!ids.ok) return ids;
        consent.gppSid = ids.value;
        break;
      }
      case 'gpc':
        if (typeof item !== 'boolean')
          return fail(`${path}.gpc: expected true or false, got ${kindOf(item)}`);
        consent.gpc = item;
        break;
      default:
        unknown.push(key);
    }
  }
  if (unknown.length > 0) return fail(unknownFieldsMessage(path, unknown, CONSENT_FIELDS));
  return { ok: true, value: consent };
}

function checkSectionIds(value: unknown, path: string, maxListLength: number): Checked<number[]> {
  if (!Array.isArray(value))
    return fail(`${path}: expected a list of GPP section IDs like [2, 7], got ${kindOf(value)}`);
  if (value.length > maxListLength)
    return fail(`${path}: has ${value.length} items; send at most ${maxListLength}`);
  const ids: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 65535) {
      return fail(`${path}[${i}]: ${showValue(id)} is not a GPP section ID (an integer 0 to 65535)`);
    }
    ids.push(id);
  }
  return { ok: true, value: ids };
}
