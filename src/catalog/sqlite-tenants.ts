import type { Catalog, CreatedTenant, DataSource, Party, Tenant } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { generateApiKey, generateSiteKey, parseApiKey, secretMatches } from './api-key.ts';
import type { CatalogContext } from './catalog-context.ts';
import { isUniqueViolation, requireTenant, requireText } from './catalog-context.ts';
import { tenantIdCandidates } from './tenant-id.ts';

/**
 * The tenant, key and data source half of the catalog, on SQLite.
 *
 * Example: `const tenants = sqliteTenants({ db, now }); await tenants.createTenant('acme');`
 */
export type TenantMethods = Pick<
  Catalog,
  | 'createTenant'
  | 'getTenant'
  | 'listTenants'
  | 'authenticateApiKey'
  | 'tenantForSiteKey'
  | 'listDataSources'
  | 'createDataSource'
>;

interface TenantRow {
  id: string;
  name: string;
  created_at: string;
}

interface DataSourceRow {
  id: number;
  code: string;
  name: string;
  party: Party;
  created_at: string;
}

/** Every new tenant gets these, so that a trait always has a source to name. */
const defaultSources: readonly { code: string; name: string; party: Party }[] = [
  { code: 'first-party', name: 'First party', party: 'first' },
  { code: 'second-party', name: 'Second party', party: 'second' },
  { code: 'third-party', name: 'Third party', party: 'third' },
];

const parties: ReadonlySet<string> = new Set<Party>(['first', 'second', 'third']);

// Compared against when the key ID is unknown, so that a miss costs the same as a wrong secret.
const noSecret = Buffer.alloc(32);

/**
 * Tenants, API keys, site keys and data sources on SQLite.
 *
 * Tenant IDs: the name itself when it is already a slug (`a-z`, `0-9`, inner `-`, at most 32 characters)
 * and not taken; otherwise the name's slug plus `-` and 6 random characters (`Acme Ltd` -> `acme-ltd-k3x9qa`).
 *
 * Example:
 * ```ts
 * const { tenant, apiKey } = await sqliteTenants(ctx).createTenant('acme'); // tenant === 'acme'
 * ```
 */
export function sqliteTenants(ctx: CatalogContext): TenantMethods {
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
  const apiKeyById = db.prepare<[string], { tenant: string; secret_sha256: Buffer }>(
    'SELECT tenant, secret_sha256 FROM api_keys WHERE id = ?',
  );
  const insertSiteKey = db.prepare<[string, string, string]>(
    'INSERT INTO site_keys (key, tenant, created_at) VALUES (?, ?, ?)',
  );
  const siteKeyTenant = db.prepare<[string], { tenant: string }>(
    'SELECT tenant FROM site_keys WHERE key = ?',
  );
  const sourcesOf = db.prepare<[string], DataSourceRow>(
    'SELECT id, code, name, party, created_at FROM data_sources WHERE tenant = ? ORDER BY id',
  );
  const insertSource = db.prepare<[string, string, string, string, string], DataSourceRow>(
    `INSERT INTO data_sources (tenant, code, name, party, created_at) VALUES (?, ?, ?, ?, ?)
     RETURNING id, code, name, party, created_at`,
  );

  const addSource = (tenant: string, input: { code: string; name: string; party: Party }): DataSource => {
    const row = insertSource.get(tenant, input.code, input.name, input.party, ctx.now());
    if (!row) throw new Error('INSERT ... RETURNING gave no row');
    return toDataSource(row);
  };

  const createTenant = db.transaction((name: string): CreatedTenant => {
    const at = ctx.now();
    const id = tenantIdCandidates(name, 5).find((candidate) => !tenantById.get(candidate));
    if (!id) throw new Error(`no free tenant ID found for '${name}'`);
    insertTenant.run(id, name, at);
    const apiKey = generateApiKey();
    insertApiKey.run(apiKey.id, id, apiKey.secretSha256, apiKey.lastFour, at);
    const siteKey = generateSiteKey();
    insertSiteKey.run(siteKey, id, at);
    for (const source of defaultSources) addSource(id, source);
    return { tenant: id, apiKey: apiKey.key, siteKey };
  });

  const createDataSource = db.transaction(
    (tenant: string, input: { code: string; name: string; party: Party }): DataSource => {
      requireTenant(ctx, tenant);
      requireText('code', input.code);
      requireText('name', input.name);
      if (!parties.has(input.party)) {
        throw new CatalogError(
          'invalid',
          `party must be first, second or third, not '${String(input.party)}'`,
        );
      }
      try {
        return addSource(tenant, input);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new CatalogError('conflict', `data source '${input.code}' already exists in this tenant`);
        }
        throw error;
      }
    },
  );

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
      const parts = parseApiKey(key);
      if (!parts) return undefined;
      const row = apiKeyById.get(parts.id);
      const matches = secretMatches(parts.secret, row?.secret_sha256 ?? noSecret);
      return row && matches ? row.tenant : undefined;
    },
    async tenantForSiteKey(siteKey) {
      if (typeof siteKey !== 'string') return undefined;
      return siteKeyTenant.get(siteKey)?.tenant;
    },
    async listDataSources(tenant) {
      return sourcesOf.all(tenant).map(toDataSource);
    },
    async createDataSource(tenant, input) {
      return createDataSource(tenant, input);
    },
  };
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

function toDataSource(row: DataSourceRow): DataSource {
  return { id: row.id, code: row.code, name: row.name, party: row.party, createdAt: row.created_at };
}
