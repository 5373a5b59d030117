import type { SiteKeyStore } from './site-key-store.ts';
import type { SiteKeyRow } from './site-key-row.ts';
import { originsFromJson, siteKeyColumns as columns, toSiteKey } from './site-key-row.ts';
import { CatalogError } from './catalog-error.ts';
import { generateSiteKey } from './api-key.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';
import { normaliseOrigins } from './site-origin.ts';

/**
 * Site keys and the origins allowed to send with them, on SQLite. The origins are stored normalised
 * (`normaliseOrigins`) as a JSON array; a tenant's first site key (from `createTenant`) allows `*`.
 *
 * Example:
 * ```ts
 * const key = await keys.createSiteKey('acme', ['https://shop.example.com']);
 * await keys.siteKeyInfo(key); // -> { tenant: 'acme', origins: ['https://shop.example.com'] }
 * ```
 */
export function sqliteSiteKeys(ctx: CatalogContext): SiteKeyStore {
  const { db } = ctx;
  const byKey = db.prepare<[string], SiteKeyRow>(`SELECT ${columns} FROM site_keys WHERE key = ?`);
  const keysOf = db.prepare<[string], SiteKeyRow>(
    `SELECT ${columns} FROM site_keys WHERE tenant = ? ORDER BY created_at, rowid`,
  );
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO site_keys (key, tenant, origins, created_at) VALUES (?, ?, ?, ?)',
  );
  const setOrigins = db.prepare<[string, string, string], SiteKeyRow>(
    `UPDATE site_keys SET origins = ? WHERE tenant = ? AND key = ? RETURNING ${columns}`,
  );

  const lookUp = (key: unknown): SiteKeyRow | undefined =>
    typeof key === 'string' ? byKey.get(key) : undefined;

  const create = db.transaction((tenant: string, origins: string[]): string => {
    requireTenant(ctx, tenant);
    const normal = normaliseOrigins(origins);
    const key = generateSiteKey();
    insert.run(key, tenant, JSON.stringify(normal), ctx.now());
    return key;
  });

  return {
    async tenantForSiteKey(siteKey) {
      return lookUp(siteKey)?.tenant;
    },
    async createSiteKey(tenant, origins) {
      return create(tenant, origins);
    },
    async listSiteKeys(tenant) {
      return keysOf.all(tenant).map(toSiteKey);
    },
    async updateSiteKey(tenant, key, origins) {
      const normal = normaliseOrigins(origins);
      const row = typeof key === 'string' ? setOrigins.get(JSON.stringify(normal), tenant, key) : undefined;
      if (!row) throw new CatalogError('not_found', 'site key does not exist in this tenant');
      return toSiteKey(row);
    },
    async siteKeyInfo(key) {
      const row = lookUp(key);
      return row && { tenant: row.tenant, origins: originsFromJson(row.origins) };
    },
  };
}
