import { CatalogError } from '../catalog-error.ts';
import type { CampaignStore } from '../campaign-store.ts';
import type { CampaignRow } from '../campaign-row.ts';
import { toCampaign } from '../campaign-row.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, one, requireTenantPg } from './pg-sql.ts';

/**
 * Campaigns on PostgreSQL, one row per (tenant, code), the definition as JSON text.
 *
 * Example: `await pgCampaigns(ctx).saveCampaign('acme', 'xmas', definition)`.
 */
export function pgCampaigns(ctx: PgContext): CampaignStore {
  const { pool } = ctx;
  return {
    async listCampaigns(tenant) {
      const rows = await all<CampaignRow>(
        pool,
        'SELECT * FROM campaigns WHERE tenant = $1 ORDER BY created_at, code',
        [tenant],
      );
      return rows.map(toCampaign);
    },
    async getCampaign(tenant, code) {
      const row = await one<CampaignRow>(pool, 'SELECT * FROM campaigns WHERE tenant = $1 AND code = $2', [
        tenant,
        code,
      ]);
      return row === undefined ? undefined : toCampaign(row);
    },
    async saveCampaign(tenant, code, definition) {
      const row = await ctx.write(tenant, 'campaign', async (sql) => {
        await requireTenantPg(sql, tenant);
        const at = ctx.now();
        return one<CampaignRow>(
          sql,
          `INSERT INTO campaigns (tenant, code, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (tenant, code) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
           RETURNING *`,
          [tenant, code, JSON.stringify(definition), at],
        );
      });
      return toCampaign(row!);
    },
    async deleteCampaign(tenant, code) {
      await ctx.write(tenant, 'campaign', async (sql) => {
        if (
          (await changed(sql, 'DELETE FROM campaigns WHERE tenant = $1 AND code = $2', [tenant, code])) === 0
        )
          throw new CatalogError('not_found', `no campaign '${code}' in this tenant`);
      });
    },
  };
}
