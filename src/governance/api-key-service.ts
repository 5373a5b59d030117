import type { Catalog } from '../catalog/catalog.ts';
import type { Role } from '../core/roles.ts';

/**
 * Who an API key speaks for: its tenant, its key ID (the public 16 hex digits, never the secret) for the
 * audit log, and the role it acts with: a user's key acts with its user's role (read at each check, so a
 * role change reaches the key), a tenant's own key (`dmp tenant create`) as `admin`.
 * Example: `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65', role: 'editor', user: 'ann@acme.com' }`
 */
export interface ApiKeyIdentity {
  tenant: string;
  keyId: string;
  role: Role;
  /** the user the key belongs to; absent for the tenant's own keys */
  user?: string;
}

/**
 * Authenticates the management API's keys (`Authorization: Bearer KEY`): keys are stored hashed in the
 * catalog and compared in constant time there; the API keeps a valid key's identity for a second
 * (`requireApiKey`), this service asks every time.
 *
 * Example: `await new ApiKeyService(catalog).identify('dmp_3f2a...')` -> `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65', role: 'admin' }`,
 * `undefined` for a key that is not valid.
 */
export class ApiKeyService {
  constructor(private readonly catalog: Pick<Catalog, 'authenticateApiKeyId' | 'getUser'>) {}

  /** The tenant, key ID and role of a valid API key; `undefined` when it is not one (or its user is gone). */
  async identify(key: string): Promise<ApiKeyIdentity | undefined> {
    const found = await this.catalog.authenticateApiKeyId(key);
    if (found === undefined) return undefined;
    if (found.user === undefined) return { tenant: found.tenant, keyId: found.keyId, role: 'admin' };
    const user = await this.catalog.getUser(found.tenant, found.user);
    if (user === undefined) return undefined;
    return { tenant: found.tenant, keyId: found.keyId, role: user.role, user: user.email };
  }
}
