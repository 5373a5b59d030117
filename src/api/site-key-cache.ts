import type { SiteKeyInfo, SiteKeyLookup } from '../governance/site-key-service.ts';
import { ServiceError } from '../core/service-error.ts';
import { KnownKeys } from './known-keys.ts';

/** How long a known site key's tenant and origins are reused before the site-key service is asked again. */
export const SITE_KEY_TTL_MS = 1_000;

/**
 * The collector's view of site keys (`KnownKeys`): a known key's tenant and origins are kept for
 * `ttlMs`, so the pixel does not look the key up (an SQLite query) per request; a change of a key's origins reaches
 * collection within `ttlMs`.
 *
 * Example: `const sites = new SiteKeyCache(siteKeys); await sites.get('site_Jx3k...'); sites.peek('site_Jx3k...');`
 */
export class SiteKeyCache extends KnownKeys<SiteKeyInfo> {
  constructor(
    siteKeys: SiteKeyLookup,
    now: () => number = Date.now,
    ttlMs = SITE_KEY_TTL_MS,
    maxKeys = 10_000,
  ) {
    super((key) => siteKeys.info(key), now, ttlMs, maxKeys);
  }
}

/**
 * The tenant and origins of a public route's site key: 401 when none is sent (`hint` says how to send
 * one), 403 when it is not a valid key. Example: `await requireSiteKey(sites, query.site)`.
 */
export async function requireSiteKey(
  sites: SiteKeyCache,
  site: string | undefined,
  hint = 'send the site key as ?site=SITEKEY',
): Promise<SiteKeyInfo> {
  if (site === undefined || site === '') throw new ServiceError(401, 'unauthorized', hint, { field: 'site' });
  const info = await sites.get(site);
  if (info === undefined)
    throw new ServiceError(403, 'forbidden', 'the site key is not valid', { field: 'site' });
  return info;
}
