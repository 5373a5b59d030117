import type { SyncPartner } from '../core/identity/index.ts';
import { requireInteger, requireText } from './catalog-context.ts';
import { CatalogError } from './catalog-error.ts';

/**
 * An ID-sync partner as stored: the partner as `checkSyncPartner` accepted it, and when it was created
 * and last changed (ISO times).
 *
 * Example:
 * ```ts
 * { code: 'ssp_a', name: 'SSP A', type: 'redirect', vendorId: 755, resyncDays: 14, idLifetimeDays: 90,
 *   uidMacro: '$UID', syncUrl: 'https://ssp-a.example/sync?redir=${REDIRECT}',
 *   createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
 * ```
 */
export interface StoredPartner extends SyncPartner {
  createdAt: string;
  updatedAt: string;
}

/**
 * The ID-sync partners of each tenant, one per code (the code is also the ID type the partner's IDs are
 * kept as). The caller checks a partner with `checkSyncPartner` first; the store refuses (`invalid`)
 * only what would break its rows: an empty text, a `type` other than `redirect` or `iframe`, a number of
 * days or a vendor ID that is not a whole number from 1. Every method takes the tenant.
 *
 * Example:
 * ```ts
 * await partners.createPartner('acme', sspA); // -> sspA with createdAt and updatedAt
 * await partners.listPartners('acme');        // -> [sspA, ...], by code
 * ```
 */
export interface PartnerStore {
  /** The tenant's partners, by code (code unit order). */
  listPartners(tenant: string): Promise<StoredPartner[]>;
  getPartner(tenant: string, code: string): Promise<StoredPartner | undefined>;
  /** Adds a partner; `conflict` when the tenant has one with this code, `not_found` for an unknown tenant. */
  createPartner(tenant: string, partner: SyncPartner): Promise<StoredPartner>;
  /**
   * Replaces the partner with this code by `partner` (whose `code` must be the same: `invalid` if not),
   * keeping `createdAt`; `not_found` when the tenant has none.
   */
  updatePartner(tenant: string, code: string, partner: SyncPartner): Promise<StoredPartner>;
  /** `not_found` when the tenant has no partner with this code. */
  deletePartner(tenant: string, code: string): Promise<void>;
}

/**
 * Throws `invalid` for a partner the store cannot keep (see `PartnerStore`); every adapter calls it before
 * writing, so that they refuse alike. Example: `checkPartnerRow({ ...sspA, type: 'popup' })` throws
 * `CatalogError('invalid', "type must be 'redirect' or 'iframe', not 'popup'")`.
 */
export function checkPartnerRow(partner: SyncPartner): void {
  for (const field of ['code', 'name', 'syncUrl', 'uidMacro'] as const) requireText(field, partner[field]);
  if (partner.type !== 'redirect' && partner.type !== 'iframe') {
    throw new CatalogError('invalid', `type must be 'redirect' or 'iframe', not '${String(partner.type)}'`);
  }
  requireInteger('resyncDays', partner.resyncDays, 1);
  requireInteger('idLifetimeDays', partner.idLifetimeDays, 1);
  if (partner.vendorId !== undefined) requireInteger('vendorId', partner.vendorId, 1);
}
