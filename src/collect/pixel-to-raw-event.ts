/** A query string as a web framework gives it: repeated keys as lists. */
export type PixelQuery = Record<string, string | string[] | undefined>;

const DIGITS = /^\d+$/;

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === '' ? undefined : text;
}

function numberIfDigits(text: string): number | string {
  return DIGITS.test(text) ? Number(text) : text;
}

/**
 * Maps the parameters of `GET /px` (docs/api.md, Collection) to the raw event shape `validateEvent` takes,
 * so that the pixel and `POST /v1/events` share one validator. `e` -> `type`, `url`, `ref` ->
 * `referrer` (`url` defaults to the `Referer` header), `uid`, `id` (the event's own ID: a pixel fired
 * again with the same one counts once), `s.KEY` -> `signals.KEY` (a repeated key gives a list; values
 * stay strings, which the rule language compares as numbers when numeric), `i.TYPE` -> `ids.TYPE` (an ID
 * of the visitor besides the cookie, e.g. `i.email_sha256` at a login: checked as any event's `ids`), `ts`,
 * and consent: `gdpr` -> `consent.gdpr` (a number when 0 or 1), `gdpr_consent` -> `tcf`, `us_privacy`
 * -> `usp`, `gpp`, `gpp_sid` (comma-separated) -> `gppSid`. Empty parameters count as absent (except
 * signals); `site` and any other parameter (cache busters) are ignored.
 *
 * Example:
 * ```ts
 * pixelToRawEvent({ site: 'k', e: 'click', 's.tag': ['a', 'b'], gdpr: '1', gpp_sid: '2,7' }, 'https://shop.example.com/');
 * // { type: 'click', url: 'https://shop.example.com/', signals: { tag: ['a', 'b'] },
 * //   consent: { gdpr: 1, gppSid: [2, 7] } }
 * ```
 */
export function pixelToRawEvent(query: PixelQuery, referer: string | undefined): unknown {
  const raw: Record<string, unknown> = {};
  const type = first(query.e);
  if (type !== undefined) raw.type = type;
  const url = first(query.url) ?? (referer === '' ? undefined : referer);
  if (url !== undefined) raw.url = url;
  const referrer = first(query.ref);
  if (referrer !== undefined) raw.referrer = referrer;
  const uid = first(query.uid);
  if (uid !== undefined) raw.uid = uid;
  const ts = first(query.ts);
  if (ts !== undefined) raw.ts = ts;
  const id = first(query.id);
  if (id !== undefined) raw.id = id;

  let signals: Record<string, string | string[]> | undefined;
  let ids: Record<string, string | string[]> | undefined;
  for (const key of Object.keys(query)) {
    if (key.startsWith('i.')) {
      const value = query[key];
      const type = key.slice(2);
      // a repeated ID type stays a list, which the check of `ids` refuses with its path
      if (value !== undefined && type !== '__proto__')
        (ids ??= {})[type] = Array.isArray(value) && value.length === 1 ? (value[0] ?? '') : value;
      continue;
    }
    if (!key.startsWith('s.')) continue;
    const value = query[key];
    const name = key.slice(2);
    if (value === undefined || name === '__proto__') continue;
    (signals ??= {})[name] = Array.isArray(value) && value.length === 1 ? (value[0] ?? '') : value;
  }
  if (signals !== undefined) raw.signals = signals;
  if (ids !== undefined) raw.ids = ids;

  const consent: Record<string, unknown> = {};
  const gdpr = first(query.gdpr);
  if (gdpr !== undefined) consent.gdpr = gdpr === '0' || gdpr === '1' ? Number(gdpr) : gdpr;
  const tcf = first(query.gdpr_consent);
  if (tcf !== undefined) consent.tcf = tcf;
  const usp = first(query.us_privacy);
  if (usp !== undefined) consent.usp = usp;
  const gpp = first(query.gpp);
  if (gpp !== undefined) consent.gpp = gpp;
  const gppSid = first(query.gpp_sid);
  if (gppSid !== undefined) consent.gppSid = gppSid.split(',').map(numberIfDigits);
  if (Object.keys(consent).length > 0) raw.consent = consent;
  return raw;
}
