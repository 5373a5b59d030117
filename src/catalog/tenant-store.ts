/**
 * A tenant as stored. Example: `{ id: 'acme', name: 'acme', createdAt: '2026-01-01T00:00:00.000Z' }`
 */
export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * A tenant just made, with its first API key and site key: the only time the API key is shown.
 * Example: `{ tenant: 'acme', apiKey: 'dmp_3f2a9c0d1b7e4a65_...', siteKey: 'site_Jx3k...' }`
 */
export interface CreatedTenant {
  tenant: string;
  apiKey: string;
  siteKey: string;
}

/**
 * The tenant and the key ID (the public 16 hex digits, never the secret) of an API key.
 *
 * Example: `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65' }`
 */
export interface ApiKeyIdentity {
  tenant: string;
  keyId: string;
  /** the user the key acts for (`UserStore.createUserApiKey`); absent for the tenant's own keys */
  user?: string;
}

/**
 * Tenants and their API keys. A new tenant also gets, in the same step, a site key allowing any origin
 * (`SiteKeyStore`), the three default data sources (`DataSourceStore`) and its secret visitor key
 * (`OptOutStore.visitorKey`): an adapter creates them all or none.
 *
 * Tenant IDs: the name itself when it is already a slug (`a-z`, `0-9`, inner `-`, at most 32 characters)
 * and not taken; otherwise the name's slug plus `-` and 6 random characters (`Acme Ltd` -> `acme-ltd-k3x9qa`).
 *
 * Example:
 * ```ts
 * const { tenant, apiKey } = await tenants.createTenant('acme'); // tenant === 'acme'
 * await tenants.authenticateApiKey(apiKey); // -> 'acme'
 * ```
 */
export interface TenantStore {
  /** Creates a tenant with its first API key (admin) and site key; the keys are shown only here. */
  createTenant(name: string): Promise<CreatedTenant>;
  getTenant(id: string): Promise<Tenant | undefined>;
  /** Every tenant, in creation order. */
  listTenants(): Promise<Tenant[]>;
  /** The tenant the API key belongs to; keys are stored hashed and compared in constant time. */
  authenticateApiKey(key: string): Promise<string | undefined>;
  /** Like `authenticateApiKey` (same constant-time check), but also says which key, for the audit log. */
  authenticateApiKeyId(key: string): Promise<ApiKeyIdentity | undefined>;
}
