import { MembershipCache } from './membership-cache.ts';
import type { TenantRules } from './tenant-rules.ts';

/**
 * Each tenant's `MembershipCache`, dropped whole when the tenant's rules change. Example:
 * `caches.of('t1', rules).get(p, now)`; after a profile changed, `caches.changed('t1', p)`.
 */
export class MembershipCaches {
  private readonly caches = new Map<string, { rules: TenantRules; cache: MembershipCache }>();

  /** The tenant's cache for these rules (a new, empty one when the rules are not those it was made for). */
  of(tenant: string, rules: TenantRules): MembershipCache {
    let entry = this.caches.get(tenant);
    if (entry === undefined || entry.rules !== rules) {
      entry = { rules, cache: new MembershipCache() };
      this.caches.set(tenant, entry);
    }
    return entry.cache;
  }

  /** Forgets cached memberships of one profile (or, without `p`, of the whole tenant). */
  changed(tenant: string, p?: number): void {
    const entry = this.caches.get(tenant);
    if (entry === undefined) return;
    if (p === undefined) entry.cache.clear();
    else entry.cache.delete(p);
  }
}
