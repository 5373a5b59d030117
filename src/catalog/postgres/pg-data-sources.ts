import type { DataSourceInput, DataSourceStore } from '../data-source-store.ts';
import { CatalogError } from '../catalog-error.ts';
import { requireText } from '../catalog-context.ts';
import { normaliseLabels } from '../data-labels.ts';
import type { DataSourceRow } from '../data-source-row.ts';
import {
  checkDataSourceInput,
  checkDeletable,
  dataSourceColumns as columns,
  defaultSources,
  toDataSource,
} from '../data-source-row.ts';
import type { PgContext, Sql } from './pg-sql.ts';
import { all, conflictAs, one, requireTenantPg } from './pg-sql.ts';

/**
 * Adds the three default data sources of a new tenant (inside the caller's transaction).
 *
 * Example: `await insertDefaultDataSources(client, 'acme', '2026-01-01T00:00:00.000Z')`.
 */
export async function insertDefaultDataSources(sql: Sql, tenant: string, at: string): Promise<void> {
  for (const source of defaultSources) {
    await sql.query(
      `INSERT INTO data_sources (tenant, code, name, party, labels, created_at) VALUES ($1, $2, $3, $4, '[]', $5)`,
      [tenant, source.code, source.name, source.party, at],
    );
  }
}

const byCode = (sql: Sql, tenant: string, code: string): Promise<DataSourceRow | undefined> =>
  one<DataSourceRow>(sql, `SELECT ${columns} FROM data_sources WHERE tenant = $1 AND code = $2`, [
    tenant,
    code,
  ]);

const missing = (code: string): CatalogError =>
  new CatalogError('not_found', `data source '${code}' does not exist in this tenant`);

/**
 * Data sources and their export control labels on PostgreSQL. Deleting one is refused while a trait uses
 * it and for the defaults.
 *
 * Example: `await pgDataSources(ctx).createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first' })`.
 */
export function pgDataSources(ctx: PgContext): DataSourceStore {
  const { pool } = ctx;
  return {
    async listDataSources(tenant) {
      const rows = await all<DataSourceRow>(
        pool,
        `SELECT ${columns} FROM data_sources WHERE tenant = $1 ORDER BY id`,
        [tenant],
      );
      return rows.map(toDataSource);
    },
    async getDataSource(tenant, code) {
      const row = await byCode(pool, tenant, code);
      return row && toDataSource(row);
    },
    async createDataSource(tenant, input: DataSourceInput) {
      return ctx.write(tenant, 'data-source', async (sql) => {
        await requireTenantPg(sql, tenant);
        checkDataSourceInput(input);
        const labels = JSON.stringify(normaliseLabels(input.labels ?? []));
        const row = await conflictAs(`data source '${input.code}' already exists in this tenant`, () =>
          one<DataSourceRow>(
            sql,
            `INSERT INTO data_sources (tenant, code, name, party, labels, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${columns}`,
            [tenant, input.code, input.name, input.party, labels, ctx.now()],
          ),
        );
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        return toDataSource(row);
      });
    },
    async updateDataSource(tenant, code, patch) {
      return ctx.write(tenant, 'data-source', async (sql) => {
        const row = await byCode(sql, tenant, code);
        if (!row) throw missing(code);
        if (patch.name !== undefined) requireText('name', patch.name);
        const labels =
          patch.labels === undefined ? row.labels : JSON.stringify(normaliseLabels(patch.labels));
        const updated = await one<DataSourceRow>(
          sql,
          `UPDATE data_sources SET name = $1, labels = $2 WHERE tenant = $3 AND code = $4 RETURNING ${columns}`,
          [patch.name ?? row.name, labels, tenant, code],
        );
        if (!updated) throw new Error('UPDATE ... RETURNING gave no row');
        return toDataSource(updated);
      });
    },
    async deleteDataSource(tenant, code) {
      await ctx.write(tenant, 'data-source', async (sql) => {
        if (!(await byCode(sql, tenant, code))) throw missing(code);
        const users = (
          await all<{ code: string }>(
            sql,
            'SELECT code FROM traits WHERE tenant = $1 AND source = $2 ORDER BY code LIMIT 6',
            [tenant, code],
          )
        ).map((row) => row.code);
        checkDeletable(code, users);
        await sql.query('DELETE FROM data_sources WHERE tenant = $1 AND code = $2', [tenant, code]);
      });
    },
  };
}
