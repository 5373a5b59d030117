import { isIP } from 'node:net';
import { DAY_MS } from '../core/clock.ts';
import type { Consent, Device, Geo, Signals, UrlParts } from '../core/event.ts';
import { kindOf, showValue } from './describe-value.ts';
import {
  checkConsent,
  checkEventId,
  checkId,
  checkIds,
  checkSignals,
  checkTimestamp,
} from './event-checks.ts';
import type { Checked } from './event-checks.ts';
import { checkSentDevice, checkSentGeo } from './trusted-checks.ts';
import type { ValidateContext } from './validate-context.ts';

/** the largest time a `Date` can hold */
const MAX_DATE = 8.64e15;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * An event as its field checks accept it, before enrichment: the request's defaults (`startDraft`), each
 * replaced by the field the event sends, once checked.
 */
export interface EventDraft {
  id: string | undefined;
  ids: Record<string, string>;
  /** '' until `uid` or `ids` gives one */
  uid: string;
  type: string;
  ts: number;
  url: UrlParts | undefined;
  referrer: { href: string; host: string } | undefined;
  signals: Signals;
  consent: Consent | undefined;
  ip: string | undefined;
  ua: string | undefined;
  geo: Geo | undefined;
  device: Device | undefined;
}

/** The draft of an event that sends nothing: the defaults, most from the request. Example: `startDraft(ctx).type` -> `'pageview'`. */
export function startDraft(ctx: ValidateContext): EventDraft {
  return {
    id: undefined,
    ids: {},
    uid: '',
    type: 'pageview',
    ts: ctx.now,
    url: undefined,
    referrer: undefined,
    signals: {},
    consent: undefined,
    ip: ctx.ip,
    ua: ctx.ua,
    geo: undefined,
    device: undefined,
  };
}

/**
 * The check of one top-level field of an event. `check` takes a present value (neither undefined nor
 * null: `null` counts as absent), its path (`events[2].ts`) for the message, and keeps what it accepts in
 * the draft; `absent` says whether leaving the field out is itself wrong. Both return the refusal's
 * message, or undefined.
 */
export interface FieldCheck {
  readonly field: string;
  readonly check: (
    value: unknown,
    path: string,
    draft: EventDraft,
    ctx: ValidateContext,
  ) => string | undefined;
  readonly absent: ((draft: EventDraft, at: string) => string | undefined) | undefined;
}

/** A row of the table (every row the same shape). */
function field(name: string, check: FieldCheck['check'], absent?: FieldCheck['absent']): FieldCheck {
  return { field: name, check, absent };
}

/**
 * The field checks of an event, in the order they run: the first refusal is the one reported, so the
 * order is part of the behaviour (`ids` before `uid`, which it may stand for; an event without either is
 * refused before its other fields are looked at).
 *
 * Example: `FIELD_CHECKS.map((c) => c.field)` -> `['id', 'ids', 'uid', 'type', 'ts', ...]`.
 */
