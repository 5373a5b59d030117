import { randomBytes } from 'node:crypto';
import { generateApiKey, generateSiteKey, parseApiKey, secretMatches } from '../api-key.ts';
import { CatalogError } from '../catalog-error.ts';
import { requireText } from '../catalog-context.ts';
import type { Party } from '../data-source-store.ts';
import { visitorHash } from '../opt-out-hash.ts';
import type { OptOutStore } from '../opt-out-store.ts';
import type { SiteKey, SiteKeyStore } from '../site-key-store.ts';
import { normaliseOrigins } from '../site-origin.ts';
import { tenantIdCandidates } from '../tenant-id.ts';
import type { ApiKeyIdentity, Tenant, TenantStore } from '../tenant-store.ts';
import type { CatalogState, TenantRows } from './memory-catalog-state.ts';
import { rowsOf } from './memory-catalog-state.ts';

const DEFAULT_SOURCES: readonly { code: string; name: string; party: Party }[] = [
  { code: 'first-party', name: 'First party', party: 'first' },
  { code: 'second-party', name: 'Second party', party: 'second' },
  { code: 'third-party', name: 'Third party', party: 'third' },
];

// Compared against when the key ID is unknown, so that a miss costs the same as a wrong secret.
const noSecret = Buffer.alloc(32);

/**
 * Tenants and API keys in memory: a new tenant gets its visitor key, a site key allowing any origin and
 * the three default data sources, as `TenantStore` says.
 *
 * Example: `const { tenant, apiKey } = await memoryTenants(state).createTenant('acme');`
 */
export function memoryTenants(state: CatalogState): TenantStore {
  const identify = (key: string): ApiKeyIdentity | undefined => {
    const parts = parseApiKey(key);
    if (!parts) return undefined;
    const row = state.apiKeys.get(parts.id);
    const matches = secretMatches(parts.secret, row?.secretSha256 ?? noSecret);
    if (!row || !matches) return undefined;
    return row.user === undefined
      ? { tenant: row.tenant, keyId: parts.id }
      : { tenant: row.tenant, keyId: parts.id, user: row.user };
  };
  return {
    async createTenant(name) {
      const trimmed = typeof name === 'string' ? name.trim() : '';
      requireText('name', trimmed);
      const id = tenantIdCandidates(trimmed, 5).find((candidate) => !state.tenants.has(candidate));
      if (!id) throw new Error(`no free tenant ID found for '${trimmed}'`);
      const at = state.now();
      const rows = emptyRows({ id, name: trimmed, createdAt: at });
      for (const source of DEFAULT_SOURCES) {
        const sourceId = ++state.lastId.source;
        rows.sources.set(source.code, { id: sourceId, ...source, labels: [], createdAt: at });
      }
      state.tenants.set(id, rows);
      const apiKey = generateApiKey();
      state.apiKeys.set(apiKey.id, { tenant: id, secretSha256: apiKey.secretSha256 });
      const siteKey = generateSiteKey();
      state.siteKeys.set(siteKey, { tenant: id, origins: ['*'], createdAt: at });
      return { tenant: id, apiKey: apiKey.key, siteKey };
    },
    async getTenant(id) {
      const tenant = state.tenants.get(id)?.tenant;
      return tenant && { ...tenant };
    },
    async listTenants() {
      return [...state.tenants.values()]
        .map((rows) => ({ ...rows.tenant }))
        .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
    },
    async authenticateApiKey(key) {
      return identify(key)?.tenant;
    },
    async authenticateApiKeyId(key) {
      return identify(key);
    },
  };
}

/**
 * Site keys in memory, in creation order.
 *
 * Example: `await memorySiteKeys(state).createSiteKey('acme', ['https://shop.example.com'])`.
 */
export function memorySiteKeys(state: CatalogState): SiteKeyStore {
  const lookUp = (key: unknown) => (typeof key === 'string' ? state.siteKeys.get(key) : undefined);
  return {
    async tenantForSiteKey(siteKey) {
      return lookUp(siteKey)?.tenant;
    },
    async createSiteKey(tenant, origins) {
      rowsOf(state, tenant);
      const normal = normaliseOrigins(origins);
      const key = generateSiteKey();
      state.siteKeys.set(key, { tenant, origins: normal, createdAt: state.now() });
      return key;
    },
    async listSiteKeys(tenant) {
      const out: SiteKey[] = [];
      for (const [key, row] of state.siteKeys)
        if (row.tenant === tenant) out.push({ key, origins: [...row.origins], createdAt: row.createdAt });
      return out.sort((a, b) => compare(a.createdAt, b.createdAt));
    },
    async updateSiteKey(tenant, key, origins) {
      const normal = normaliseOrigins(origins);
      const row = lookUp(key);
      if (!row || row.tenant !== tenant)
        throw new CatalogError('not_found', 'site key does not exist in this tenant');
      row.origins = normal;
      return { key, origins: [...normal], createdAt: row.createdAt };
    },
    async siteKeyInfo(key) {
      const row = lookUp(key);
      return row && { tenant: row.tenant, origins: [...row.origins] };
    },
  };
}

/**
 * Opt-outs in memory, as `visitorHash` of each ID under the tenant's key (no legacy rows: the fake never
 * had a schema before visitor keys).
 *
 * Example: `await memoryOptOuts(state).addOptOut('acme', 'cookie', 'c-1')` -> `true`.
 */
export function memoryOptOuts(state: CatalogState): OptOutStore {
  const check = (idType: string, id: string): void => {
    requireText('idType', idType);
    requireText('id', id);
  };
  return {
    async visitorKey(tenant) {
      const key = state.tenants.get(tenant)?.visitorKey;
      return key && Buffer.from(key);
    },
    async addOptOut(tenant, idType, id) {
      const rows = rowsOf(state, tenant);
      check(idType, id);
      const hash = visitorHash(rows.visitorKey, idType, id);
      if (rows.optOuts.has(hash)) return false;
      rows.optOuts.add(hash);
      return true;
    },
    async isOptedOut(tenant, idType, id) {
      check(idType, id);
      const rows = state.tenants.get(tenant);
      if (!rows) return false;
      return rows.optOuts.has(visitorHash(rows.visitorKey, idType, id));
    },
    async listOptOutHashes(tenant) {
      return { keyed: [...(state.tenants.get(tenant)?.optOuts ?? [])].sort(), legacy: [] };
    },
  };
}

function emptyRows(tenant: Tenant): TenantRows {
  return {
    tenant,
    visitorKey: randomBytes(32),
    sources: new Map(),
    traits: new Map(),
    segments: new Map(),
    audit: [],
    optOuts: new Set(),
    destinations: new Map(),
    campaigns: new Map(),
    runs: new Map(),
    letters: [],
    sizes: new Map(),
  };
}

/** Compares texts by code unit, as SQLite compares TEXT (BINARY collation). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
