/**
 * The tag's settings, read once from its own `<script>` element:
 *
 * ```html
 * <script async src="https://dmp.shop.example/tag.js" data-site="SITEKEY"
 *   data-consent-timeout="5000" data-auction-delay="500" data-prebid="prebid" data-gam="gam"></script>
 * ```
 *
 * `data-site` (or `?site=` on the `src`) is required; everything else has a default. The DMP's address is
 * where the tag itself came from.
 */
export interface TagConfig {
  /** the DMP's base URL: the tag's `src` without `/tag.js` and its query */
  base: string;
  /** the site key */
  site: string;
  /** how long to wait for the CMP's answer where one is on the page (ms) */
  consentTimeoutMs: number;
  /** the longest a Prebid auction waits for the visitor's segments (ms) */
  auctionDelayMs: number;
  /** the destination codes asked for Prebid `ortb2.user.data` and for Ad Manager key-values ('' : none) */
  prebid: string;
  gam: string;
  /** the name of the page's Prebid global (`pbjs` unless the page renamed it) */
  pbjsGlobal: string;
  /** GDPR applies on this site even when no CMP answers: nothing is sent without a CMP's consent */
  gdpr: boolean;
  /** whether the tag fires the ID syncs of `/cookie_sync` */
  sync: boolean;
}

const DEFAULTS = { consentTimeoutMs: 5000, auctionDelayMs: 500 };

/** A non-negative integer attribute, else the default. Example: `count('250', 500)` -> 250. */
function count(value: string | null, fallback: number): number {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

/**
 * The settings of the script element `script` (its `src` and `data-*`), or undefined when there is no
 * site key (the tag then does nothing at all).
 */
export function readConfig(script: HTMLScriptElement | null): TagConfig | undefined {
  if (script === null || script.src === '') return undefined;
  const src = new URL(script.src, location.href);
  const data = (name: string): string | null => script.getAttribute('data-' + name);
  const site = data('site') ?? src.searchParams.get('site') ?? '';
  if (site === '') return undefined;
  return {
    base: src.origin + src.pathname.replace(/\/tag\.js$/, ''),
    site,
    consentTimeoutMs: count(data('consent-timeout'), DEFAULTS.consentTimeoutMs),
    auctionDelayMs: count(data('auction-delay'), DEFAULTS.auctionDelayMs),
    prebid: data('prebid') ?? 'prebid',
    gam: data('gam') ?? 'gam',
    pbjsGlobal: data('pbjs') ?? 'pbjs',
    gdpr: data('gdpr') === '1',
    sync: data('sync') !== '0',
  };
}

/** The tag's own script element: `document.currentScript` while it runs, else the first `tag.js` one. */
export function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[src*="/tag.js"]');
}
