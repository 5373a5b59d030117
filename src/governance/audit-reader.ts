import type { Catalog } from '../catalog/catalog.ts';
import type { AuditQuery } from '../catalog/audit-log-store.ts';
import { wrap } from '../catalog/catalog-call.ts';

/** One line of the audit log, as the catalog keeps it (see `AuditEntry`). */
export type { AuditEntry as AuditLine } from '../catalog/audit-log-store.ts';
import type { AuditEntry as AuditLine } from '../catalog/audit-log-store.ts';

/**
 * Which page of the audit log to read (the catalog's `AuditQuery`): lines with `id > after` (default 0)
 * and `id < before`, oldest first or (`order: 'desc'`) newest first, at most `limit` (1-1000), optionally
 * filtered by action (exact or prefix), target, object code, actor and time.
 * Example: `{ after: 40, limit: 20, action: 'trait.update' }`; `{ before: 61, limit: 20, order: 'desc' }`
 */
export type AuditPageQuery = AuditQuery;

/**
 * Reads a tenant's append-only audit log a page at a time (`Audit` writes it). `next` is the cursor of
 * the following page (`after` oldest first, `before` newest first), `null` when this page was not full
 * (nothing more to read now). A query the catalog refuses is a 422 naming the field.
 *
 * Example: `await new AuditReader(catalog).page('acme', { limit: 2 })` ->
 * `{ entries: [{ id: 1, ... }, { id: 2, ... }], next: 2 }`; with `order: 'desc'` -> ids `[9, 8]`, `next: 8`.
 */
export class AuditReader {
  constructor(private readonly catalog: Pick<Catalog, 'listAudit'>) {}

  async page(tenant: string, query: AuditPageQuery): Promise<{ entries: AuditLine[]; next: number | null }> {
    const entries = await wrap(this.catalog.listAudit(tenant, query));
    const last = entries[entries.length - 1];
    return { entries, next: entries.length === query.limit && last !== undefined ? last.id : null };
  }
}
