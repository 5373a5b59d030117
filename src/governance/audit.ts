import type { AuditLogStore } from '../catalog/audit-log-store.ts';

/**
 * Records configuration changes and privacy requests in the tenant's append-only audit log: who (the
 * key), what, when, before and after. Example:
 * `await audit.record(tenant, 'key:ab12', 'segment.update', 'segment:london_pricing', before, after)`.
 */
export class Audit {
  constructor(private readonly catalog: Pick<AuditLogStore, 'appendAudit'>) {}

  async record(
    tenant: string,
    actor: string,
    action: string,
    target: string,
    before?: unknown,
    after?: unknown,
  ): Promise<void> {
    await this.catalog.appendAudit(tenant, { actor, action, target, before, after });
  }
}
