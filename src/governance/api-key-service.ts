import type { Catalog } from '../catalog/catalog.ts';

/**
 * Who an API key speaks for: its tenant, and its key ID (the public 16 hex digits, never the secret) for
 * the audit log. Example: `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65' }`
 */
export interface ApiKeyIdentity {
  tenant: string;
  keyId: string;
}

/**
 * Authenticates the management API's keys (`Authorization: Bearer KEY`): keys are stored hashed in the
 * catalog and compared in constant time there; the API keeps a valid key's identity for a second
 * (`requireApiKey`), this service asks every time.
 *
 * Example: `await new ApiKeyService(catalog).identify('dmp_3f2a...')` -> `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65' }`,
 * `undefined` for a key that is not valid.
 */
export class ApiKeyService {
  constructor(private readonly catalog: Pick<Catalog, 'authenticateApiKeyId'>) {}

  /** The tenant and key ID of a valid API key; `undefined` when it is not one. */
  identify(key: string): Promise<ApiKeyIdentity | undefined> {
    return this.catalog.authenticateApiKeyId(key);
  }
}
