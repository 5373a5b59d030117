import { CatalogError } from './catalog-error.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { CampaignRow } from './campaign-row.ts';
import { toCampaign } from './campaign-row.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';

/** Campaigns on SQLite. Example: `await campaigns.saveCampaign('acme', 'xmas', definition)`. */
export function sqliteCampaigns(ctx: CatalogContext): CampaignStore {
  const { db } = ctx;
  const list = db.prepare<[string], CampaignRow>(
    'SELECT * FROM campaigns WHERE tenant = ? ORDER BY created_at, code',
  );
  const get = db.prepare<[string, string], CampaignRow>(
    'SELECT * FROM campaigns WHERE tenant = ? AND code = ?',
  );
  const upsert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO campaigns (tenant, code, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (tenant, code) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM campaigns WHERE tenant = ? AND code = ?');
  return {
    async listCampaigns(tenant) {
      return list.all(tenant).map(toCampaign);
    },
    async getCampaign(tenant, code) {
      const row = get.get(tenant, code);
      return row === undefined ? undefined : toCampaign(row);
    },
    async saveCampaign(tenant, code, definition) {
      requireTenant(ctx, tenant);
      const at = ctx.now();
      upsert.run(tenant, code, JSON.stringify(definition), at, at);
      return toCampaign(get.get(tenant, code)!);
    },
    async deleteCampaign(tenant, code) {
      if (remove.run(tenant, code).changes === 0)
        throw new CatalogError('not_found', `no campaign '${code}' in this tenant`);
    },
  };
}
