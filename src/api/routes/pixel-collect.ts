import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PixelQuery } from '../../collect/index.ts';
import { pixelToRawEvent } from '../../collect/index.ts';
import type { IngestService } from '../../ingest/ingest-service.ts';
import type { Metrics } from '../metrics.ts';

export const UID_COOKIE = 'dmp_uid';
export const OPT_OUT_COOKIE = 'dmp_optout';
const COOKIE_MAX_AGE_S = 400 * 24 * 3600;

/** What `GET /px` needs of its request besides the query: the headers, the client IP and the scheme. */
export interface PixelSource {
  headers: IncomingHttpHeaders;
  ip: string | undefined;
  /** `request.protocol === 'https'` (with the proxy's `X-Forwarded-Proto` trusted) */
  https: boolean;
}

/** How `GET /px` answers after storing: the `Set-Cookie` to send, and why the event was refused if it was. */
export interface PixelOutcome {
  setCookie: string | undefined;
  /** the first rejection when the event was not valid (the answer is then a 400 `invalid_event`) */
  invalid: string | undefined;
}

/**
 * The pixel's work after the site key is checked, shared by the Fastify route and the fast path so
 * both behave alike: maps the query to an event (uid from `?uid`, else the `dmp_uid` cookie, else a new
 * one), ingests it (consent gate, opt-out cookie, validation, enrichment, durable ack), counts it, and
 * says which cookie to set: none when the event was dropped for consent or opt-out, or when `?uid` was
 * given.
 *
 * Example: `const { setCookie, invalid } = await collectPixel(ingest, metrics, 'acme', { uid: 'c-1' }, source)`.
 */
export async function collectPixel(
  ingest: IngestService,
  metrics: Metrics,
  tenant: string,
  query: PixelQuery,
  from: PixelSource,
): Promise<PixelOutcome> {
  const raw = pixelToRawEvent(query, from.headers.referer) as Record<string, unknown>;
  const given = first(query.uid);
  let uid = given ?? cookieFromHeader(from.headers.cookie, UID_COOKIE);
  if (uid === undefined || uid === '') uid = randomUUID();
  raw.uid = uid;
  const source = {
    trusted: false,
    ip: from.ip,
    ua: from.headers['user-agent'],
    gpc: from.headers['sec-gpc'] === '1',
    optOutCookie: cookieFromHeader(from.headers.cookie, OPT_OUT_COOKIE) === '1',
  };
  const result = await ingest.ingest(tenant, [raw], source);
  countEvents(metrics, tenant, result.accepted, result.rejected.length, result.duplicates);
  if (result.dropped.consent + result.dropped.optOut > 0) {
    // no consent to store an ID, or opted out: no cookie, and the page is not disturbed
    return { setCookie: undefined, invalid: undefined };
  }
  return {
    setCookie: given === undefined ? uidCookie(uid, from.https) : undefined,
    // a duplicate (the pixel fired again with the same `id`) was accepted before: no error
    invalid:
      result.accepted + result.duplicates === 0
        ? (result.rejected[0]?.error ?? 'the event is not valid')
        : undefined,
  };
}

/**
 * Adds accepted, rejected and duplicate events to the counters (all tenants together).
 * Example: `countEvents(metrics, 'acme', 1, 0, 0)`.
 */
export function countEvents(
  metrics: Metrics,
  tenant: string,
  accepted: number,
  rejected: number,
  duplicates = 0,
): void {
  if (accepted > 0) metrics.eventsAccepted.inc(accepted);
  if (rejected > 0) metrics.eventsRejected.inc(rejected);
  if (duplicates > 0) metrics.eventsDuplicate.inc(duplicates);
}

/**
 * The value of one cookie in a `Cookie` header, URI-decoded. A value that is not valid URI encoding
 * (`dmp_uid=%`) was not written by us (we write `encodeURIComponent`), so it counts as absent: the
 * pixel then gives the browser a new ID, and a broken opt-out cookie is no opt-out, as if it were
 * missing. Example: `cookieFromHeader('a=1; dmp_uid=c%2D1', 'dmp_uid')` -> `'c-1'`.
 */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookie(part.slice(eq + 1).trim());
  }
  return undefined;
}

function decodeCookie(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The `Set-Cookie` value of the visitor ID cookie. Example: `uidCookie('c-1', false)` ->
 * `'dmp_uid=c-1; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax'`.
 */
export function uidCookie(uid: string, https: boolean): string {
  const attributes = https ? 'Secure; SameSite=None' : 'SameSite=Lax';
  return `${UID_COOKIE}=${encodeURIComponent(uid)}; Max-Age=${COOKIE_MAX_AGE_S}; Path=/; HttpOnly; ${attributes}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
