import { CatalogError } from '../catalog-error.ts';
import type { PartnerStore } from '../partner-store.ts';
import { checkPartnerRow } from '../partner-store.ts';
import type { PartnerRow } from '../partner-row.ts';
import { partnerValues, toPartner } from '../partner-row.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, conflictAs, one, requireTenantPg } from './pg-sql.ts';

/**
 * ID-sync partners on PostgreSQL, one row per (tenant, code), checked by `checkPartnerRow` first.
 *
 * Example: `await pgPartners(ctx).createPartner('acme', { code: 'ssp_a', name: 'SSP A', syncUrl, type: 'redirect', resyncDays: 7, idLifetimeDays: 30, uidMacro: '${UID}' })`.
 */
export function pgPartners(ctx: PgContext): PartnerStore {
  const { pool } = ctx;
  const get = (tenant: string, code: string) =>
    one<PartnerRow>(pool, 'SELECT * FROM sync_partners WHERE tenant = $1 AND code = $2', [tenant, code]);
  const missing = (code: string) => new CatalogError('not_found', `no partner '${code}' in this tenant`);
  return {
    async listPartners(tenant) {
      return (
        await all<PartnerRow>(pool, 'SELECT * FROM sync_partners WHERE tenant = $1 ORDER BY code', [tenant])
      ).map(toPartner);
    },
    async getPartner(tenant, code) {
      const row = await get(tenant, code);
      return row === undefined ? undefined : toPartner(row);
    },
    async createPartner(tenant, partner) {
      await ctx.write(tenant, 'partner', async (sql) => {
        await requireTenantPg(sql, tenant);
        checkPartnerRow(partner);
        const at = ctx.now();
        await conflictAs(`partner '${partner.code}' already exists in this tenant`, () =>
          sql.query(
            `INSERT INTO sync_partners (name, sync_url, code, type, vendor_id, resync_days, id_lifetime_days, uid_macro,
               tenant, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
            [...partnerValues(partner), tenant, at],
          ),
        );
      });
      return toPartner((await get(tenant, partner.code))!);
    },
    async updatePartner(tenant, code, partner) {
      checkPartnerRow(partner);
      if (partner.code !== code) {
        throw new CatalogError('invalid', `a partner keeps its code ('${code}'), not '${partner.code}'`);
      }
      await ctx.write(tenant, 'partner', async (sql) => {
        const count = await changed(
          sql,
          `UPDATE sync_partners SET name = $1, sync_url = $2, code = $3, type = $4, vendor_id = $5, resync_days = $6,
             id_lifetime_days = $7, uid_macro = $8, updated_at = $9 WHERE tenant = $10 AND code = $11`,
          [...partnerValues(partner), ctx.now(), tenant, code],
        );
        if (count === 0) throw missing(code);
      });
      return toPartner((await get(tenant, code))!);
    },
    async deletePartner(tenant, code) {
      await ctx.write(tenant, 'partner', async (sql) => {
        if (
          (await changed(sql, 'DELETE FROM sync_partners WHERE tenant = $1 AND code = $2', [
            tenant,
            code,
          ])) === 0
        )
          throw missing(code);
      });
    },
  };
}
