import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { CatalogError } from '../catalog-error.ts';

/** The channel every committed catalog write is announced on (`'<tenant>:<kind>'`). */
export const CHANGES_CHANNEL = 'dmp_catalog';

/** Something to run SQL on: the pool (one statement, autocommit) or a transaction's client. */
export interface Sql {
  query<R extends QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * What the parts of the PostgreSQL catalog share: the pool, the clock (ISO timestamps, stored as text
 * like SQLite stores them) and `write`, which runs a change in a transaction and announces it.
 *
 * Example: `await ctx.write('acme', 'trait', (sql) => sql.query('DELETE FROM traits WHERE tenant = $1', ['acme']))`.
 */
export interface PgContext {
  pool: pg.Pool;
  now(): string;
  /**
   * Runs `fn` in one transaction (a client of its own, BEGIN ... COMMIT, ROLLBACK on a throw) and, in the
   * same transaction, `NOTIFY dmp_catalog, '<tenant>:<kind>'`, which PostgreSQL delivers only on commit.
   */
  write<T>(tenant: string, kind: string, fn: (sql: Sql) => Promise<T>): Promise<T>;
}

// bigint (int8, oid 20) as a JS number: the catalog's IDs and log positions stay far below 2^53, and the
// port's answers are numbers, as SQLite gives them
const INT8 = 20;
function typeParser(oid: number, format: 'text' | 'binary' = 'text'): unknown {
  if (oid === INT8 && format === 'text') return (text: string) => Number(text);
  return pg.types.getTypeParser(oid, format) as unknown;
}
/** The pool's type parsers: PostgreSQL's defaults, but bigint read as a number. */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: typeParser as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Builds a `PgContext` on a pool.
 *
 * Example: `const ctx = pgContext(pool, () => new Date().toISOString());`
 */
export function pgContext(pool: pg.Pool, now: () => string): PgContext {
  return {
    pool,
    now,
    async write(tenant, kind, fn) {
      return inTransaction(pool, async (client) => {
        const result = await fn(client);
        await notify(client, tenant, kind);
        return result;
      });
    },
  };
}

/**
 * Announces a change on `dmp_catalog` as `'<tenant>:<kind>'`; inside a transaction PostgreSQL sends it
 * on commit, and not at all on rollback.
 *
 * Example: `await notify(client, 'acme', 'trait')`.
 */
export async function notify(sql: Sql, tenant: string, kind: string): Promise<void> {
  await sql.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, `${tenant}:${kind}`]);
}

/**
 * Runs `fn` on one client of the pool inside BEGIN ... COMMIT (ROLLBACK when it throws).
 *
 * Example: `await inTransaction(pool, (client) => client.query('INSERT ...'))`.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The first row of a query, or `undefined`.
 *
 * Example: `const row = await one<{ id: string }>(ctx.pool, 'SELECT id FROM tenants WHERE id = $1', ['acme']);`
 */
export async function one<R extends QueryResultRow>(
  sql: Sql,
  text: string,
  values: unknown[] = [],
): Promise<R | undefined> {
  return (await sql.query<R>(text, values)).rows[0];
}

/**
 * Every row of a query.
 *
 * Example: `const rows = await all<{ id: string }>(ctx.pool, 'SELECT id FROM tenants ORDER BY id');`
 */
export async function all<R extends QueryResultRow>(
  sql: Sql,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  return (await sql.query<R>(text, values)).rows;
}

/**
 * How many rows a statement changed.
 *
 * Example: `if ((await changed(sql, 'DELETE FROM traits WHERE tenant = $1 AND code = $2', [t, c])) === 0) ...`
 */
export async function changed(sql: Sql, text: string, values: unknown[] = []): Promise<number> {
  return (await sql.query(text, values)).rowCount ?? 0;
}

/**
 * Throws `not_found` unless the tenant exists, as the SQLite adapter's `requireTenant` does.
 *
 * Example: `await requireTenantPg(sql, 'acme')` resolves for a known tenant.
 */
export async function requireTenantPg(sql: Sql, tenant: string): Promise<void> {
  const row = await one(sql, 'SELECT id FROM tenants WHERE id = $1', [tenant]);
  if (!row) throw new CatalogError('not_found', `tenant '${tenant}' does not exist`);
}

/**
 * Whether an error is PostgreSQL refusing a duplicate key (SQLSTATE 23505, unique or primary key).
 *
 * Example: `catch (e) { if (isUniqueViolationPg(e)) throw new CatalogError('conflict', ...); throw e; }`
 */
export function isUniqueViolationPg(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === '23505';
}

/**
 * Runs an INSERT that may hit a duplicate key, turning that into `CatalogError('conflict', message)`.
 *
 * Example: `await conflictAs(\`trait 'x' already exists in this tenant\`, () => sql.query('INSERT ...'))`.
 */
export async function conflictAs<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolationPg(error)) throw new CatalogError('conflict', message);
    throw error;
  }
}
