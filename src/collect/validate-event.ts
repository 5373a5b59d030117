import { isIP } from 'node:net';
import type { CollectedEvent, Consent, Device, Geo, Signals, UrlParts, Utm } from '../core/event.ts';
import { kindOf, showValue, unknownFieldsMessage } from './describe-value.ts';
import type { ValidateContext, ValidateResult } from './validate-context.ts';
import { checkConsent, checkId, checkIds, checkSignals, checkTimestamp, isObject } from './event-checks.ts';
import { checkEventId } from './event-checks.ts';
import { checkTrusted } from './trusted-checks.ts';
import { normaliseIds } from '../core/ids/normalise-id.ts';

/**
 * Top-level fields an event may have. `null` in any optional field counts as absent. Ignored (accepted
 * and dropped): `site`, which tags may repeat in the body although the key travels in the query.
 */
export const EVENT_FIELDS: readonly string[] = [
  'uid',
  'ids',
  'type',
  'ts',
  'url',
  'referrer',
  'signals',
  'ip',
  'ua',
  'consent',
  'geo',
  'device',
  'id',
];
const KNOWN: ReadonlySet<string> = new Set([...EVENT_FIELDS, 'site']);
/** the largest time a `Date` can hold */
const MAX_DATE = 8.64e15;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,64}$/;
const EMPTY: Readonly<Geo & Device> = Object.freeze({});

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function reject(index: number, error: string): ValidateResult {
  return { ok: false, rejection: { index, error } };
}

function checkUrl(value: unknown, path: string, ctx: ValidateContext): UrlParts | string {
  if (typeof value !== 'string') return `${path}: expected a URL string, got ${kindOf(value)}`;
  const max = ctx.limits.maxUrlLength;
  if (value.length > max) return `${path}: is ${value.length} characters long; the limit is ${max}`;
  return (
    ctx.enrich.url(value) ??
    `${path}: ${showValue(value)} is not an http(s) URL; send it absolute, like "https://example.com/page"`
  );
}

/**
 * Checks one raw event (as parsed from JSON or mapped from a pixel) against the rules of docs/api.md and
 * enriches it. Refusals name the field path, what is wrong and how to fix it. Objects of the raw event
 * (`signals`, `ids`) are reused, not copied: do not change the raw event afterwards.
 *
 * Example:
 * ```ts
 * const ctx = { now: Date.now(), maxAgeMs: 120 * 86_400_000, maxFutureMs: 300_000, limits: defaultLimits,
 *               trusted: false, ip: '81.2.69.160', enrich: createEnricher({ geo, userAgent }) };
 * validateEvent({ uid: 'c-1', ts: 'yesterday' }, 2, ctx);
 * // { ok: false, rejection: { index: 2, error: 'events[2].ts: "yesterday" is not a timestamp; send epoch milliseconds or ISO-8601' } }
 * ```
 */
