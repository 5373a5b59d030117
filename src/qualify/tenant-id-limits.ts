import type { IdentityLimitsRecord } from '../core/identity/index.ts';
import { DEFAULT_ID_CAPS, DEFAULT_IDS_PER_PROFILE } from '../core/identity/index.ts';
import type { IdLimits } from '../profiles/profile-ids.ts';
import type { PartToWrite, SnapshotPart } from '../profiles/profile-store.ts';

/** The limits of a tenant whose log holds no `identity` record: the identity rules' defaults. */
export const DEFAULT_LINK_LIMITS: IdLimits = Object.freeze({
  caps: DEFAULT_ID_CAPS,
  perProfile: DEFAULT_IDS_PER_PROFILE,
});

/** The snapshot part holding a tenant's limits (JSON), beside its profiles. */
export const ID_LIMITS_PART = 'identity.limits';

/**
 * Each tenant's ID limits as the log has set them so far: the defaults until an `identity` record
 * (identity-limits-record.ts) replaces them. Linking and merging read `of(tenant)`; a snapshot keeps them
 * beside the profiles (`snapshotParts`, `restore`: the shape of a snapshot companion), since the record
 * that set them may lie before the snapshot, where a restart does not replay.
 *
 * Example: `limits.apply({ kind: 'identity', tenant: 't1', caps, perProfile: 64 }); limits.of('t1').caps`
 */
export class TenantIdLimits {
  readonly prefix = ID_LIMITS_PART;
  private readonly byTenant = new Map<string, IdLimits>();

  /** The limits in force for the tenant now. */
  of(tenant: string): IdLimits {
    return this.byTenant.get(tenant) ?? DEFAULT_LINK_LIMITS;
  }

  /** Takes a record's limits for its tenant, from here on. */
  apply(record: IdentityLimitsRecord): void {
    this.byTenant.set(record.tenant, limitsOf(record.caps, record.perProfile));
  }

  /** The tenant's limits as one small JSON part; none while the defaults apply. */
  snapshotParts(tenant: string): PartToWrite[] {
    const limits = this.byTenant.get(tenant);
    if (limits === undefined) return [];
    return [{ name: ID_LIMITS_PART, bytes: Buffer.from(JSON.stringify(limits), 'utf8') }];
  }

  /** Restores what `snapshotParts` wrote (the defaults when the snapshot holds none). */
  restore(tenant: string, parts: readonly SnapshotPart[]): void {
    this.byTenant.delete(tenant);
    for (const part of parts) {
      if (part.name !== ID_LIMITS_PART) continue;
      const saved = JSON.parse(Buffer.from(part.bytes).toString('utf8')) as IdLimits;
      this.byTenant.set(tenant, limitsOf(saved.caps ?? DEFAULT_ID_CAPS, saved.perProfile));
    }
  }

  /** Forgets the tenant's limits (its snapshot could not be restored after all). */
  drop(tenant: string): void {
    this.byTenant.delete(tenant);
  }
}

/** Frozen limits, a missing or invalid per-profile cap taken as the default. */
function limitsOf(caps: IdentityLimitsRecord['caps'], perProfile: number | undefined): IdLimits {
  const most =
    perProfile !== undefined && Number.isSafeInteger(perProfile) && perProfile >= 1
      ? perProfile
      : DEFAULT_IDS_PER_PROFILE;
  return Object.freeze({
    caps: Object.freeze({ perType: Object.freeze({ ...caps.perType }), otherwise: caps.otherwise }),
    perProfile: most,
  });
}
