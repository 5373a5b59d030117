import { CatalogError } from './catalog-error.ts';
import type { DestinationStore, StoredDestination } from './destination-store.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';

interface Row {
  code: string;
  kind: string;
  definition: string;
  created_at: string;
  updated_at: string;
}

const toDestination = (r: Row): StoredDestination => ({
  code: r.code,
  kind: r.kind,
  definition: JSON.parse(r.definition) as unknown,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Destinations on SQLite, one row per (tenant, code).
 * Example: `await destinations.saveDestination('acme', 'ttd', 'http', definition)`.
 */
export function sqliteDestinations(ctx: CatalogContext): DestinationStore {
  const { db } = ctx;
  const list = db.prepare<[string], Row>(
    'SELECT * FROM destinations WHERE tenant = ? ORDER BY created_at, code',
  );
  const get = db.prepare<[string, string], Row>('SELECT * FROM destinations WHERE tenant = ? AND code = ?');
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
