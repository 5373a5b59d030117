import type { AudienceIndex } from '../audience/audience-index.ts';
import type { PartToWrite, ProfileStore, SnapshotPart, TenantProfiles } from '../profiles/profile-store.ts';
import { TenantAudience } from './tenant-audience.ts';

/**
 * Makes an empty audience index over a tenant's profiles, filled by `rebuild()` or `restore(parts)`:
 * the composition root chooses the implementation (the roaring bitmaps of src/audience).
 *
 * Example: `const newIndex: AudienceIndexFactory = (profiles) => new RoaringAudienceIndex(profiles);`
 */
export type AudienceIndexFactory = (profiles: TenantProfiles) => AudienceIndex;

/**
 * Every tenant's audience index: built from the profiles on first use, kept current record by record
 * once `startIndexing` was called (not while the log is replayed at start, nor during a tenant's bulk
 * load, when it is built once at the end instead), saved in and restored from snapshots.
 *
 * Example:
 * ```ts
 * const audiences = new TenantAudiences(store, (profiles) => new RoaringAudienceIndex(profiles));
 * audiences.startIndexing(['t1']);
 * audiences.live('t1')?.index.profileChanged(p);
 * ```
 */
export class TenantAudiences {
  private readonly audiences = new Map<string, TenantAudience>();
  /** off while the log is replayed at start: the indexes are then built once from the profiles */
  private indexing = false;
  /** tenants whose audience index is rebuilt once at the end of a bulk load instead of kept current */
  private readonly bulkLoading = new Set<string>();

  constructor(
    private readonly profiles: ProfileStore,
    private readonly newIndex: AudienceIndexFactory,
  ) {}

  /** The tenant's audience index (built from its profiles on first use). */
  of(tenant: string): TenantAudience {
    let audience = this.audiences.get(tenant);
    if (audience === undefined) {
      const index = this.newIndex(this.profiles.tenant(tenant));
      index.rebuild();
      audience = new TenantAudience(index);
      this.audiences.set(tenant, audience);
    }
    return audience;
  }

  /** The tenant's audience index when it is kept current record by record, else undefined. */
  live(tenant: string): TenantAudience | undefined {
    return this.indexing && !this.bulkLoading.has(tenant) ? this.of(tenant) : undefined;
  }

  /** Builds these tenants' audience indexes from their profiles, and keeps every index current from now on. */
  startIndexing(tenants: Iterable<string>): void {
    this.indexing = true;
    for (const tenant of tenants) this.of(tenant);
  }

  /** See `QualifyService.beginBulkLoad`. */
  beginBulkLoad(tenant: string): void {
    this.bulkLoading.add(tenant);
    this.audiences.delete(tenant);
  }

  /** See `QualifyService.endBulkLoad`. */
  endBulkLoad(tenant: string): void {
    this.bulkLoading.delete(tenant);
    this.audiences.delete(tenant);
    if (this.indexing) this.of(tenant);
  }

  /** The tenant's audience index as snapshot parts (none when it was never built). */
  parts(tenant: string): PartToWrite[] {
    return this.audiences.get(tenant)?.index.snapshotParts() ?? [];
  }

  /** Installs the tenant's audience index from snapshot parts, over its (already restored) profiles. */
  restore(tenant: string, parts: readonly SnapshotPart[]): void {
    const index = this.newIndex(this.profiles.tenant(tenant));
    index.restore(parts);
    this.audiences.set(tenant, new TenantAudience(index));
  }

  /** Forgets the tenant's audience index (it is built again on next use). */
  drop(tenant: string): void {
    this.audiences.delete(tenant);
  }
}
