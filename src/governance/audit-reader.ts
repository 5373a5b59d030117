import type { Catalog } from '../catalog/catalog.ts';

/** One line of the audit log, as the catalog keeps it (see `AuditEntry`). */
export type { AuditEntry as AuditLine } from '../catalog/audit-log-store.ts';
import type { AuditEntry as AuditLine } from '../catalog/audit-log-store.ts';

/**
 * Which page of the audit log to read: lines with `id > after` (default 0), oldest first, at most `limit`
 * (1-1000), optionally of one action and/or one target. Example: `{ after: 40, limit: 20, action: 'trait.update' }`
 */
export interface AuditPageQuery {
  after?: number;
  limit: number;
  action?: string;
  target?: string;
}

/**
 * Reads a tenant's append-only audit log a page at a time (`Audit` writes it). `next` is the `after` of
 * the following page, `null` when this page was not full (nothing more to read now).
 *
 * Example: `await new AuditReader(catalog).page('acme', { limit: 2 })` ->
 * `{ entries: [{ id: 1, ... }, { id: 2, ... }], next: 2 }`.
 */
export class AuditReader {
  constructor(private readonly catalog: Pick<Catalog, 'listAudit'>) {}

  async page(tenant: string, query: AuditPageQuery): Promise<{ entries: AuditLine[]; next: number | null }> {
    const { after, limit, action, target } = query;
    const entries = await this.catalog.listAudit(tenant, { after, limit, action, target });
    const last = entries[entries.length - 1];
    return { entries, next: entries.length === limit && last !== undefined ? last.id : null };
  }
}
