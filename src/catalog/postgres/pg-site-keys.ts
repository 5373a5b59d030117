import type { SiteKeyStore } from '../site-key-store.ts';
import type { SiteKeyRow } from '../site-key-row.ts';
import { originsFromJson, siteKeyColumns as columns, toSiteKey } from '../site-key-row.ts';
import { CatalogError } from '../catalog-error.ts';
import { generateSiteKey } from '../api-key.ts';
import { normaliseOrigins } from '../site-origin.ts';
import type { PgContext } from './pg-sql.ts';
import { all, one, requireTenantPg } from './pg-sql.ts';

/**
 * Site keys and the origins allowed to send with them, on PostgreSQL (origins normalised, as a JSON array).
 *
 * Example:
 * ```ts
 * const key = await pgSiteKeys(ctx).createSiteKey('acme', ['https://shop.example.com']);
 * ```
 */
export function pgSiteKeys(ctx: PgContext): SiteKeyStore {
  const { pool } = ctx;
  const lookUp = async (key: unknown): Promise<SiteKeyRow | undefined> =>
    typeof key === 'string'
      ? one<SiteKeyRow>(pool, `SELECT ${columns} FROM site_keys WHERE key = $1`, [key])
      : undefined;

  return {
    async tenantForSiteKey(siteKey) {
      return (await lookUp(siteKey))?.tenant;
    },
    async createSiteKey(tenant, origins) {
      return ctx.write(tenant, 'site-key', async (sql) => {
        await requireTenantPg(sql, tenant);
        const normal = normaliseOrigins(origins);
        const key = generateSiteKey();
        await sql.query('INSERT INTO site_keys (key, tenant, origins, created_at) VALUES ($1, $2, $3, $4)', [
          key,
          tenant,
          JSON.stringify(normal),
          ctx.now(),
        ]);
        return key;
      });
    },
    async listSiteKeys(tenant) {
      const rows = await all<SiteKeyRow>(
        pool,
        `SELECT ${columns} FROM site_keys WHERE tenant = $1 ORDER BY created_at, seq`,
        [tenant],
      );
      return rows.map(toSiteKey);
    },
    async updateSiteKey(tenant, key, origins) {
      const normal = normaliseOrigins(origins);
      const row =
        typeof key === 'string'
          ? await ctx.write(tenant, 'site-key', (sql) =>
              one<SiteKeyRow>(
                sql,
                `UPDATE site_keys SET origins = $1 WHERE tenant = $2 AND key = $3 RETURNING ${columns}`,
                [JSON.stringify(normal), tenant, key],
              ),
            )
          : undefined;
      if (!row) throw new CatalogError('not_found', 'site key does not exist in this tenant');
      return toSiteKey(row);
    },
    async siteKeyInfo(key) {
      const row = await lookUp(key);
      return row && { tenant: row.tenant, origins: originsFromJson(row.origins) };
    },
  };
}
