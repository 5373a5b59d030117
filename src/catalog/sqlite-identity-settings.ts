import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';
import type { IdentitySettingsStore } from './identity-settings-store.ts';
import type { IdentitySettingsRow } from './identity-settings-row.ts';
import { identitySettingsColumns as columns, toSettings } from './identity-settings-row.ts';

/**
 * Identity settings on SQLite: one row per tenant in `identity_settings`, each map as JSON text.
 *
 * Example: `await sqliteIdentitySettings(ctx).saveIdentitySettings('acme', { eidsSources: {}, idLifetimeDays: { maid: 90 }, idCaps: {} })`.
 */
export function sqliteIdentitySettings(ctx: CatalogContext): IdentitySettingsStore {
  const { db } = ctx;
  const get = db.prepare<[string], IdentitySettingsRow>(
    `SELECT ${columns} FROM identity_settings WHERE tenant = ?`,
  );
  const upsert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO identity_settings (tenant, eids_sources, id_lifetime_days, id_caps, updated_at) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (tenant) DO UPDATE SET eids_sources = excluded.eids_sources, ' +
      'id_lifetime_days = excluded.id_lifetime_days, id_caps = excluded.id_caps, updated_at = excluded.updated_at',
  );
  return {
    async getIdentitySettings(tenant) {
      const row = get.get(tenant);
      return row === undefined ? undefined : toSettings(row);
    },
    async saveIdentitySettings(tenant, settings) {
      requireTenant(ctx, tenant);
      upsert.run(
        tenant,
        JSON.stringify(settings.eidsSources),
        JSON.stringify(settings.idLifetimeDays),
        JSON.stringify(settings.idCaps),
        ctx.now(),
      );
      return toSettings(get.get(tenant)!);
    },
  };
}
