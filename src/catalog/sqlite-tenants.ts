import { randomBytes } from 'node:crypto';
import type { ApiKeyIdentity, CreatedTenant, Tenant, TenantStore } from './tenant-store.ts';
import { generateApiKey, generateSiteKey, parseApiKey, secretMatches } from './api-key.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireText } from './catalog-context.ts';
import { addDefaultDataSources } from './sqlite-data-sources.ts';
import { tenantIdCandidates } from './tenant-id.ts';

interface TenantRow {
  id: string;
  name: string;
  created_at: string;
}

// Compared against when the key ID is unknown, so that a miss costs the same as a wrong secret.
const noSecret = Buffer.alloc(32);

/**
 * Tenants and API keys on SQLite; a new tenant also gets a site key allowing any origin, the three
 * default data sources, and its secret visitor key (`Catalog.visitorKey`, never returned here).
 *
 * Tenant IDs: the name itself when it is already a slug (`a-z`, `0-9`, inner `-`, at most 32 characters)
 * and not taken; otherwise the name's slug plus `-` and 6 random characters (`Acme Ltd` -> `acme-ltd-k3x9qa`).
 *
 * Example:
 * ```ts
 * const { tenant, apiKey } = await sqliteTenants(ctx).createTenant('acme'); // tenant === 'acme'
 * ```
 */
export function sqliteTenants(ctx: CatalogContext): TenantStore {
  const { db } = ctx;
  const tenantById = db.prepare<[string], TenantRow>('SELECT id, name, created_at FROM tenants WHERE id = ?');
  const allTenants = db.prepare<[], TenantRow>(
    'SELECT id, name, created_at FROM tenants ORDER BY created_at, id',
  );
  const insertTenant = db.prepare<[string, string, string]>(
    'INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)',
  );
  const insertApiKey = db.prepare<[string, string, Buffer, string, string]>(
    'INSERT INTO api_keys (id, tenant, secret_sha256, last_four, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const apiKeyById = db.prepare<
    [string],
    { tenant: string; secret_sha256: Buffer; user_email: string | null }
  >('SELECT tenant, secret_sha256, user_email FROM api_keys WHERE id = ?');
  const insertVisitorKey = db.prepare<[string, Buffer]>(
    'INSERT INTO tenant_secrets (tenant, visitor_key) VALUES (?, ?)',
  );
  const insertSiteKey = db.prepare<[string, string, string]>(
    `INSERT INTO site_keys (key, tenant, origins, created_at) VALUES (?, ?, '["*"]', ?)`,
  );

  const identify = (key: string): ApiKeyIdentity | undefined => {
    const parts = parseApiKey(key);
    if (!parts) return undefined;
    const row = apiKeyById.get(parts.id);
    const matches = secretMatches(parts.secret, row?.secret_sha256 ?? noSecret);
    if (!row || !matches) return undefined;
    return row.user_email === null
      ? { tenant: row.tenant, keyId: parts.id }
      : { tenant: row.tenant, keyId: parts.id, user: row.user_email };
  };

  const createTenant = db.transaction((name: string): CreatedTenant => {
    const at = ctx.now();
    const id = tenantIdCandidates(name, 5).find((candidate) => !tenantById.get(candidate));
    if (!id) throw new Error(`no free tenant ID found for '${name}'`);
    insertTenant.run(id, name, at);
    insertVisitorKey.run(id, randomBytes(32));
    const apiKey = generateApiKey();
    insertApiKey.run(apiKey.id, id, apiKey.secretSha256, apiKey.lastFour, at);
    const siteKey = generateSiteKey();
    insertSiteKey.run(siteKey, id, at);
    addDefaultDataSources(db, id, at);
    return { tenant: id, apiKey: apiKey.key, siteKey };
  });

  return {
    async createTenant(name) {
      const trimmed = typeof name === 'string' ? name.trim() : '';
      requireText('name', trimmed);
      return createTenant(trimmed);
    },
    async getTenant(id) {
      const row = tenantById.get(id);
      return row && toTenant(row);
    },
    async listTenants() {
      return allTenants.all().map(toTenant);
    },
    async authenticateApiKey(key) {
      return identify(key)?.tenant;
    },
    async authenticateApiKeyId(key) {
      return identify(key);
    },
  };
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
