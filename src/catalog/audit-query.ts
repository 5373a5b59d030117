import type { AuditEntry, AuditQuery } from './audit-log-store.ts';
import { AUDIT_PAGE_MAX } from './audit-log-store.ts';
import { CatalogError } from './catalog-error.ts';
import { requireInteger, requireText } from './catalog-context.ts';

/**
 * An `AuditQuery` checked, with its bounds filled in: what every adapter's `listAudit` runs. Filters not
 * given are `null` (SQLite's "matches everything").
 */
export interface CheckedAuditQuery {
  after: number;
  before: number | null;
  limit: number;
  order: 'asc' | 'desc';
  action: string | null;
  actionPrefix: string | null;
  target: string | null;
  object: string | null;
  actor: string | null;
  from: string | null;
  to: string | null;
}

/**
 * Checks an audit query the same way in every adapter: `invalid` (naming the field) for a bad cursor,
 * limit, order, an empty filter or a time not written as `Date#toISOString` writes it.
 *
 * Example: `checkAuditQuery({ limit: 10, order: 'desc' })` ->
 * `{ after: 0, before: null, limit: 10, order: 'desc', action: null, ... }`.
 */
export function checkAuditQuery(query: AuditQuery): CheckedAuditQuery {
  const after = query.after ?? 0;
  requireInteger('after', after, 0);
  if (query.before !== undefined) requireInteger('before', query.before, 1);
  requireInteger('limit', query.limit, 1);
  if (query.limit > AUDIT_PAGE_MAX) {
    throw new CatalogError('invalid', `limit must be at most ${AUDIT_PAGE_MAX}, not ${query.limit}`);
  }
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new CatalogError('invalid', `order must be 'asc' or 'desc', not '${String(order)}'`);
  }
  for (const field of ['actionPrefix', 'object', 'actor'] as const) {
    const value = query[field];
    if (value !== undefined) requireText(field, value);
  }
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isIsoTime(value)) {
      throw new CatalogError(
        'invalid',
        `${field} must be a time such as 2026-01-01T00:00:00.000Z, not '${value}'`,
      );
    }
  }
  return {
    after,
    before: query.before ?? null,
    limit: query.limit,
    order,
    action: query.action ?? null,
    actionPrefix: query.actionPrefix ?? null,
    target: query.target ?? null,
    object: query.object ?? null,
    actor: query.actor ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
  };
}

/**
 * Whether an entry passes every filter of a checked query (not the cursor): the rules SQLite's statement
 * follows too. An actor `user:mia@acme.com/key:3f2a` is named by `mia@acme.com`, `user:mia@acme.com`,
 * `3f2a`, `key:3f2a` or the whole text; a target `segment:buyers` by `buyers` or `segment:buyers`.
 *
 * Example: `auditEntryMatches({ actor: 'user:mia@acme.com', action: 'segment.create', target: 'segment:b', ... }, checkAuditQuery({ limit: 1, actor: 'mia@acme.com' }))` -> `true`.
 */
export function auditEntryMatches(
  entry: Pick<AuditEntry, 'at' | 'actor' | 'action' | 'target'>,
  q: CheckedAuditQuery,
): boolean {
  return (
    (q.action === null || entry.action === q.action) &&
    (q.actionPrefix === null || entry.action.startsWith(q.actionPrefix)) &&
    (q.target === null || entry.target === q.target) &&
    (q.object === null ||
      entry.target === q.object ||
      entry.target.slice(entry.target.indexOf(':') + 1) === q.object) &&
    (q.actor === null || actorNames(entry.actor, q.actor)) &&
    (q.from === null || entry.at >= q.from) &&
    (q.to === null || entry.at < q.to)
  );
}

/** Whether `name` (an email, a key id, a part or the whole) names the actor; see `auditEntryMatches`. */
function actorNames(actor: string, name: string): boolean {
  const parts = `/${actor}/`;
  return [name, `user:${name}`, `key:${name}`].some((part) => parts.includes(`/${part}/`));
}

/** Whether a text is a time exactly as `Date#toISOString` writes it (so that texts compare as times). */
function isIsoTime(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}
