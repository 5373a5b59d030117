import type { Catalog } from '../catalog/catalog.ts';
import { optOutHash } from '../catalog/opt-out-hash.ts';
import type { CollectedEvent } from '../core/event.ts';

/**
 * The visitors who opted out, per tenant, as hashes of their IDs held in memory so that collection can
 * refuse their events without a database call. Example: `await optOuts.add('t1', 'uid', 'c-123');
 * optOuts.covers('t1', event)`.
 */
export class OptOutRegistry {
  private readonly byTenant = new Map<string, Set<string>>();

  constructor(private readonly catalog: Catalog) {}

  async load(tenant: string): Promise<void> {
    this.byTenant.set(tenant, new Set(await this.catalog.listOptOutHashes(tenant)));
  }

  /** Records an opt-out; true when it is new. */
  async add(tenant: string, idType: string, id: string): Promise<boolean> {
    const added = await this.catalog.addOptOut(tenant, idType, id);
    let set = this.byTenant.get(tenant);
    if (set === undefined) {
      set = new Set();
      this.byTenant.set(tenant, set);
    }
    set.add(optOutHash(idType, id));
    return added;
  }

  /** Whether any ID of the event belongs to a visitor who opted out. */
  covers(tenant: string, event: CollectedEvent): boolean {
    const set = this.byTenant.get(tenant);
    if (set === undefined || set.size === 0) return false;
    if (set.has(optOutHash('uid', event.uid))) return true;
    for (const type in event.ids) {
      const id = event.ids[type];
      if (id !== undefined && set.has(optOutHash(type, id))) return true;
    }
    return false;
  }
}
