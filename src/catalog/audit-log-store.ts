import { CatalogError } from './catalog-error.ts';
/**
 * One line of the audit log, as stored: `before` and `after` are left out when they were not given.
 * `id` counts up from 1 within each tenant.
 *
 * Example: `{ id: 12, at: '2026-01-01T00:00:00.000Z', actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.update', target: 'trait:pricing_visitor', before: {...}, after: {...} }`
 */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What to append to the audit log; `before` and `after` must be JSON-serialisable.
 *
 * Example: `{ actor: 'key:3f2a9c0d1b7e4a65', action: 'segment.delete', target: 'segment:buyers', before: segment }`
 */
export interface AuditInput {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A page of the audit log: entries with `id > after` (default 0) and `id < before` (default: no bound),
 * oldest first (`order: 'desc'`: newest first), at most `limit` (1-`AUDIT_PAGE_MAX`). Every filter given
 * must hold (`audit-query.ts` says how each matches); none given: every entry.
 *
 * Example: `{ before: 41, limit: 20, order: 'desc', actor: 'mia@acme.com', actionPrefix: 'segment.' }`
 */
export interface AuditQuery {
  after?: number;
  /** only entries with a smaller id (the cursor of newest-first pages) */
  before?: number;
  limit: number;
  /** `asc` (default): oldest first; `desc`: newest first */
  order?: 'asc' | 'desc';
  /** exactly this action */
  action?: string;
  /** actions starting with this (`segment.`) */
  actionPrefix?: string;
  /** exactly this target */
  target?: string;
  /** the target's code: `buyers` matches `segment:buyers` and `trait:buyers` (and a target `buyers`) */
  object?: string;
  /** a user's email or a key's id (`mia@acme.com`, `3f2a9c0d1b7e4a65`, `key:3f2a...`), or a whole actor */
  actor?: string;
  /** entries at or after this time (ISO 8601 as `Date#toISOString` writes it) */
  from?: string;
  /** entries before this time (same form) */
  to?: string;
}

/** The most entries one `listAudit` call returns. */
export const AUDIT_PAGE_MAX = 1000;

/**
 * The append-only audit log of each tenant. Entries are numbered 1, 2, 3, ... per tenant with no gap
 * and no number taken twice, even by concurrent writers; there is no way to change or remove one.
 *
 * Example:
 * ```ts
 * const entry = await audit.appendAudit('acme', { actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.delete', target: 'trait:t', before: trait });
 * await audit.listAudit('acme', { after: entry.id - 1, limit: 10 }); // -> [entry]
 * ```
 */
export interface AuditLogStore {
  /** Appends to the tenant's audit log; `invalid` for an empty actor, action or target or non-JSON before/after. */
  appendAudit(tenant: string, entry: AuditInput): Promise<AuditEntry>;
  /** A page of the tenant's entries (`AuditQuery`); `invalid` for a bad `after` or `limit`. */
  listAudit(tenant: string, query: AuditQuery): Promise<AuditEntry[]>;
}

/**
 * `before` or `after` of an audit entry as stored: JSON text, or null when not given; a value JSON cannot
 * hold is refused (`CatalogError('invalid')`). Every adapter stores them alike.
 * Example: `auditJson('before', { a: 1 })` -> `'{"a":1}'`; `auditJson('after', undefined)` -> `null`.
 */
export function auditJson(field: keyof AuditInput, value: unknown): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  // JSON.stringify gives undefined for a function or symbol, and throws for a cycle or a bigint
  if (text === undefined) throw new CatalogError('invalid', `${field} must be JSON-serialisable`);
  return text;
}