export const FIELD_CHECKS: readonly FieldCheck[] = [
  field('id', (value, path, draft) => {
    const checked = checkEventId(value, path);
    if (!checked.ok) return checked.error;
    draft.id = checked.value;
    return undefined;
  }),
  field('ids', (value, path, draft, ctx) => {
    const checked = checkIds(value, path, ctx.limits);
    if (!checked.ok) return checked.error;
    // checked and in their kept form; the object sent, not a copy, unless a device ID or hash changed
    const { ids, least } = checked.value;
    draft.ids = ids;
    if (least !== '') draft.uid = `${least}:${ids[least]}`;
    return undefined;
  }),
  field(
    'uid',
    (value, path, draft, ctx) => {
      const checked = checkId(value, path, ctx.limits.maxIdLength);
      if (!checked.ok) return checked.error;
      draft.uid = checked.value;
      return undefined;
    },
    (draft, at) =>
      draft.uid === ''
        ? `${at}: has no visitor ID; send "uid" or at least one entry of "ids" like {"maid": "..."}`
        : undefined,
  ),
  field('type', (value, path, draft) => {
    if (typeof value !== 'string' || !EVENT_TYPE.test(value))
      return `${path}: ${showValue(value)} is not an event type; use 1 to 64 of A-Z, a-z, 0-9, _ . : -`;
    draft.type = value;
    return undefined;
  }),
  field('ts', (value, path, draft, ctx) => {
    const checked = checkEventTime(value, path, ctx);
    if (!checked.ok) return checked.error;
    draft.ts = checked.value;
    return undefined;
  }),
  field('url', (value, path, draft, ctx) => {
    const url = checkUrl(value, path, ctx);
    if (typeof url === 'string') return url;
    draft.url = url;
    return undefined;
  }),
  field('referrer', (value, path, draft, ctx) => {
    const url = checkUrl(value, path, ctx);
    if (typeof url === 'string') return url;
    draft.referrer = { href: url.href, host: url.host };
    return undefined;
  }),
  field('signals', (value, path, draft, ctx) => {
    const error = checkSignals(value, path, ctx.limits);
    if (error !== undefined) return error;
    draft.signals = value as Signals; // checked; reused, not copied
    return undefined;
  }),
  field('consent', (value, path, draft, ctx) => {
    const checked = checkConsent(value, path, ctx.limits);
    if (!checked.ok) return checked.error;
    draft.consent = checked.value;
    return undefined;
  }),
  field('ip', (value, path, draft) => {
    if (typeof value !== 'string' || isIP(value) === 0)
      return `${path}: ${showValue(value)} is not an IPv4 or IPv6 address`;
    draft.ip = value;
    return undefined;
  }),
  field('ua', (value, path, draft, ctx) => {
    if (typeof value !== 'string') return `${path}: expected a User-Agent string, got ${kindOf(value)}`;
    const max = ctx.limits.maxUserAgentLength;
    if (value.length > max) return `${path}: is ${value.length} characters long; the limit is ${max}`;
    draft.ua = value;
    return undefined;
  }),
  field('geo', (value, path, draft, ctx) => {
    const checked = checkSentGeo(value, path, ctx.trusted);
    if (!checked.ok) return checked.error;
    draft.geo = checked.value;
    return undefined;
  }),
  field('device', (value, path, draft, ctx) => {
    const checked = checkSentDevice(value, path, ctx.trusted);
    if (!checked.ok) return checked.error;
    draft.device = checked.value;
    return undefined;
  }),
];

/** A sent `ts`: a timestamp (`checkTimestamp`) no later than the clock skew allows, no older than the longest lifetime. */
function checkEventTime(value: unknown, path: string, ctx: ValidateContext): Checked<number> {
  const checked = checkTimestamp(value, path);
  if (!checked.ok) return checked;
  const ts = checked.value;
  if (ts > ctx.now + ctx.maxFutureMs) {
    const when = ts <= MAX_DATE ? new Date(ts).toISOString() : showValue(value);
    return {
      ok: false,
      error: `${path}: ${when} is in the future; send the time the event happened, in epoch milliseconds`,
    };
  }
  if (ts < ctx.now - ctx.maxAgeMs) {
    const hint = ts < 1e11 ? ' (it looks like seconds: multiply by 1000)' : '';
    return {
      ok: false,
      error: `${path}: ${showValue(value)} is older than the longest trait lifetime${hint}; send events younger than ${Math.floor(ctx.maxAgeMs / DAY_MS)} days`,
    };
  }
  return checked;
}

/**
 * An absolute http(s) URL of at most `maxUrlLength` characters, split into its parts by the enricher;
 * else the refusal (a string: no wrapper object, twice per event).
 */
function checkUrl(value: unknown, path: string, ctx: ValidateContext): UrlParts | string {
  if (typeof value !== 'string') return `${path}: expected a URL string, got ${kindOf(value)}`;
  const max = ctx.limits.maxUrlLength;
  if (value.length > max) return `${path}: is ${value.length} characters long; the limit is ${max}`;
  return (
    ctx.enrich.url(value) ??
    `${path}: ${showValue(value)} is not an http(s) URL; send it absolute, like "https://example.com/page"`
  );
}
