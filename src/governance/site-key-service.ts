import type { Catalog } from '../catalog/catalog.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { Audit } from './audit.ts';

/**
 * Whether a request's `Origin` is among a site key's allowed origins (`['*']` allows any), compared in
 * the normal form browsers send. Re-exported from the catalog, which normalises origins when it stores
 * them, so that the collector compares them the same way.
 *
 * Example: `originAllowed(['https://shop.example.com'], 'https://SHOP.example.com')` -> `true`.
 */
export { originAllowed } from '../catalog/site-origin.ts';

/** A site key with its origins, and what collection needs to know of one: as the catalog keeps them. */
export type { SiteKey, SiteKeyInfo } from '../catalog/site-key-store.ts';
import type { SiteKey, SiteKeyInfo } from '../catalog/site-key-store.ts';

/** The site-key look-up collection uses (`SiteKeyService` implements it; the API caches it). */
export interface SiteKeyLookup {
  /** the tenant and origins of a site key; `undefined` when it is not a valid key */
  info(key: string): Promise<SiteKeyInfo | undefined>;
}

/**
 * Site keys: the public keys pages collect and ask for targeting with, and the origins each may be used
 * from. Changing a key's origins is audited (`sitekey.update`, the key's first 12 characters as target).
 *
 * Example:
 * ```ts
 * const siteKeys = new SiteKeyService(catalog, audit);
 * await siteKeys.setOrigins('acme', 'site_Jx3k...', ['https://shop.example.com'], 'key:3f2a9c0d1b7e4a65');
 * await siteKeys.info('site_Jx3k...'); // -> { tenant: 'acme', origins: ['https://shop.example.com'] }
 * ```
 */
export class SiteKeyService implements SiteKeyLookup {
  constructor(
    private readonly catalog: Pick<Catalog, 'listSiteKeys' | 'updateSiteKey' | 'siteKeyInfo'>,
    private readonly audit: Pick<Audit, 'record'>,
  ) {}

  /** The tenant's site keys with their origins. */
  list(tenant: string): Promise<SiteKey[]> {
    return this.catalog.listSiteKeys(tenant);
  }

  info(key: string): Promise<SiteKeyInfo | undefined> {
    return this.catalog.siteKeyInfo(key);
  }

  /**
   * Replaces the origins of one of the tenant's site keys (normalised; `['*']` for any) and audits the
   * change. 404 for a key of another tenant or none, 422 naming a bad origin.
   */
  async setOrigins(tenant: string, key: string, origins: string[], actor: string): Promise<SiteKey> {
    const before = (await this.catalog.listSiteKeys(tenant)).find((k) => k.key === key);
    const after = await wrap(this.catalog.updateSiteKey(tenant, key, origins));
    await this.audit.record(
      tenant,
      actor,
      'sitekey.update',
      `sitekey:${after.key.slice(0, 12)}`,
      before === undefined ? undefined : { origins: before.origins },
      { origins: after.origins },
    );
    return after;
  }
}
