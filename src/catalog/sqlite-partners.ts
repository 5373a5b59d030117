import type { SyncPartner } from '../core/identity/index.ts';
import type { CatalogContext } from './catalog-context.ts';
import { isUniqueViolation, requireTenant } from './catalog-context.ts';
import { CatalogError } from './catalog-error.ts';
import type { PartnerStore, StoredPartner } from './partner-store.ts';
import { checkPartnerRow } from './partner-store.ts';

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

type Values = [string, string, string, 'redirect' | 'iframe', number | null, number, number, string];

function values(p: SyncPartner): Values {
  return [p.name, p.syncUrl, p.code, p.type, p.vendorId ?? null, p.resyncDays, p.idLifetimeDays, p.uidMacro];
}

/**
 * ID-sync partners on SQLite: one row per (tenant, code) in `sync_partners` (schema step 13).
 *
 * Example: `await partners.createPartner('acme', sspA)`.
 */
export function sqlitePartners(ctx: CatalogContext): PartnerStore {
  const { db } = ctx;
  const list = db.prepare<[string], Row>('SELECT * FROM sync_partners WHERE tenant = ? ORDER BY code');
  const get = db.prepare<[string, string], Row>('SELECT * FROM sync_partners WHERE tenant = ? AND code = ?');
  const insert = db.prepare<[...Values, string, string, string]>(
    'INSERT INTO sync_partners (name, sync_url, code, type, vendor_id, resync_days, id_lifetime_days, uid_macro, ' +
      'tenant, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[...Values, string, string, string]>(
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
        insert.run(...values(partner), tenant, at, at);
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
      if (update.run(...values(partner), ctx.now(), tenant, code).changes === 0) throw missing(code);
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
