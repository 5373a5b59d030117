import { isObject } from '../activation/field-errors.ts';
import type { Consent } from '../event.ts';
import { MAX_REQUESTED_BIDDERS } from './sync-plan.ts';

/** The longest consent string read from a `/cookie_sync` body (the collector's default too). */
export const MAX_CONSENT_LENGTH = 8192;

/**
 * A `/cookie_sync` body, read: the bidders asked for (absent: all), the consent in the form the
 * consent core decodes, and the limit (absent: none).
 *
 * Example: `{ bidders: ['ssp_a'], consent: { gdpr: 1, tcf: 'CQ...', gppSid: [2] }, limit: 5 }`
 */
export interface CookieSyncRequest {
  bidders?: string[];
  consent: Consent;
  limit?: number;
}

/** The request, or what is wrong with the body (the route answers 400 with it). */
export type CookieSyncRequestResult = { ok: true; request: CookieSyncRequest } | { ok: false; error: string };

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function optionalString(
  body: Record<string, unknown>,
  field: string,
): string | undefined | { error: string } {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return { error: `${field}: must be a string` };
  if (value.length > MAX_CONSENT_LENGTH) {
    return { error: `${field}: is ${value.length} characters long; the limit is ${MAX_CONSENT_LENGTH}` };
  }
  return value;
}

/** `gpp_sid` as Prebid sends it (`"2,6"`) or as a JSON array of numbers. */
function readGppSid(value: unknown): number[] | undefined | { error: string } {
  if (value === undefined || value === null || value === '') return undefined;
  const parts: unknown[] =
    typeof value === 'string'
      ? value.split(',').map((p) => p.trim())
      : Array.isArray(value)
        ? value
        : [value];
  const ids: number[] = [];
  for (const part of parts.slice(0, 101)) {
    const id = typeof part === 'string' && /^\d{1,3}$/.test(part) ? Number(part) : part;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 255) {
      return { error: 'gpp_sid: must be GPP section IDs separated by commas, such as "2,6"' };
    }
    ids.push(id);
  }
  if (parts.length > 100) return { error: 'gpp_sid: at most 100 section IDs' };
  return ids;
}

/**
 * Reads a `/cookie_sync` body as Prebid Server does: `bidders` (an array of strings; absent means
 * every partner, `[]` none), `gdpr` (0 or 1), `gdpr_consent`, `us_privacy`, `gpp`, `gpp_sid` ("2,6"),
 * `limit` (a whole number; 0 or less means none). Other fields Prebid.js sends (`account`, `coopSync`,
 * `filterSettings`, ...) are ignored. As Prebid Server, `gdpr: 1` without a TC string (`gdpr_consent`,
 * or a GPP string whose `gpp_sid` holds section 2) is an error. `gpc` is the request's `Sec-GPC: 1`.
 *
 * Example:
 * ```ts
 * readCookieSyncRequest({ bidders: ['ssp_a'], gdpr: 1, gdpr_consent: 'CQ...', gpp_sid: '2,6', limit: 5 }, false);
 * // { ok: true, request: { bidders: ['ssp_a'], consent: { gdpr: 1, tcf: 'CQ...', gppSid: [2, 6] }, limit: 5 } }
 * ```
 */
export function readCookieSyncRequest(body: unknown, gpc: boolean): CookieSyncRequestResult {
  if (body === undefined || body === null) body = {};
  if (!isObject(body))
    return fail('the body must be a JSON object such as {"bidders": ["ssp_a"], "gdpr": 0}');
  const request: CookieSyncRequest = { consent: {} };
  const consent = request.consent;

  if (body.bidders !== undefined && body.bidders !== null) {
    if (!Array.isArray(body.bidders) || !(body.bidders as unknown[]).every((b) => typeof b === 'string')) {
      return fail('bidders: must be an array of partner codes, such as ["ssp_a"]');
    }
    const bidders = body.bidders as string[];
    if (bidders.length > MAX_REQUESTED_BIDDERS) {
      return fail(`bidders: at most ${MAX_REQUESTED_BIDDERS}, not ${bidders.length}`);
    }
    request.bidders = bidders;
  }

  if (body.gdpr !== undefined && body.gdpr !== null) {
    if (body.gdpr !== 0 && body.gdpr !== 1) return fail('gdpr: must be 0 or 1 (leave it out when unsure)');
    consent.gdpr = body.gdpr;
  }
  for (const [field, key] of [
    ['gdpr_consent', 'tcf'],
    ['us_privacy', 'usp'],
    ['gpp', 'gpp'],
  ] as const) {
    const value = optionalString(body, field);
    if (typeof value === 'object') return fail(value.error);
    if (value !== undefined) consent[key] = value;
  }
  const gppSid = readGppSid(body.gpp_sid);
  if (gppSid !== undefined && !Array.isArray(gppSid)) return fail(gppSid.error);
  if (gppSid !== undefined) consent.gppSid = gppSid;
  if (gpc) consent.gpc = true;

  const tcInGpp = consent.gpp !== undefined && (consent.gppSid?.includes(2) ?? false);
  if (consent.gdpr === 1 && consent.tcf === undefined && !tcInGpp) {
    return fail(
      'gdpr_consent: is required when gdpr is 1 (send the TC string, or gdpr: 0 where GDPR does not apply)',
    );
  }

  if (body.limit !== undefined && body.limit !== null) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit)) {
      return fail('limit: must be a whole number (0 or less: no limit)');
    }
    if (body.limit > 0) request.limit = body.limit;
  }
  return { ok: true, request };
}
