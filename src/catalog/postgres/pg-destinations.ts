import { CatalogError } from '../catalog-error.ts';
import type { DestinationStore } from '../destination-store.ts';
import type { DestinationRow } from '../destination-row.ts';
import { toDestination } from '../destination-row.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, one, requireTenantPg } from './pg-sql.ts';

/**
 * Destinations on PostgreSQL, one row per (tenant, code), the definition as JSON text.
 *
 * Example: `await pgDestinations(ctx).saveDestination('acme', 'ttd', 'http', definition)`.
 */
export function pgDestinations(ctx: PgContext): DestinationStore {
  const { pool } = ctx;
  const get = (tenant: string, code: string) =>
    one<DestinationRow>(pool, 'SELECT * FROM destinations WHERE tenant = $1 AND code = $2', [tenant, code]);
  return {
    async listDestinations(tenant) {
      const rows = await all<DestinationRow>(
        pool,
        'SELECT * FROM destinations WHERE tenant = $1 ORDER BY created_at, code',
        [tenant],
      );
      return rows.map(toDestination);
    },
    async getDestination(tenant, code) {
      const row = await get(tenant, code);
      return row === undefined ? undefined : toDestination(row);
    },
    async saveDestination(tenant, code, kind, definition) {
      const row = await ctx.write(tenant, 'destination', async (sql) => {
        await requireTenantPg(sql, tenant);
        const at = ctx.now();
        return one<DestinationRow>(
          sql,
          `INSERT INTO destinations (tenant, code, kind, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (tenant, code) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
             updated_at = excluded.updated_at RETURNING *`,
          [tenant, code, kind, JSON.stringify(definition), at],
        );
      });
      return toDestination(row!);
    },
    async deleteDestination(tenant, code) {
      await ctx.write(tenant, 'destination', async (sql) => {
        if (
          (await changed(sql, 'DELETE FROM destinations WHERE tenant = $1 AND code = $2', [tenant, code])) ===
          0
        )
          throw new CatalogError('not_found', `no destination '${code}' in this tenant`);
      });
    },
  };
}
