import type { Destination, DestinationBase, SegmentMapping } from './destination.ts';
import { DESTINATION_KINDS } from './destination.ts';
import type { FieldError, JsonObject } from './field-errors.ts';
import { isObject, readArray, readInteger, readOneOf, readString, rejectUnknown } from './field-errors.ts';
import { gamProblem } from './gam-key-values.ts';
import { parseSettings } from './parse-destination-settings.ts';

/** Example: `{ ok: false, errors: [{ field: 'segments[0].id', message: 'must be a string' }] }` */
export type DestinationResult = { ok: true; destination: Destination } | { ok: false; errors: FieldError[] };

/**
 * What the caller knows that the destination is checked against.
 *
 * Example: `{ knownLabels: DATA_LABELS, audienceTaxonomyIds: new Set(['1', '2', '483']) }`
 */
export interface DestinationContext {
  /** the data labels there are: a restriction outside them is refused (a typo would restrict nothing) */
  knownLabels?: readonly string[];
  /** the Unique IDs of IAB Audience Taxonomy 1.1: with `segtax` 4 every mapped ID must be one */
  audienceTaxonomyIds?: ReadonlySet<string>;
  /**
   * Whether an IP address written as the host of an http or url destination may be reached (the address
   * policy, `src/core/net/address-policy.ts`); default: any. Host names are checked when connecting.
   */
  addressAllowed?: (address: string) => boolean;
}

const CODE = /^[a-z0-9_-]{1,64}$/;
const ID_TYPE = /^[a-z][a-z0-9_:-]{0,63}$/;
const FIELDS = [
  'kind',
  'code',
  'name',
  'segments',
  'segtax',
  'idType',
  'consent',
  'restrictions',
  'rateLimitPerSecond',
  'schedule',
  'settings',
];

function readMapping(json: JsonObject, errors: FieldError[], context: DestinationContext): SegmentMapping[] {
  const mapping: SegmentMapping[] = [];
  const seen = new Set<string>();
  const gam = json.kind === 'gam';
  const list = readArray(json.segments, 'segments', errors) ?? [];
  list.forEach((item, i) => {
    const at = `segments[${i}]`;
    if (!isObject(item)) {
      errors.push({ field: at, message: 'must be an object' });
      return;
    }
    rejectUnknown(item, ['segment', 'id'], `${at}.`, errors);
    const segment = readString(item.segment, `${at}.segment`, errors, { pattern: CODE });
    const id = readString(item.id, `${at}.id`, errors, { max: 128 });
    if (segment !== undefined && seen.has(segment)) {
      errors.push({ field: `${at}.segment`, message: `segment ${segment} is mapped twice` });
    }
    if (segment !== undefined) seen.add(segment);
    if (id === undefined || segment === undefined) return;
    const problem = gam
      ? /\s/.test(id)
        ? 'a value must not contain white space'
        : gamProblem(id, 'value')
      : undefined;
    if (problem !== undefined) errors.push({ field: `${at}.id`, message: problem });
    if (
      json.segtax === 4 &&
      context.audienceTaxonomyIds !== undefined &&
      !context.audienceTaxonomyIds.has(id)
    ) {
      errors.push({ field: `${at}.id`, message: `${id} is not an IAB Audience Taxonomy 1.1 ID (segtax 4)` });
    } else if (json.segtax === 4 && !/^[1-9][0-9]*$/.test(id)) {
      errors.push({ field: `${at}.id`, message: 'must be an IAB Audience Taxonomy 1.1 ID (segtax 4)' });
    }
    mapping.push({ segment, id });
  });
  return mapping;
}

function readConsent(value: unknown, errors: FieldError[]): DestinationBase['consent'] {
  if (!isObject(value)) {
    errors.push({ field: 'consent', message: 'must be an object' });
    return { purposes: [] };
  }
  rejectUnknown(value, ['vendorId', 'purposes'], 'consent.', errors);
  const consent: DestinationBase['consent'] = { purposes: [] };
  if (value.vendorId !== undefined) {
    const vendorId = readInteger(value.vendorId, 'consent.vendorId', errors, { min: 1, max: 65_535 });
    if (vendorId !== undefined) consent.vendorId = vendorId;
  }
  const purposes = readArray(value.purposes, 'consent.purposes', errors, 11) ?? [];
  purposes.forEach((p, i) => {
    const purpose = readInteger(p, `consent.purposes[${i}]`, errors, { min: 1, max: 11 });
    if (purpose !== undefined && !consent.purposes.includes(purpose)) consent.purposes.push(purpose);
  });
  consent.purposes.sort((a, b) => a - b);
  return consent;
}

