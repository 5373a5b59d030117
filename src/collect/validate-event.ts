import type { CollectedEvent, Device, Geo } from '../core/event.ts';
import { kindOf, unknownFieldsMessage } from './describe-value.ts';
import { isObject } from './event-checks.ts';
import { FIELD_CHECKS, startDraft, type EventDraft, type FieldCheck } from './event-field-checks.ts';
import type { ValidateContext, ValidateResult } from './validate-context.ts';

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
const EMPTY: Readonly<Geo & Device> = Object.freeze({});

function reject(index: number, error: string): ValidateResult {
  return { ok: false, rejection: { index, error } };
}

/**
 * Checks one raw event (as parsed from JSON or mapped from a pixel) against the rules of docs/api.md and
 * enriches it: no unknown field, then each field through its check (`FIELD_CHECKS`, in order: the first
 * refusal is the answer), then the enrichment. Refusals name the field path, what is wrong and how to
 * fix it. Objects of the raw event (`signals`, `ids`) are reused, not copied: do not change the raw
 * event afterwards.
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
  const draft = startDraft(ctx);
  for (let i = 0; i < FIELD_CHECKS.length; i++) {
    const { field, check, absent } = FIELD_CHECKS[i] as FieldCheck;
    const value = raw[field];
    const error =
      value !== undefined && value !== null
        ? check(value, `${at}.${field}`, draft, ctx)
        : absent?.(draft, at);
    if (error !== undefined) return reject(index, error);
  }
  return { ok: true, event: enriched(draft, ctx) };
}

/**
 * The collected event of an accepted draft. What the event did not send is derived: consent carries the
 * request's GPC signal; geo is looked up on the whole address, then only the truncated address is kept;
 * the device is parsed from the User-Agent (the request's cut to the limit); UTM tags come from the URL.
 */
function enriched(draft: EventDraft, ctx: ValidateContext): CollectedEvent {
  const { enrich } = ctx;
  const { ip, url } = draft;
  let { ua, consent } = draft;
  if (ctx.gpc === true) (consent ??= {}).gpc = true;
  const max = ctx.limits.maxUserAgentLength;
  if (ua !== undefined && ua.length > max) ua = ua.slice(0, max);
  const geo = draft.geo ?? (ip === undefined ? EMPTY : enrich.geo(ip));
  const device = draft.device ?? (ua === undefined ? EMPTY : enrich.device(ua));
  const event: CollectedEvent = {
    uid: draft.uid,
    ids: draft.ids,
    type: draft.type,
    ts: draft.ts,
    url,
    referrer: draft.referrer,
    utm: url === undefined ? {} : enrich.utm(url.query),
    signals: draft.signals,
    geo,
    device,
    ip: ip === undefined ? undefined : enrich.truncateIp(ip),
    consent,
  };
  // only when given: events without one keep the shape (and the log bytes) they had
  if (draft.id !== undefined) event.id = draft.id;
  return event;
}
