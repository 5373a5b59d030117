import type { DataSource, DataSourceInput, Party } from './data-source-store.ts';
import { CatalogError } from './catalog-error.ts';
import { requireText } from './catalog-context.ts';
import { labelsFromJson } from './data-labels.ts';

/** A row of `data_sources`, as SQLite and PostgreSQL return it (without its tenant). */
export interface DataSourceRow {
  id: number;
  code: string;
  name: string;
  party: Party;
  labels: string;
  created_at: string;
}

/** The columns of `data_sources` that `DataSourceRow` holds, for SELECT and RETURNING lists. */
export const dataSourceColumns = 'id, code, name, party, labels, created_at';

/** Every new tenant gets these, so that a trait always has a source to name; they cannot be deleted. */
export const defaultSources: readonly { code: string; name: string; party: Party }[] = [
  { code: 'first-party', name: 'First party', party: 'first' },
  { code: 'second-party', name: 'Second party', party: 'second' },
  { code: 'third-party', name: 'Third party', party: 'third' },
];

const parties: ReadonlySet<string> = new Set<Party>(['first', 'second', 'third']);

/**
 * A data source from its row, its labels parsed (known labels only).
 *
 * Example: `toDataSource(row)` -> `{ id: 4, code: 'crm', name: 'CRM', party: 'first', labels: [], createdAt }`.
 */
export function toDataSource(row: DataSourceRow): DataSource {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    party: row.party,
    labels: labelsFromJson(row.labels),
    createdAt: row.created_at,
  };
}

/**
 * Refuses a data source to create without a code or name, or whose party is not first, second or third.
 *
 * Example: `checkDataSourceInput({ code: 'crm', name: 'CRM', party: 'fourth' })` throws `invalid`.
 */
export function checkDataSourceInput(input: DataSourceInput): void {
  requireText('code', input.code);
  requireText('name', input.name);
  if (!parties.has(input.party)) {
    throw new CatalogError('invalid', `party must be first, second or third, not '${String(input.party)}'`);
  }
}

/**
 * Refuses to delete a default data source, or one the traits `users` name (the first six found, by code).
 *
 * Example: `checkDeletable('crm', ['a', 'b'])` throws `conflict`: "data source 'crm' is used by traits a, b".
 */
export function checkDeletable(code: string, users: readonly string[]): void {
  if (defaultSources.some((source) => source.code === code)) {
    throw new CatalogError('conflict', `data source '${code}' is a default source and cannot be deleted`);
  }
  if (users.length > 0) {
    const named = users.length > 5 ? `${users.slice(0, 5).join(', ')}, ...` : users.join(', ');
    throw new CatalogError('conflict', `data source '${code}' is used by traits ${named}`);
  }
}
