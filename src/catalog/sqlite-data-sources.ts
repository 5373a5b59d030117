import type { Database } from 'better-sqlite3';
import type { DataSource, DataSourceInput, DataSourceStore } from './data-source-store.ts';
import { CatalogError } from './catalog-error.ts';
import type { CatalogContext } from './catalog-context.ts';
import { isUniqueViolation, requireTenant, requireText } from './catalog-context.ts';
import { normaliseLabels } from './data-labels.ts';
import type { DataSourceRow } from './data-source-row.ts';
import {
  checkDataSourceInput,
  checkDeletable,
  dataSourceColumns as columns,
  defaultSources,
  toDataSource,
} from './data-source-row.ts';

/**
 * Adds the three default data sources of a new tenant (inside the caller's transaction).
 *
 * Example: `addDefaultDataSources(db, 'acme', '2026-01-01T00:00:00.000Z')`.
 */
export function addDefaultDataSources(db: Database, tenant: string, at: string): void {
  const insert = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO data_sources (tenant, code, name, party, labels, created_at) VALUES (?, ?, ?, ?, '[]', ?)`,
  );
  for (const source of defaultSources) insert.run(tenant, source.code, source.name, source.party, at);
}

/**
 * Data sources and their export control labels on SQLite. Deleting one is refused while a trait uses
 * it (the traits' foreign key would refuse it too) and for the defaults.
 *
 * Example:
 * ```ts
 * await sources.createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first', labels: ['no-modeling'] });
 * await sources.updateDataSource('acme', 'crm', { labels: [] });
 * ```
 */
export function sqliteDataSources(ctx: CatalogContext): DataSourceStore {
  const { db } = ctx;
  const sourcesOf = db.prepare<[string], DataSourceRow>(
    `SELECT ${columns} FROM data_sources WHERE tenant = ? ORDER BY id`,
  );
  const sourceByCode = db.prepare<[string, string], DataSourceRow>(
    `SELECT ${columns} FROM data_sources WHERE tenant = ? AND code = ?`,
  );
  const insertSource = db.prepare<[string, string, string, string, string, string], DataSourceRow>(
    `INSERT INTO data_sources (tenant, code, name, party, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)
     RETURNING ${columns}`,
  );
  const updateSource = db.prepare<[string, string, string, string], DataSourceRow>(
    `UPDATE data_sources SET name = ?, labels = ? WHERE tenant = ? AND code = ? RETURNING ${columns}`,
  );
  const traitsUsing = db.prepare<[string, string], { code: string }>(
    'SELECT code FROM traits WHERE tenant = ? AND source = ? ORDER BY code LIMIT 6',
  );
  const deleteSource = db.prepare<[string, string]>('DELETE FROM data_sources WHERE tenant = ? AND code = ?');

  const create = db.transaction((tenant: string, input: DataSourceInput): DataSource => {
    requireTenant(ctx, tenant);
    checkDataSourceInput(input);
    const labels = JSON.stringify(normaliseLabels(input.labels ?? []));
    try {
      const row = insertSource.get(tenant, input.code, input.name, input.party, labels, ctx.now());
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toDataSource(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new CatalogError('conflict', `data source '${input.code}' already exists in this tenant`);
      }
      throw error;
    }
  });

  const update = db.transaction(
    (tenant: string, code: string, patch: { name?: string; labels?: string[] }): DataSource => {
      const row = sourceByCode.get(tenant, code);
      if (!row) throw new CatalogError('not_found', `data source '${code}' does not exist in this tenant`);
      if (patch.name !== undefined) requireText('name', patch.name);
      const labels = patch.labels === undefined ? row.labels : JSON.stringify(normaliseLabels(patch.labels));
      const updated = updateSource.get(patch.name ?? row.name, labels, tenant, code);
      if (!updated) throw new Error('UPDATE ... RETURNING gave no row');
      return toDataSource(updated);
    },
  );

  const remove = db.transaction((tenant: string, code: string): void => {
    if (!sourceByCode.get(tenant, code)) {
      throw new CatalogError('not_found', `data source '${code}' does not exist in this tenant`);
    }
    checkDeletable(
      code,
      traitsUsing.all(tenant, code).map((row) => row.code),
    );
    deleteSource.run(tenant, code);
  });

  return {
    async listDataSources(tenant) {
      return sourcesOf.all(tenant).map(toDataSource);
    },
    async getDataSource(tenant, code) {
      const row = sourceByCode.get(tenant, code);
      return row && toDataSource(row);
    },
    async createDataSource(tenant, input) {
      return create(tenant, input);
    },
    async updateDataSource(tenant, code, patch) {
      return update(tenant, code, patch);
    },
    async deleteDataSource(tenant, code) {
      remove(tenant, code);
    },
  };
}
