import type { ProfileStore, SnapshotPart, TenantProfiles } from './profile-store.ts';
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
 * const copy = createMemoryProfileStore();
 * for (const t of store.tenants()) copy.restoreTenant(t, store.tenant(t).snapshotParts());
 * ```
 */
export function createMemoryProfileStore(): ProfileStore {
  const tenants = new Map<string, MemoryTenantProfiles>();
  return {
    tenant(tenant: string): TenantProfiles {
      let profiles = tenants.get(tenant);
      if (profiles === undefined) {
        profiles = new MemoryTenantProfiles();
        tenants.set(tenant, profiles);
      }
      return profiles;
    },
    tenants(): string[] {
      return [...tenants.keys()];
    },
    restoreTenant(tenant: string, parts: readonly SnapshotPart[]): void {
      if (tenants.has(tenant))
        throw new Error(`tenant ${tenant} already has profiles: restore it before use`);
      tenants.set(tenant, MemoryTenantProfiles.fromSnapshot(parts));
    },
    dropTenant(tenant: string): void {
      tenants.delete(tenant);
    },
  };
}