function readRestrictions(value: unknown, errors: FieldError[], known?: readonly string[]): string[] {
  if (value === undefined) return [];
  const labels: string[] = [];
  (readArray(value, 'restrictions', errors, 50) ?? []).forEach((item, i) => {
    const label = readString(item, `restrictions[${i}]`, errors, { max: 64, pattern: /^[a-z0-9-]+$/ });
    if (label === undefined) return;
    if (known !== undefined && !known.includes(label)) {
      errors.push({
        field: `restrictions[${i}]`,
        message: `unknown label ${label}; known: ${known.join(', ')}`,
      });
    } else if (!labels.includes(label)) labels.push(label);
  });
  return labels;
}

/**
 * Checks an untrusted destination fully and returns it, or every error, each naming its field. Never
 * throws. Defaults: no restrictions, empty settings for openrtb and prebid, GAM 50 values per key, HTTP
 * batches of 1,000 members, files of 1,000,000 rows.
 *
 * Example:
 * ```ts
 * parseDestination({ kind: 'gam', code: 'gam', name: 'Ad Manager', segments: [], idType: 'uid',
 *   consent: { purposes: [] }, settings: { key: '1dmp' } });
 * // { ok: false, errors: [{ field: 'settings.key', message: 'a key must not start with a digit' }] }
 * ```
 */
export function parseDestination(json: unknown, context: DestinationContext = {}): DestinationResult {
  if (!isObject(json)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  const errors: FieldError[] = [];
  rejectUnknown(json, FIELDS, '', errors);
  const kind = readOneOf(json.kind, 'kind', errors, DESTINATION_KINDS);
  const code = readString(json.code, 'code', errors, { pattern: CODE });
  const name = readString(json.name, 'name', errors, { max: 200 });
  let segtax: number | undefined;
  if (json.segtax !== undefined) {
    segtax = readInteger(json.segtax, 'segtax', errors, { min: 1, max: 65_535 });
    if (segtax !== undefined && segtax > 9 && segtax < 500) {
      errors.push({
        field: 'segtax',
        message: 'must be 1 to 9 (IAB taxonomies) or 500 and up (vendor-specific)',
      });
    }
  }
  const base: DestinationBase = {
    code: code ?? '',
    name: name ?? '',
    segments: readMapping(json, errors, context),
    idType: readString(json.idType, 'idType', errors, { pattern: ID_TYPE }) ?? '',
    consent: readConsent(json.consent, errors),
    restrictions: readRestrictions(json.restrictions, errors, context.knownLabels),
  };
  if (segtax !== undefined) base.segtax = segtax;
  if (json.rateLimitPerSecond !== undefined) {
    const limit = readInteger(json.rateLimitPerSecond, 'rateLimitPerSecond', errors, {
      min: 1,
      max: 1_000_000,
    });
    if (limit !== undefined) base.rateLimitPerSecond = limit;
  }
  if (json.schedule !== undefined) {
    const schedule = isObject(json.schedule) ? json.schedule : undefined;
    if (schedule === undefined) errors.push({ field: 'schedule', message: 'must be an object' });
    else {
      rejectUnknown(schedule, ['everyMinutes'], 'schedule.', errors);
      const every = readInteger(schedule.everyMinutes, 'schedule.everyMinutes', errors, {
        min: 1,
        max: 10_080,
      });
      if (every !== undefined) base.schedule = { everyMinutes: every };
    }
  }
  if (kind === undefined) return { ok: false, errors };
  const settings = parseSettings(kind, json.settings, errors, context.addressAllowed);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, destination: { ...base, kind, settings } as Destination };
}
