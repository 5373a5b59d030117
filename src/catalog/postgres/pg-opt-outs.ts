import type { OptOutStore } from '../opt-out-store.ts';
import { requireText } from '../catalog-context.ts';
import { optOutDigest, visitorDigest } from '../opt-out-hash.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, one, requireTenantPg } from './pg-sql.ts';

/**
 * Opt-outs on PostgreSQL, kept as `visitorDigest(tenant key, idType, id)` only (`form = 'hmac'`); legacy
 * bare SHA-256 rows (`form = 'sha256'`) are honoured and re-keyed, as in the SQLite adapter.
 *
 * Example: `await pgOptOuts(ctx).addOptOut('acme', 'cookie', 'c-123'); // -> true; again -> false`
 */
export function pgOptOuts(ctx: PgContext): OptOutStore {
  const { pool } = ctx;
  const check = (idType: string, id: string): void => {
    requireText('idType', idType);
    requireText('id', id);
  };
  const key = async (tenant: string): Promise<Buffer | undefined> =>
    (
      await one<{ visitor_key: Buffer }>(pool, 'SELECT visitor_key FROM tenant_secrets WHERE tenant = $1', [
        tenant,
      ])
    )?.visitor_key;

  return {
    async visitorKey(tenant) {
      return key(tenant);
    },
    async addOptOut(tenant, idType, id) {
      await requireTenantPg(pool, tenant);
      check(idType, id);
      const secret = await key(tenant);
      if (secret === undefined) throw new Error(`tenant '${tenant}' has no visitor key; reopen the catalog`);
      const keyed = visitorDigest(secret, idType, id);
      const legacy = optOutDigest(idType, id);
      // the legacy row (if any) goes in the same transaction as the keyed one is written
      return ctx.write(tenant, 'opt-out', async (sql) => {
        const wasLegacy =
          (await changed(
            sql,
            `DELETE FROM opt_outs WHERE tenant = $1 AND id_sha256 = $2 AND form = 'sha256'`,
            [tenant, legacy],
          )) === 1;
        const inserted = await changed(
          sql,
          `INSERT INTO opt_outs (tenant, id_sha256, created_at, form) VALUES ($1, $2, $3, 'hmac') ON CONFLICT DO NOTHING`,
          [tenant, keyed, ctx.now()],
        );
        return inserted === 1 && !wasLegacy;
      });
    },
    async isOptedOut(tenant, idType, id) {
      check(idType, id);
      const secret = await key(tenant);
      if (secret === undefined) return false;
      const row = await one(
        pool,
        `SELECT 1 AS one FROM opt_outs WHERE tenant = $1
           AND ((id_sha256 = $2 AND form = 'hmac') OR (id_sha256 = $3 AND form = 'sha256'))`,
        [tenant, visitorDigest(secret, idType, id), optOutDigest(idType, id)],
      );
      return row !== undefined;
    },
    async listOptOutHashes(tenant) {
      const hashes = { keyed: [] as string[], legacy: [] as string[] };
      const rows = await all<{ id_sha256: Buffer; form: string }>(
        pool,
        'SELECT id_sha256, form FROM opt_outs WHERE tenant = $1 ORDER BY id_sha256',
        [tenant],
      );
      for (const row of rows)
        (row.form === 'hmac' ? hashes.keyed : hashes.legacy).push(row.id_sha256.toString('hex'));
      return hashes;
    },
  };
}
