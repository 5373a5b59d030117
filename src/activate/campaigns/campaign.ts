import type { FieldError } from '../../core/activation/field-errors.ts';
import { isObject, readArray, readString, rejectUnknown } from '../../core/activation/field-errors.ts';

/**
 * A campaign: segments sent to several destinations for a flight of dates. `start` and `end` are ISO
 * 8601 date-times with a time zone; the flight is `start <= now < end`.
 *
 * Example: `{ code: 'xmas', name: 'Christmas', segments: ['sports_fans'], destinations: ['ssp', 'gam'],
 *   start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' }`
 */
export interface Campaign {
  code: string;
  name: string;
  segments: string[];
  destinations: string[];
  start: string;
  end: string;
  description?: string;
}

/** Example: `{ ok: false, errors: [{ field: 'end', message: 'must be after start' }] }` */
export type CampaignResult = { ok: true; campaign: Campaign } | { ok: false; errors: FieldError[] };

const CODE = /^[a-z0-9_-]{1,64}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = ['code', 'name', 'segments', 'destinations', 'start', 'end', 'description'];

/**
 * Checks untrusted input for the shape of a campaign, reporting every error with its field; never
 * throws. Whether the segments and destinations exist is the service's check, not this one's.
 *
 * Example: `parseCampaign({ ...xmas, end: '2026-11-01T00:00:00Z' })` ->
 * `{ ok: false, errors: [{ field: 'end', message: 'must be after start (2026-12-01T00:00:00Z)' }] }`
 */
export function parseCampaign(input: unknown): CampaignResult {
  const errors: FieldError[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  rejectUnknown(input, FIELDS, '', errors);
  const code = readString(input.code, 'code', errors, { max: 64, pattern: CODE });
  const name = readString(input.name, 'name', errors, { max: 200 });
  const segments = readCodes(input.segments, 'segments', errors);
  const destinations = readCodes(input.destinations, 'destinations', errors);
  const start = readDateTime(input.start, 'start', errors);
  const end = readDateTime(input.end, 'end', errors);
  if (start !== undefined && end !== undefined && Date.parse(end) <= Date.parse(start)) {
    errors.push({ field: 'end', message: `must be after start (${start})` });
  }
  const description =
    input.description === undefined
      ? undefined
      : readString(input.description, 'description', errors, { max: 2000 });
  if (
    errors.length > 0 ||
    code === undefined ||
    name === undefined ||
    segments === undefined ||
    destinations === undefined ||
    start === undefined ||
    end === undefined
  ) {
    return { ok: false, errors };
  }
  const campaign: Campaign = { code, name, segments, destinations, start, end };
  if (description !== undefined) campaign.description = description;
  return { ok: true, campaign };
}

/**
 * Whether the campaign is in flight at `now` (epoch ms): `start <= now < end`.
 *
 * Example: `inFlight({ start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' }, Date.parse('2026-12-24T23:59:59Z'))` -> true
 */
export function inFlight(campaign: Pick<Campaign, 'start' | 'end'>, now: number): boolean {
  return Date.parse(campaign.start) <= now && now < Date.parse(campaign.end);
}

/** A non-empty list of distinct codes. */
function readCodes(value: unknown, field: string, errors: FieldError[]): string[] | undefined {
  const list = readArray(value, field, errors, 100);
  if (list === undefined) return undefined;
  if (list.length === 0) {
    errors.push({ field, message: 'must name at least one' });
    return undefined;
  }
  const codes: string[] = [];
  let bad = false;
  list.forEach((item, i) => {
    const code = readString(item, `${field}[${i}]`, errors, { max: 64 });
    if (code === undefined) bad = true;
    else if (codes.includes(code)) {
      errors.push({ field: `${field}[${i}]`, message: `'${code}' is listed twice` });
      bad = true;
    } else codes.push(code);
  });
  return bad ? undefined : codes;
}

function readDateTime(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    errors.push({
      field,
      message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T00:00:00Z',
    });
    return undefined;
  }
  return value;
}
