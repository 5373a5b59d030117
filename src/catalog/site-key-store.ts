/**
 * A site key and the origins that may send with it (`['*']`: any).
 *
 * Example: `{ key: 'site_Jx3k...', origins: ['https://shop.example.com'], createdAt: '2026-01-01T00:00:00.000Z' }`
 */
export interface SiteKey {
  key: string;
  origins: string[];
  createdAt: string;
}

/**
 * What the collector needs to know about a site key.
 *
 * Example: `{ tenant: 'acme', origins: ['https://shop.example.com', 'http://localhost:8080'] }`
 */
export interface SiteKeyInfo {
  tenant: string;
  origins: string[];
}

/**
 * Site keys and the origins allowed to send with them. Origins are stored normalised
 * (`normaliseOrigins`); a tenant's first site key (from `createTenant`) allows `*`. The key look-ups
 * take no tenant: the key says whose it is.
 *
 * Example:
 * ```ts
 * const key = await siteKeys.createSiteKey('acme', ['https://shop.example.com']);
 * await siteKeys.siteKeyInfo(key); // -> { tenant: 'acme', origins: ['https://shop.example.com'] }
 * ```
 */
export interface SiteKeyStore {
  /** The tenant the site key belongs to. */
  tenantForSiteKey(siteKey: string): Promise<string | undefined>;
  /** Makes a site key allowed from these origins (normalised; `['*']` for any); `invalid` for a bad origin. */
  createSiteKey(tenant: string, origins: string[]): Promise<string>;
  /** The tenant's site keys, oldest first. */
  listSiteKeys(tenant: string): Promise<SiteKey[]>;
  /** Replaces the allowed origins of one of the tenant's site keys; `not_found` for another tenant's key. */
  updateSiteKey(tenant: string, key: string, origins: string[]): Promise<SiteKey>;
  /** The tenant and allowed origins of a site key, for the collector's CORS check. */
  siteKeyInfo(key: string): Promise<SiteKeyInfo | undefined>;
}
