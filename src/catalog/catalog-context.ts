import type { Database } from 'better-sqlite3';
import { CatalogError } from './catalog-error.ts';

/**
 * What the parts of the SQLite catalog share: the open database and the clock (ISO timestamps).
 *
 * Example: `const ctx: CatalogContext = { db, now: () => new Date().toISOString() };`
 */
export interface CatalogContext {
  db: Database;
  now(): string;
}

/**
 * Throws `not_found` unless the tenant exists; every write checks this first so that a wrong tenant
 * is reported as such, not as a failed foreign key.
 *
 * Example: `requireTenant(ctx, 'acme')` returns nothing for a known tenant.
 */
export function requireTenant(ctx: CatalogContext, tenant: string): void {
  const row = ctx.db.prepare<[string], { id: string }>('SELECT id FROM tenants WHERE id = ?').get(tenant);
  if (!row) throw new CatalogError('not_found', `tenant '${tenant}' does not exist`);
}

/**
 * Whether an error is SQLite refusing a duplicate key (a race lost between two writers, or a code taken).
 *
 * Example: `catch (e) { if (isUniqueViolation(e)) throw new CatalogError('conflict', ...); throw e; }`
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Throws `invalid` unless `value` is an integer in `[min, +inf)`; names the field at fault.
 *
 * Example: `requireInteger('lifetimeDays', 0, 1)` throws `CatalogError('invalid', 'lifetimeDays must be an integer >= 1')`.
 */
export function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new CatalogError('invalid', `${field} must be an integer >= ${min}, not ${String(value)}`);
  }
}

/**
 * Throws `invalid` when a required text is empty or blank.
 *
 * Example: `requireText('code', '')` throws `CatalogError('invalid', 'code must not be empty')`.
 */
export function requireText(field: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CatalogError('invalid', `${field} must not be empty`);
  }
}

/**
 * An optional text as stored: `undefined` keeps the old value, `''` clears it (NULL), anything else sets it.
 *
 * Example: `optionalText(undefined, 'old')` -> `'old'`; `optionalText('', 'old')` -> `null`.
 */
export function optionalText(patch: string | undefined, old: string | null): string | null {
  if (patch === undefined) return old;
  return patch === '' ? null : patch;
}

/**
 * The JSON text stored for a rule's JSON form (`null` when there is none).
 *
 * Example: `ruleJsonText({ op: 'eq' })` -> `'{"op":"eq"}'`.
 */
export function ruleJsonText(ruleJson: unknown): string {
  return JSON.stringify(ruleJson ?? null);
}
