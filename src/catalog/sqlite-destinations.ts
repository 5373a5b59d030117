import { CatalogError } from './catalog-error.ts';
import type { DestinationStore } from './destination-store.ts';
import type { DestinationRow } from './destination-row.ts';
import { toDestination } from './destination-row.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';

/**
 * Destinations on SQLite, one row per (tenant, code).
 * Example: `await destinations.saveDestination('acme', 'ttd', 'http', definition)`.
 */
export function sqliteDestinations(ctx: CatalogContext): DestinationStore {
  const { db } = ctx;
  const list = db.prepare<[string], DestinationRow>(
    'SELECT * FROM destinations WHERE tenant = ? ORDER BY created_at, code',
  );
  const get = db.prepare<[string, string], DestinationRow>(
    'SELECT * FROM destinations WHERE tenant = ? AND code = ?',
  );
  const upsert = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO destinations (tenant, code, kind, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (tenant, code) DO UPDATE SET kind = excluded.kind, definition = excluded.definition, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM destinations WHERE tenant = ? AND code = ?');
  return {
    async listDestinations(tenant) {
      return list.all(tenant).map(toDestination);
    },
    async getDestination(tenant, code) {
      const row = get.get(tenant, code);
      return row === undefined ? undefined : toDestination(row);
    },
    async saveDestination(tenant, code, kind, definition) {
      requireTenant(ctx, tenant);
      const at = ctx.now();
      upsert.run(tenant, code, kind, JSON.stringify(definition), at, at);
      return toDestination(get.get(tenant, code)!);
    },
    async deleteDestination(tenant, code) {
      if (remove.run(tenant, code).changes === 0) {
        throw new CatalogError('not_found', `no destination '${code}' in this tenant`);
      }
    },
  };
}
