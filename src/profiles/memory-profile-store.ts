import type { ProfileStore, TenantProfiles } from './profile-store.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

/**
 * The embedded profile store: every tenant's profiles in memory, as typed-array columns. Tenants are
 * created on first use and share nothing (the same uid in two tenants is two profiles).
 *
 * Example:
 * ```ts
 * const store = createMemoryProfileStore();
 * const profiles = store.tenant('acme');
 * const p = profiles.resolve('c-1', {}, true)!;
 * ```
 */
export function createMemoryProfileStore(): ProfileStore {
  const tenants = new Map<string, TenantProfiles>();
  return {
    tenant(tenant: string): TenantProfiles {
      let profiles = tenants.get(tenant);
      if (profiles === undefined) {
        profiles = new MemoryTenantProfiles();
        tenants.set(tenant, profiles);
      }
      return profiles;
    },
  };
}
