import type { TagConfig } from './config.ts';
import type { ConsentState } from './consent.ts';
import { guard } from './guard.ts';

/** An event's signals as sent: each a list of strings. Example: `{ value: ['120'], tags: ['a', 'b'] }`. */
export type Signals = Record<string, string[]>;

/**
 * The signals of `opendmp.push(["event", "cart", { value: 120, tags: ["a"] }])`, copied at once into
 * plain lists of strings: strings, numbers and booleans and lists of them; anything else (objects, a
 * getter that throws, a cycle) is left out, so that nothing the page passed can fail later.
 */
export function cleanSignals(raw: unknown): Signals | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const out: Signals = {};
  for (const key of Object.keys(raw).slice(0, 50)) {
    try {
      const value = (raw as Record<string, unknown>)[key];
      const list = (Array.isArray(value) ? (value as unknown[]) : [value]).filter(
        (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
      );
      if (list.length > 0) out[key] = list.map(String);
    } catch {
      // a getter that throws: left out
    }
  }
  return out;
}

/** One event to send. Example: `{ type: 'pageview', url: location.href, ref: document.referrer }`. */
export interface TagEvent {
  type: string;
  url: string;
  ref: string;
  signals?: Signals;
}

/** Where cookies are refused, the visitor's ID is kept here instead (and sent as `uid`). */
const FALLBACK_ID = 'opendmp_uid';

/** The consent parameters of the DMP's browser routes (`gdpr`, `gdpr_consent`, ...). */
export function consentParams(c: ConsentState, into: URLSearchParams): URLSearchParams {
  if (c.gdpr !== undefined) into.set('gdpr', String(c.gdpr));
  if (c.tcf !== undefined) into.set('gdpr_consent', c.tcf);
  if (c.usp !== undefined) into.set('us_privacy', c.usp);
  if (c.gpp !== undefined) into.set('gpp', c.gpp);
  if (c.gppSid !== undefined) into.set('gpp_sid', c.gppSid.join(','));
  return into;
}

/**
 * The `GET /px` URL of an event: signals as `s.KEY` (a list repeats the key; objects are skipped), the
 * consent, and `uid` only where the browser refuses cookies (else the DMP's own `dmp_uid` cookie is the ID).
 */
export function pixelUrl(cfg: TagConfig, c: ConsentState, e: TagEvent): string {
  const q = new URLSearchParams({ site: cfg.site, e: e.type, url: e.url });
  if (e.ref !== '') q.set('ref', e.ref);
  for (const key of Object.keys(e.signals ?? {})) {
    for (const v of e.signals?.[key] ?? []) q.append('s.' + key, v);
  }
  const uid = fallbackId(true);
  if (uid !== undefined) q.set('uid', uid);
  return cfg.base + '/px?' + consentParams(c, q).toString();
}

/**
 * Sends an event with `fetch` and `keepalive` (it survives the page being left), with credentials so that
 * the DMP reads and sets its ID cookie; `no-cors`, as an image would, since the answer is not read.
 * Resolves when the DMP has answered (the event is then stored), or failed; never rejects.
 */
export function send(url: string): Promise<void> {
  if (typeof fetch !== 'function') {
    new Image().src = url;
    return Promise.resolve();
  }
  return fetch(url, { keepalive: true, credentials: 'include', mode: 'no-cors' }).then(
    () => undefined,
    () => undefined,
  );
}

/** The answer of `GET /v1/page/targeting` (the parts the tag uses). */
export interface PageAnswer {
  ortb2?: { user?: { data?: unknown[] } };
  targeting?: Record<string, string[]>;
}

/**
 * Asks the DMP for this browser's targeting for one destination (its cookie, read under CORS with
 * credentials: the page's origin must be on the site key). Undefined when it cannot be had.
 */
export function targeting(
  cfg: TagConfig,
  c: ConsentState,
  destination: string,
): Promise<PageAnswer | undefined> {
  // without cookies the DMP cannot tell this browser (page targeting never answers for a uid we name)
  if (fallbackId(false) !== undefined) return Promise.resolve(undefined);
  const q = consentParams(c, new URLSearchParams({ site: cfg.site, destination }));
  return fetch(cfg.base + '/v1/page/targeting?' + q.toString(), { credentials: 'include' })
    .then((r) => (r.ok ? (r.json() as Promise<PageAnswer>) : undefined))
    .catch(() => undefined);
}

interface SyncAnswer {
  bidder_status?: { usersync?: { url?: string; type?: string } }[];
}

/**
 * The ID syncs of `POST /cookie_sync` (docs/identity.md): the DMP says which partners need one, and each
 * is loaded as an image (`redirect`) or a hidden iframe, as Prebid.js loads them. A `text/plain` body, so
 * that the browser sends no preflight.
 */
export function syncIds(cfg: TagConfig, c: ConsentState): void {
  // without cookies a partner's ID could not come back to this browser's visitor (`/setuid` reads the cookie)
  if (fallbackId(false) !== undefined) return;
  const body = JSON.stringify({
    gdpr: c.gdpr,
    gdpr_consent: c.tcf,
    us_privacy: c.usp,
    gpp: c.gpp,
    gpp_sid: c.gppSid,
  });
  fetch(cfg.base + '/cookie_sync?site=' + encodeURIComponent(cfg.site), {
    method: 'POST',
    credentials: 'include',
    body,
  })
    .then((r) => (r.ok ? (r.json() as Promise<SyncAnswer>) : {}))
    .then(
      guard((answer: SyncAnswer) => {
        for (const status of answer.bidder_status ?? []) {
          const url = status.usersync?.url;
          if (typeof url !== 'string' || !/^https?:/.test(url)) continue;
          if (status.usersync?.type === 'iframe') {
            const frame = document.createElement('iframe');
            frame.style.display = 'none';
            frame.src = url;
            document.body.appendChild(frame);
          } else new Image().src = url;
        }
      }),
    )
    .catch(() => undefined);
}

/**
 * The visitor's ID kept by the tag where the browser refuses cookies (`navigator.cookieEnabled` false):
 * made when `create` and missing. Undefined where cookies work (the DMP's cookie is the ID) or where
 * storage is refused too.
 */
export function fallbackId(create: boolean): string | undefined {
  if (navigator.cookieEnabled) return undefined;
  try {
    let id = localStorage.getItem(FALLBACK_ID);
    if (id === null && create) {
      id = 't-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      localStorage.setItem(FALLBACK_ID, id);
    }
    return id ?? undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the fallback ID (consent withdrawn). */
export function forgetId(): void {
  try {
    localStorage.removeItem(FALLBACK_ID);
  } catch {
    // storage refused: nothing kept
  }
}
