import type { AuditLogStore } from '../audit-log-store.ts';
import { auditJson } from '../audit-log-store.ts';
import { checkAuditQuery } from '../audit-query.ts';
import type { AuditRow } from '../audit-row.ts';
import { auditColumns as columns, toAuditEntry } from '../audit-row.ts';
import { requireText } from '../catalog-context.ts';
import type { PgContext } from './pg-sql.ts';
import { all, one, requireTenantPg } from './pg-sql.ts';

// NULL filters match everything; the filters follow `auditEntryMatches` (audit-query.ts) as SQLite's do:
// $1 tenant, $2 after, $3 before, $4 action, $5 actionPrefix, $6 target, $7 object, $8 actor, $9 from,
// $10 to, $11 limit
const where = `WHERE tenant = $1 AND id > $2 AND ($3::bigint IS NULL OR id < $3)
  AND ($4::text IS NULL OR action = $4)
  AND ($5::text IS NULL OR starts_with(action, $5))
  AND ($6::text IS NULL OR target = $6)
  AND ($7::text IS NULL OR target = $7 OR substr(target, strpos(target, ':') + 1) = $7)
  AND ($8::text IS NULL OR strpos('/' || actor || '/', '/' || $8 || '/') > 0
    OR strpos('/' || actor || '/', '/user:' || $8 || '/') > 0
    OR strpos('/' || actor || '/', '/key:' || $8 || '/') > 0)
  AND ($9::text IS NULL OR at >= $9) AND ($10::text IS NULL OR at < $10)`;

const pages = {
  asc: `SELECT ${columns} FROM audit_log ${where} ORDER BY id LIMIT $11`,
  desc: `SELECT ${columns} FROM audit_log ${where} ORDER BY id DESC LIMIT $11`,
};

/**
 * The append-only audit log on PostgreSQL. An append takes the tenant's advisory lock for its
 * transaction and numbers the entry max + 1, so concurrent writers (in any process) get 1, 2, 3, ...
 * with no gap and no number twice; the table's triggers refuse UPDATE, DELETE and TRUNCATE.
 *
 * Example:
 * ```ts
 * const entry = await audit.appendAudit('acme', { actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.delete', target: 'trait:t' });
 * await audit.listAudit('acme', { after: entry.id - 1, limit: 10 }); // -> [entry]
 * ```
 */
export function pgAuditLog(ctx: PgContext): AuditLogStore {
  return {
    async appendAudit(tenant, entry) {
      const row = await ctx.write(tenant, 'audit', async (sql) => {
        await requireTenantPg(sql, tenant);
        requireText('actor', entry.actor);
        requireText('action', entry.action);
        requireText('target', entry.target);
        const before = auditJson('before', entry.before);
        const after = auditJson('after', entry.after);
        await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit_log:' || $1, 0))`, [tenant]);
        return one<AuditRow>(
          sql,
          `INSERT INTO audit_log (tenant, id, at, actor, action, target, before_json, after_json)
           SELECT $1, coalesce(max(id), 0) + 1, $2, $3, $4, $5, $6, $7 FROM audit_log WHERE tenant = $1
           RETURNING ${columns}`,
          [tenant, ctx.now(), entry.actor, entry.action, entry.target, before, after],
        );
      });
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toAuditEntry(row);
    },
    async listAudit(tenant, query) {
      const q = checkAuditQuery(query);
      const rows = await all<AuditRow>(ctx.pool, pages[q.order], [
        tenant,
        q.after,
        q.before,
        q.action,
        q.actionPrefix,
        q.target,
        q.object,
        q.actor,
        q.from,
        q.to,
        q.limit,
      ]);
      return rows.map(toAuditEntry);
    },
  };
}