export function validateEvent(raw: unknown, index: number, ctx: ValidateContext): ValidateResult {
  const at = `events[${index}]`;
  if (!isObject(raw))
    return reject(index, `${at}: expected an event object like {"uid": "..."}, got ${kindOf(raw)}`);
  let unknown: string[] | undefined;
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) (unknown ??= []).push(key);
  if (unknown !== undefined) return reject(index, unknownFieldsMessage(at, unknown, EVENT_FIELDS));
  const { limits } = ctx;
  let id: string | undefined;
  if (present(raw.id)) {
    const checked = checkEventId(raw.id, `${at}.id`);
    if (!checked.ok) return reject(index, checked.error);
    id = checked.value;
  }

  let ids: Record<string, string> = {};
  let uid = '';
  if (present(raw.ids)) {
    const checked = checkIds(raw.ids, `${at}.ids`, limits);
    if (!checked.ok) return reject(index, checked.error);
    // checked above; reused, not copied, unless a device ID or hash needs its kept form
    ids = normaliseIds(raw.ids as Record<string, string>);
    if (checked.value !== '') uid = `${checked.value}:${ids[checked.value]}`;
  }
  if (present(raw.uid)) {
    const checked = checkId(raw.uid, `${at}.uid`, limits.maxIdLength);
    if (!checked.ok) return reject(index, checked.error);
    uid = checked.value;
  } else if (uid === '') {
    return reject(
      index,
      `${at}: has no visitor ID; send "uid" or at least one entry of "ids" like {"maid": "..."}`,
    );
  }

  let type = 'pageview';
  if (present(raw.type)) {
    if (typeof raw.type !== 'string' || !EVENT_TYPE.test(raw.type)) {
      return reject(
        index,
        `${at}.type: ${showValue(raw.type)} is not an event type; use 1 to 64 of A-Z, a-z, 0-9, _ . : -`,
      );
    }
    type = raw.type;
  }

  let ts = ctx.now;
  if (present(raw.ts)) {
    const checked = checkTimestamp(raw.ts, `${at}.ts`);
    if (!checked.ok) return reject(index, checked.error);
    ts = checked.value;
    if (ts > ctx.now + ctx.maxFutureMs) {
      return reject(
        index,
        `${at}.ts: ${ts <= MAX_DATE ? new Date(ts).toISOString() : showValue(raw.ts)} is in the future; send the time the event happened, in epoch milliseconds`,
      );
    }
    if (ts < ctx.now - ctx.maxAgeMs) {
      const hint = ts < 1e11 ? ' (it looks like seconds: multiply by 1000)' : '';
      return reject(
        index,
        `${at}.ts: ${showValue(raw.ts)} is older than the longest trait lifetime${hint}; send events younger than ${Math.floor(ctx.maxAgeMs / 86_400_000)} days`,
      );
    }
  }

  let url: UrlParts | undefined;
  if (present(raw.url)) {
    const checked = checkUrl(raw.url, `${at}.url`, ctx);
    if (typeof checked === 'string') return reject(index, checked);
    url = checked;
  }
  let referrer: { href: string; host: string } | undefined;
  if (present(raw.referrer)) {
    const checked = checkUrl(raw.referrer, `${at}.referrer`, ctx);
    if (typeof checked === 'string') return reject(index, checked);
    referrer = { href: checked.href, host: checked.host };
  }

  let signals: Signals = {};
  if (present(raw.signals)) {
    const error = checkSignals(raw.signals, `${at}.signals`, limits);
    if (error !== undefined) return reject(index, error);
    signals = raw.signals as Signals; // checked above; reused, not copied
  }

  let consent: Consent | undefined;
  if (present(raw.consent)) {
    const checked = checkConsent(raw.consent, `${at}.consent`, limits);
    if (!checked.ok) return reject(index, checked.error);
    consent = checked.value;
  }
  if (ctx.gpc === true) (consent ??= {}).gpc = true;

  let ip = ctx.ip;
  if (present(raw.ip)) {
    if (typeof raw.ip !== 'string' || isIP(raw.ip) === 0) {
      return reject(index, `${at}.ip: ${showValue(raw.ip)} is not an IPv4 or IPv6 address`);
    }
    ip = raw.ip;
  }
  let ua = ctx.ua;
  if (present(raw.ua)) {
    if (typeof raw.ua !== 'string')
      return reject(index, `${at}.ua: expected a User-Agent string, got ${kindOf(raw.ua)}`);
    if (raw.ua.length > limits.maxUserAgentLength) {
      return reject(
        index,
        `${at}.ua: is ${raw.ua.length} characters long; the limit is ${limits.maxUserAgentLength}`,
      );
    }
    ua = raw.ua;
  } else if (ua !== undefined && ua.length > limits.maxUserAgentLength) {
    ua = ua.slice(0, limits.maxUserAgentLength);
  }

  let geo: Geo | undefined;
  let device: Device | undefined;
  if (present(raw.geo) || present(raw.device)) {
    const checked = checkTrusted(raw.geo, raw.device, at, ctx.trusted);
    if (!checked.ok) return reject(index, checked.error);
    ({ geo, device } = checked.value);
  }

  // Enrichment: geo is looked up on the whole address, then only the truncated one is kept.
  const { enrich } = ctx;
  geo ??= ip === undefined ? EMPTY : enrich.geo(ip);
  device ??= ua === undefined ? EMPTY : enrich.device(ua);
  const utm: Utm = url === undefined ? {} : enrich.utm(url.query);
  const event: CollectedEvent = {
    uid,
    ids,
    type,
    ts,
    url,
    referrer,
    utm,
    signals,
    geo,
    device,
    ip: ip === undefined ? undefined : enrich.truncateIp(ip),
    consent,
  };
  // only when given: events without one keep the shape (and the log bytes) they had
  if (id !== undefined) event.id = id;
  return { ok: true, event };
}
