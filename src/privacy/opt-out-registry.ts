import type { KeyObject } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.ts';
import { optOutHash, visitorHash, visitorKeyObject } from '../catalog/opt-out-hash.ts';
import type { CollectedEvent } from '../core/event.ts';
import { createLruCache } from '../collect/lru-cache.ts';
import type { LruCache } from '../collect/lru-cache.ts';

/** IDs whose answer is kept per tenant: a returning visitor costs a map look-up, not an HMAC. */
const CHECKED_IDS = 50_000;

/** One tenant's opt-outs in memory: keyed hashes, legacy SHA-256 ones (often none), and the key. */
interface TenantOptOuts {
  key: KeyObject;
  keyed: Set<string>;
  legacy: Set<string>;
  /** `idType NUL id` -> opted out; made at the first check, emptied when an opt-out is added */
  checked: LruCache<string, boolean> | undefined;
}

/**
 * The visitors who opted out, per tenant, as keyed hashes of their IDs (`visitorHash`, with the tenant's
 * secret) held in memory so that collection can refuse their events without a database call. Opt-outs
 * stored before visitor keys are bare SHA-256: they are checked in that form too, only for tenants that
 * still have such rows, until the same ID opts out again (the catalog then re-keys it). Answers are
 * kept per ID (an LRU of `CHECKED_IDS`, emptied at each new opt-out), so a returning visitor's events
 * cost no hash at all; a new ID costs one HMAC (about 2-4 us) per ID type.
 *
 * Example: `await optOuts.load('t1'); await optOuts.add('t1', 'uid', 'c-123'); optOuts.covers('t1', event)`.
 */
export class OptOutRegistry {
  private readonly byTenant = new Map<string, TenantOptOuts>();

  constructor(private readonly catalog: Catalog) {}

  async load(tenant: string): Promise<void> {
    const secret = await this.catalog.visitorKey(tenant);
    if (secret === undefined) return; // not a tenant (yet): nothing opted out
    const hashes = await this.catalog.listOptOutHashes(tenant);
    this.byTenant.set(tenant, {
      key: visitorKeyObject(secret),
      keyed: new Set(hashes.keyed),
      legacy: new Set(hashes.legacy),
      checked: undefined,
    });
  }

  /**
   * Reads the tenant's opt-outs again after another process added some (`app/follow-catalog.ts`). Opt-outs
   * are only ever added, so what is held is kept and the rows read are added to it: a read that began
   * before this process's own `add` cannot drop it. The answers kept per ID are emptied.
   *
   * Example: `await optOuts.refresh('t1'); optOuts.covers('t1', event); // true for an ID opted out elsewhere`
   */
  async refresh(tenant: string): Promise<void> {
    const before = this.byTenant.get(tenant);
    await this.load(tenant);
    const held = this.byTenant.get(tenant);
    if (before === undefined || held === undefined) return;
    for (const hash of before.keyed) held.keyed.add(hash);
  }

  /** Records an opt-out; true when it is new. */
  async add(tenant: string, idType: string, id: string): Promise<boolean> {
    const added = await this.catalog.addOptOut(tenant, idType, id);
    const held = await this.tenant(tenant);
    held.keyed.add(visitorHash(held.key, idType, id));
    held.legacy.delete(optOutHash(idType, id));
    held.checked = undefined;
    return added;
  }

  /**
   * How this tenant names a visitor's ID where the ID must not be kept (audit entries): the keyed hash,
   * the same as its opt-out row. Example: `await optOuts.hashOf('t1', 'uid', 'c-123')` -> 64 hex digits.
   */
  async hashOf(tenant: string, idType: string, id: string): Promise<string> {
    return visitorHash((await this.tenant(tenant)).key, idType, id);
  }

  /** Whether any ID of the event belongs to a visitor who opted out. */
  covers(tenant: string, event: CollectedEvent): boolean {
    const held = this.byTenant.get(tenant);
    if (held === undefined || (held.keyed.size === 0 && held.legacy.size === 0)) return false;
    if (this.has(held, 'uid', event.uid)) return true;
    for (const type in event.ids) {
      const id = event.ids[type];
      if (id !== undefined && this.has(held, type, id)) return true;
    }
    return false;
  }

  private has(held: TenantOptOuts, idType: string, id: string): boolean {
    held.checked ??= createLruCache<string, boolean>(CHECKED_IDS);
    const text = `${idType}\u0000${id}`;
    const known = held.checked.get(text);
    if (known !== undefined) return known;
    const out =
      (held.keyed.size > 0 && held.keyed.has(visitorHash(held.key, idType, id))) ||
      (held.legacy.size > 0 && held.legacy.has(optOutHash(idType, id)));
    held.checked.set(text, out);
    return out;
  }

  private async tenant(tenant: string): Promise<TenantOptOuts> {
    let held = this.byTenant.get(tenant);
    if (held === undefined) {
      await this.load(tenant);
      held = this.byTenant.get(tenant);
    }
    if (held === undefined) throw new Error(`tenant '${tenant}' has no visitor key in the catalog`);
    return held;
  }
}
