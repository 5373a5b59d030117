import type { IdentitySettingsStore } from '../identity-settings-store.ts';
import type { IdentitySettingsRow } from '../identity-settings-row.ts';
import { identitySettingsColumns as columns, toSettings } from '../identity-settings-row.ts';
import type { PgContext } from './pg-sql.ts';
import { one, requireTenantPg } from './pg-sql.ts';

/**
 * Each tenant's identity settings on PostgreSQL: one row, each part JSON text; absent: the defaults.
 *
 * Example: `await pgIdentitySettings(ctx).saveIdentitySettings('acme', { eidsSources: {}, idLifetimeDays: {}, idCaps: {} })`.
 */
export function pgIdentitySettings(ctx: PgContext): IdentitySettingsStore {
  return {
    async getIdentitySettings(tenant) {
      const row = await one<IdentitySettingsRow>(
        ctx.pool,
        `SELECT ${columns} FROM identity_settings WHERE tenant = $1`,
        [tenant],
      );
      return row === undefined ? undefined : toSettings(row);
    },
    async saveIdentitySettings(tenant, settings) {
      const row = await ctx.write(tenant, 'identity-settings', async (sql) => {
        await requireTenantPg(sql, tenant);
        return one<IdentitySettingsRow>(
          sql,
          `INSERT INTO identity_settings (tenant, eids_sources, id_lifetime_days, id_caps, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant) DO UPDATE SET eids_sources = excluded.eids_sources,
             id_lifetime_days = excluded.id_lifetime_days, id_caps = excluded.id_caps, updated_at = excluded.updated_at
           RETURNING ${columns}`,
          [
            tenant,
            JSON.stringify(settings.eidsSources),
            JSON.stringify(settings.idLifetimeDays),
            JSON.stringify(settings.idCaps),
            ctx.now(),
          ],
        );
      });
      return toSettings(row!);
    },
  };
}
