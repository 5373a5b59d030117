import type { SyncPartner } from '../core/identity/index.ts';
import type { StoredPartner } from './partner-store.ts';

/** A row of `sync_partners`, as SQLite and PostgreSQL return it (without its tenant). */
export interface PartnerRow {
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

/** The values of `partnerValues`, in the order of its columns. */
export type PartnerValues = [
  string,
  string,
  string,
  'redirect' | 'iframe',
  number | null,
  number,
  number,
  string,
];

/**
 * A stored partner from its row; a partner of no vendor has no `vendorId`.
 *
 * Example: `toPartner(row)` -> `{ code: 'ssp_a', name: 'SSP A', syncUrl, type: 'redirect', resyncDays: 7, ... }`.
 */
export function toPartner(r: PartnerRow): StoredPartner {
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

/**
 * A partner's values for the columns name, sync_url, code, type, vendor_id, resync_days, id_lifetime_days and
 * uid_macro (in that order), the first eight parameters of the adapters' INSERT and UPDATE.
 *
 * Example: `partnerValues(sspA)` -> `['SSP A', 'https://ssp-a.example/sync?uid=${UID}', 'ssp_a', 'redirect', null, 7, 30, '${UID}']`.
 */
export function partnerValues(p: SyncPartner): PartnerValues {
  return [p.name, p.syncUrl, p.code, p.type, p.vendorId ?? null, p.resyncDays, p.idLifetimeDays, p.uidMacro];
}
