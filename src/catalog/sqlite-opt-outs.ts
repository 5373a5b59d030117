import type { OptOutStore } from './opt-out-store.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant, requireText } from './catalog-context.ts';
import { optOutDigest, visitorDigest } from './opt-out-hash.ts';

/**
 * Opt-outs on SQLite, kept as `visitorDigest(tenant key, idType, id)` only (`form = 'hmac'`), so the file
 * never holds an ID in clear nor a hash anyone could recompute. Rows from before visitor keys are bare
 * SHA-256 (`form = 'sha256'`): still honoured, and re-keyed when the same ID opts out again.
 *
 * Example:
 * ```ts
 * await optOuts.addOptOut('acme', 'cookie', 'c-123'); // -> true; again -> false
 * await optOuts.listOptOutHashes('acme'); // -> { keyed: [visitorHash(key, 'cookie', 'c-123')], legacy: [] }
 * ```
 */
export function sqliteOptOuts(ctx: CatalogContext): OptOutStore {
  const { db } = ctx;
  const keyOf = db.prepare<[string], { visitor_key: Buffer }>(
    'SELECT visitor_key FROM tenant_secrets WHERE tenant = ?',
  );
  const insert = db.prepare<[string, Buffer, string]>(
    `INSERT INTO opt_outs (tenant, id_sha256, created_at, form) VALUES (?, ?, ?, 'hmac') ON CONFLICT DO NOTHING`,
  );
  const dropLegacy = db.prepare<[string, Buffer]>(
    `DELETE FROM opt_outs WHERE tenant = ? AND id_sha256 = ? AND form = 'sha256'`,
  );
  const has = db.prepare<[string, Buffer, Buffer], { one: number }>(
    `SELECT 1 AS one FROM opt_outs WHERE tenant = ?
       AND ((id_sha256 = ? AND form = 'hmac') OR (id_sha256 = ? AND form = 'sha256'))`,
  );
  const all = db.prepare<[string], { id_sha256: Buffer; form: string }>(
    'SELECT id_sha256, form FROM opt_outs WHERE tenant = ? ORDER BY id_sha256',
  );

  const check = (idType: string, id: string): void => {
    requireText('idType', idType);
    requireText('id', id);
  };
  const key = (tenant: string): Buffer | undefined => keyOf.get(tenant)?.visitor_key;
  // the legacy row (if any) goes in the same transaction as the keyed one is written
  const add = db.transaction((tenant: string, keyed: Buffer, legacy: Buffer): boolean => {
    const wasLegacy = dropLegacy.run(tenant, legacy).changes === 1;
    return insert.run(tenant, keyed, ctx.now()).changes === 1 && !wasLegacy;
  });

  return {
    async visitorKey(tenant) {
      return key(tenant);
    },
    async addOptOut(tenant, idType, id) {
      requireTenant(ctx, tenant);
      check(idType, id);
      const secret = key(tenant);
      if (secret === undefined) throw new Error(`tenant '${tenant}' has no visitor key; reopen the catalog`);
      return add(tenant, visitorDigest(secret, idType, id), optOutDigest(idType, id));
    },
    async isOptedOut(tenant, idType, id) {
      check(idType, id);
      const secret = key(tenant);
      if (secret === undefined) return false;
      return has.get(tenant, visitorDigest(secret, idType, id), optOutDigest(idType, id)) !== undefined;
    },
    async listOptOutHashes(tenant) {
      const hashes = { keyed: [] as string[], legacy: [] as string[] };
      for (const row of all.all(tenant))
        (row.form === 'hmac' ? hashes.keyed : hashes.legacy).push(row.id_sha256.toString('hex'));
      return hashes;
    },
  };
}
