import type { Catalog } from './catalog.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant, requireText } from './catalog-context.ts';
import { optOutDigest } from './opt-out-hash.ts';

/**
 * The opt-out part of the catalog, on SQLite.
 *
 * Example: `const optOuts = sqliteOptOuts(ctx); await optOuts.isOptedOut('acme', 'cookie', 'c-123');`
 */
export type OptOutMethods = Pick<Catalog, 'addOptOut' | 'isOptedOut' | 'listOptOutHashes'>;

/**
 * Opt-outs on SQLite, kept as `optOutDigest(idType, id)` only, so the file never holds an ID in clear.
 *
 * Example:
 * ```ts
 * await optOuts.addOptOut('acme', 'cookie', 'c-123'); // -> true; again -> false
 * await optOuts.listOptOutHashes('acme'); // -> [optOutHash('cookie', 'c-123')]
 * ```
 */
export function sqliteOptOuts(ctx: CatalogContext): OptOutMethods {
  const { db } = ctx;
  const insert = db.prepare<[string, Buffer, string]>(
    'INSERT INTO opt_outs (tenant, id_sha256, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const has = db.prepare<[string, Buffer], { one: number }>(
    'SELECT 1 AS one FROM opt_outs WHERE tenant = ? AND id_sha256 = ?',
  );
  const all = db.prepare<[string], { id_sha256: Buffer }>(
    'SELECT id_sha256 FROM opt_outs WHERE tenant = ? ORDER BY id_sha256',
  );

  const check = (idType: string, id: string): void => {
    requireText('idType', idType);
    requireText('id', id);
  };

  return {
    async addOptOut(tenant, idType, id) {
      requireTenant(ctx, tenant);
      check(idType, id);
      return insert.run(tenant, optOutDigest(idType, id), ctx.now()).changes === 1;
    },
    async isOptedOut(tenant, idType, id) {
      check(idType, id);
      return has.get(tenant, optOutDigest(idType, id)) !== undefined;
    },
    async listOptOutHashes(tenant) {
      return all.all(tenant).map((row) => row.id_sha256.toString('hex'));
    },
  };
}
