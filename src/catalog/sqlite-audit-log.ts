import type { AuditLogStore } from './audit-log-store.ts';
import { auditJson } from './audit-log-store.ts';
import { checkAuditQuery } from './audit-query.ts';
import type { AuditRow } from './audit-row.ts';
import { auditColumns as columns, toAuditEntry } from './audit-row.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant, requireText } from './catalog-context.ts';

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
  // NULL filters match everything, so one statement per order serves every combination; the filters
  // follow `auditEntryMatches` (audit-query.ts), which the in-memory adapter runs
  const where = `WHERE tenant = @tenant AND id > @after AND (@before IS NULL OR id < @before)
       AND (@action IS NULL OR action = @action)
       AND (@actionPrefix IS NULL OR substr(action, 1, length(@actionPrefix)) = @actionPrefix)
       AND (@target IS NULL OR target = @target)
       AND (@object IS NULL OR target = @object OR substr(target, instr(target, ':') + 1) = @object)
       AND (@actor IS NULL OR instr('/' || actor || '/', '/' || @actor || '/') > 0
         OR instr('/' || actor || '/', '/user:' || @actor || '/') > 0
         OR instr('/' || actor || '/', '/key:' || @actor || '/') > 0)
       AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)`;
  const pages = {
    asc: db.prepare<[Record<string, unknown>], AuditRow>(
      `SELECT ${columns} FROM audit_log ${where} ORDER BY id LIMIT @limit`,
    ),
    desc: db.prepare<[Record<string, unknown>], AuditRow>(
      `SELECT ${columns} FROM audit_log ${where} ORDER BY id DESC LIMIT @limit`,
    ),
  };

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
      return toAuditEntry(row);
    },
    async listAudit(tenant, query) {
      const { order, ...params } = checkAuditQuery(query);
      return pages[order].all({ tenant, ...params }).map(toAuditEntry);
    },
  };
}
