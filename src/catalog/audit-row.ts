import type { AuditEntry } from './audit-log-store.ts';

/** A row of `audit_log`, as SQLite and PostgreSQL return it (without its tenant). */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
}

/** The columns of `audit_log` that `AuditRow` holds, for SELECT and RETURNING lists. */
export const auditColumns = 'id, at, actor, action, target, before_json, after_json';

/**
 * An audit entry from its row; `before` and `after` are left out where the row has none.
 *
 * Example: `toAuditEntry(row)` -> `{ id: 12, at, actor: 'user:mia@acme.com', action: 'trait.create', target: 'trait:t', after: {...} }`.
 */
export function toAuditEntry(row: AuditRow): AuditEntry {
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
