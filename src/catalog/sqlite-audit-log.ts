import type { AuditEntry, AuditLogStore } from './audit-log-store.ts';
import { AUDIT_PAGE_MAX, auditJson } from './audit-log-store.ts';
import { CatalogError } from './catalog-error.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireInteger, requireTenant, requireText } from './catalog-context.ts';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
}

/**
 * The append-only audit log on SQLite. Each tenant's entries are numbered 1, 2, 3, ... in one
 * statement, so two writers cannot take the same number; there is no way to change or remove an entry
 * (the table's triggers refuse UPDATE and DELETE from any connection).
 *
 * Example:
 * ```ts
 * const entry = await audit.appendAudit('acme', { actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.delete', target: 'trait:t', before: trait });
 * await audit.listAudit('acme', { after: entry.id - 1, limit: 10 }); // -> [entry]
 * ```
 */
export function sqliteAuditLog(ctx: CatalogContext): AuditLogStore {
  const { db } = ctx;
  const insert = db.prepare<[Record<string, unknown>], AuditRow>(
    `INSERT INTO audit_log (tenant, id, at, actor, action, target, before_json, after_json)
     SELECT @tenant, coalesce(max(id), 0) + 1, @at, @actor, @action, @target, @before, @after
     FROM audit_log WHERE tenant = @tenant
     RETURNING id, at, actor, action, target, before_json, after_json`,
  );
  // NULL filters match everything, so one statement serves every combination
  const page = db.prepare<[Record<string, unknown>], AuditRow>(
    `SELECT id, at, actor, action, target, before_json, after_json FROM audit_log
     WHERE tenant = @tenant AND id > @after
       AND (@action IS NULL OR action = @action) AND (@target IS NULL OR target = @target)
     ORDER BY id LIMIT @limit`,
  );

  return {
    async appendAudit(tenant, entry) {
      requireTenant(ctx, tenant);
      requireText('actor', entry.actor);
      requireText('action', entry.action);
      requireText('target', entry.target);
      const row = insert.get({
        tenant,
        at: ctx.now(),
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        before: auditJson('before', entry.before),
        after: auditJson('after', entry.after),
      });
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toEntry(row);
    },
    async listAudit(tenant, query) {
      const after = query.after ?? 0;
      requireInteger('after', after, 0);
      requireInteger('limit', query.limit, 1);
      if (query.limit > AUDIT_PAGE_MAX) {
        throw new CatalogError('invalid', `limit must be at most ${AUDIT_PAGE_MAX}, not ${query.limit}`);
      }
      const rows = page.all({
        tenant,
        after,
        limit: query.limit,
        action: query.action ?? null,
        target: query.target ?? null,
      });
      return rows.map(toEntry);
    },
  };
}

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
  };
  if (row.before_json !== null) entry.before = JSON.parse(row.before_json) as unknown;
  if (row.after_json !== null) entry.after = JSON.parse(row.after_json) as unknown;
  return entry;
}
