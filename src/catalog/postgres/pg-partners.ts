import type { SyncPartner } from '../../core/identity/index.ts';
import { CatalogError } from '../catalog-error.ts';
import type { PartnerStore, StoredPartner } from '../partner-store.ts';
import { checkPartnerRow } from '../partner-store.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, conflictAs, one, requireTenantPg } from './pg-sql.ts';

interface Row {
  code: string;
  name: string;
  sync_url: string;
  type: 'redirect' | 'iframe';
  vendor_id: number | null;
  resync_days: number;
  id_lifetime_days: number;
  uid_macro: string;
  created_at: string;
  updated_at: string;
}

function toPartner(r: Row): StoredPartner {
  const partner: StoredPartner = {
    code: r.code,
    name: r.name,
    syncUrl: r.sync_url,
    type: r.type,
    resyncDays: r.resync_days,
    idLifetimeDays: r.id_lifetime_days,
    uidMacro: r.uid_macro,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.vendor_id !== null) partner.vendorId = r.vendor_id;
  return partner;
}

/** $1-$8 of both statements below. */
function values(p: SyncPartner): unknown[] {
  return [p.name, p.syncUrl, p.code, p.type, p.vendorId ?? null, p.resyncDays, p.idLifetimeDays, p.uidMacro];
}

/**
 * ID-sync partners on PostgreSQL, one row per (tenant, code), checked by `checkPartnerRow` first.
 *
 * Example: `await pgPartners(ctx).createPartner('acme', { code: 'ssp_a', name: 'SSP A', syncUrl, type: 'redirect', resyncDays: 7, idLifetimeDays: 30, uidMacro: '${UID}' })`.
 */
export function pgPartners(ctx: PgContext): PartnerStore {
  const { pool } = ctx;
  const get = (tenant: string, code: string) =>
    one<Row>(pool, 'SELECT * FROM sync_partners WHERE tenant = $1 AND code = $2', [tenant, code]);
  const missing = (code: string) => new CatalogError('not_found', `no partner '${code}' in this tenant`);
  return {
    async listPartners(tenant) {
      return (
        await all<Row>(pool, 'SELECT * FROM sync_partners WHERE tenant = $1 ORDER BY code', [tenant])
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
            [...values(partner), tenant, at],
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
          [...values(partner), ctx.now(), tenant, code],
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
