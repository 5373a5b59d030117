import type { CatalogContext } from './catalog-context.ts';
import { isUniqueViolation, requireTenant } from './catalog-context.ts';
import { CatalogError } from './catalog-error.ts';
import type { PartnerStore } from './partner-store.ts';
import { checkPartnerRow } from './partner-store.ts';
import type { PartnerRow, PartnerValues } from './partner-row.ts';
import { partnerValues, toPartner } from './partner-row.ts';

/**
 * ID-sync partners on SQLite: one row per (tenant, code) in `sync_partners` (schema step 13).
 *
 * Example: `await partners.createPartner('acme', sspA)`.
 */
export function sqlitePartners(ctx: CatalogContext): PartnerStore {
  const { db } = ctx;
  const list = db.prepare<[string], PartnerRow>('SELECT * FROM sync_partners WHERE tenant = ? ORDER BY code');
  const get = db.prepare<[string, string], PartnerRow>(
    'SELECT * FROM sync_partners WHERE tenant = ? AND code = ?',
  );
  const insert = db.prepare<[...PartnerValues, string, string, string]>(
    'INSERT INTO sync_partners (name, sync_url, code, type, vendor_id, resync_days, id_lifetime_days, uid_macro, ' +
      'tenant, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[...PartnerValues, string, string, string]>(
    'UPDATE sync_partners SET name = ?, sync_url = ?, code = ?, type = ?, vendor_id = ?, resync_days = ?, ' +
      'id_lifetime_days = ?, uid_macro = ?, updated_at = ? WHERE tenant = ? AND code = ?',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM sync_partners WHERE tenant = ? AND code = ?');
  const missing = (code: string) => new CatalogError('not_found', `no partner '${code}' in this tenant`);
  return {
    async listPartners(tenant) {
      return list.all(tenant).map(toPartner);
    },
    async getPartner(tenant, code) {
      const row = get.get(tenant, code);
      return row === undefined ? undefined : toPartner(row);
    },
    async createPartner(tenant, partner) {
      requireTenant(ctx, tenant);
      checkPartnerRow(partner);
      const at = ctx.now();
      try {
        insert.run(...partnerValues(partner), tenant, at, at);
      } catch (error) {
        if (isUniqueViolation(error) || isPrimaryKeyViolation(error)) {
          throw new CatalogError('conflict', `partner '${partner.code}' already exists in this tenant`);
        }
        throw error;
      }
      return toPartner(get.get(tenant, partner.code)!);
    },
    async updatePartner(tenant, code, partner) {
      checkPartnerRow(partner);
      if (partner.code !== code) {
        throw new CatalogError('invalid', `a partner keeps its code ('${code}'), not '${partner.code}'`);
      }
      if (update.run(...partnerValues(partner), ctx.now(), tenant, code).changes === 0) throw missing(code);
      return toPartner(get.get(tenant, code)!);
    },
    async deletePartner(tenant, code) {
      if (remove.run(tenant, code).changes === 0) throw missing(code);
    },
  };
}

/** A duplicate primary key (SQLite names it apart from UNIQUE constraints). */
function isPrimaryKeyViolation(error: unknown): boolean {
  return (
    error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
