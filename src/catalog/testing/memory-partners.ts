import type { SyncPartner } from '../../core/identity/index.ts';
import { CatalogError } from '../catalog-error.ts';
import type { PartnerStore, StoredPartner } from '../partner-store.ts';
import { checkPartnerRow } from '../partner-store.ts';
import type { CatalogState, TenantRows } from './memory-catalog-state.ts';
import { fromJson, jsonText, rowsOf } from './memory-catalog-state.ts';
import { compare } from './memory-tenants.ts';

/** The fields a partner is stored with, in the order the SQLite adapter gives them. */
function stored(p: SyncPartner, createdAt: string, updatedAt: string): StoredPartner {
  const partner: StoredPartner = {
    code: p.code,
    name: p.name,
    syncUrl: p.syncUrl,
    type: p.type,
    resyncDays: p.resyncDays,
    idLifetimeDays: p.idLifetimeDays,
    uidMacro: p.uidMacro,
    createdAt,
    updatedAt,
  };
  if (p.vendorId !== undefined) partner.vendorId = p.vendorId;
  return partner;
}

/**
 * ID-sync partners in memory, as JSON text per (tenant, code), beside the tenant's other rows (a
 * `WeakMap` on them, so the fake's shared state needs no field of its own).
 *
 * Example: `await memoryPartners(state).createPartner('acme', sspA)`.
 */
export function memoryPartners(state: CatalogState): PartnerStore {
  const byTenant = new WeakMap<TenantRows, Map<string, string>>();
  const partnersOf = (rows: TenantRows): Map<string, string> => {
    let partners = byTenant.get(rows);
    if (partners === undefined) byTenant.set(rows, (partners = new Map<string, string>()));
    return partners;
  };
  const read = (tenant: string): Map<string, string> => {
    const rows = state.tenants.get(tenant);
    return rows === undefined ? new Map<string, string>() : partnersOf(rows);
  };
  const missing = (code: string) => new CatalogError('not_found', `no partner '${code}' in this tenant`);
  return {
    async listPartners(tenant) {
      return [...read(tenant).entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([, text]) => fromJson(text) as StoredPartner);
    },
    async getPartner(tenant, code) {
      const text = read(tenant).get(code);
      return text === undefined ? undefined : (fromJson(text) as StoredPartner);
    },
    async createPartner(tenant, partner) {
      const partners = partnersOf(rowsOf(state, tenant));
      checkPartnerRow(partner);
      if (partners.has(partner.code)) {
        throw new CatalogError('conflict', `partner '${partner.code}' already exists in this tenant`);
      }
      const at = state.now();
      const text = jsonText(stored(partner, at, at));
      partners.set(partner.code, text);
      return fromJson(text) as StoredPartner;
    },
    async updatePartner(tenant, code, partner) {
      checkPartnerRow(partner);
      if (partner.code !== code) {
        throw new CatalogError('invalid', `a partner keeps its code ('${code}'), not '${partner.code}'`);
      }
      const partners = read(tenant);
      const before = partners.get(code);
      if (before === undefined) throw missing(code);
      const { createdAt } = fromJson(before) as StoredPartner;
      const text = jsonText(stored(partner, createdAt, state.now()));
      partners.set(code, text);
      return fromJson(text) as StoredPartner;
    },
    async deletePartner(tenant, code) {
      if (!read(tenant).delete(code)) throw missing(code);
    },
  };
}
