import type { Logger } from 'pino';
import type { CampaignService } from '../activate/campaigns/campaign-service.ts';
import type { BatchRunner } from '../activate/runs/batch-runner.ts';
import type { DestinationService } from '../activate/destination-service.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogChange, CatalogListener } from '../catalog/catalog-changes.ts';
import type { IdentitySettingsService } from '../identity/identity-settings-service.ts';
import type { PartnerService } from '../identity/partner-service.ts';
import type { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import type { RealisationWriter, RuleReader, RuleWriter } from '../qualify/ports.ts';
import { reloadRules } from '../qualify/rules-loader.ts';
import { reportFailure } from './report-failure.ts';

/** How long the changes of one tenant and cache are gathered before it is reloaded once. */
export const FOLLOW_DEBOUNCE_MS = 100;

/** What this process keeps in memory of the catalog, and the hook each offers to read it again. */
export interface FollowedCaches {
  catalog: Pick<Catalog, 'listTenants' | 'listTraits' | 'listSegments'>;
  /** the compiled traits and segments */
  qualify: Pick<RuleWriter, 'setRules'> & RuleReader & Pick<RealisationWriter, 'clearTrait'>;
  optOuts: Pick<OptOutRegistry, 'refresh'>;
  /** destinations resolved with the segments their export controls refuse (labels of data sources) */
  destinations: Pick<DestinationService, 'changedElsewhere'>;
  /** the batch runs in progress here (one cancelled, or whose destination was deleted, elsewhere stops) */
  runner: Pick<BatchRunner, 'destinationsChangedElsewhere' | 'runsChangedElsewhere'>;
  campaigns: Pick<CampaignService, 'reload'>;
  /** the partners `/cookie_sync` and `/setuid` read, and their ID lifetimes */
  partners: Pick<PartnerService, 'changedElsewhere'>;
  identitySettings: Pick<IdentitySettingsService, 'forget'>;
}

type Reload = 'rules' | 'destinations' | 'runs' | 'campaigns' | 'opt-outs' | 'partners' | 'identity-settings';

const EVERY_RELOAD: readonly Reload[] = [
  'rules',
  'destinations',
  'runs',
  'campaigns',
  'opt-outs',
  'partners',
  'identity-settings',
];

/**
 * What a change of each kind makes this process read again (`run`: only the runs it is doing, to stop
 * one cancelled elsewhere). Kinds not named need nothing: site keys and API keys (`site-key`, `user`,
 * `tenant`) are kept at most a second (`KnownKeys`); users, sessions' users, audit entries, run history
 * and segment sizes are read from the catalog at each request.
 */
const RELOADS: Readonly<Record<string, readonly Reload[]>> = {
  trait: ['rules'],
  segment: ['rules'],
  destination: ['destinations'],
  'data-source': ['destinations'],
  campaign: ['campaigns'],
  run: ['runs'],
  'opt-out': ['opt-outs'],
  partner: ['partners'],
  'identity-settings': ['identity-settings'],
  tenant: EVERY_RELOAD,
  '*': EVERY_RELOAD,
};

/**
 * Keeps this process's caches of the catalog current with the changes every process commits to a shared
 * catalog (PostgreSQL: `catalog.listen`, LISTEN/NOTIFY). Changes are gathered per tenant and cache for
 * `debounceMs`, then that cache is read again once (never two reads of one cache at a time: a change
 * heard during a read brings one more). `{ tenant: '*', kind: '*' }` (the listener reconnected) reloads
 * every cache of every tenant. A failed reload is logged and the process goes on. A catalog without
 * `listen` (SQLite: one process) gives a follower that does nothing.
 *
 * Listening starts before recovery reads the catalog (`listen`), and changes heard until the services
 * exist (`follow`) are applied then, so that none falls between the two.
 *
 * Example:
 * ```ts
 * const follower = await CatalogFollower.listen(stores.catalog, logger);
 * // ... recover, build the services ...
 * follower.follow({ catalog, qualify, optOuts, destinations, campaigns, partners, identitySettings });
 * // ... at close:
 * await follower.close();
 * ```
 */
export class CatalogFollower {
  private listener: CatalogListener | undefined;
  private caches: FollowedCaches | undefined;
  private closed = false;
  /** `tenant NUL reload` -> its state: waiting (timer), running, and whether a change came meanwhile */
  private readonly pending = new Map<
    string,
    { timer?: NodeJS.Timeout; running?: Promise<void>; again: boolean }
  >();
  private readonly heldBack: CatalogChange[] = [];

  private constructor(
    private readonly catalog: Pick<Catalog, 'listTenants'>,
    private readonly logger: Logger,
    private readonly debounceMs: number,
  ) {}

  /** Starts listening when the catalog can tell of other processes' changes; resolves once it listens. */
  static async listen(
    catalog: Pick<Catalog, 'listen' | 'listTenants'>,
    logger: Logger,
    debounceMs = FOLLOW_DEBOUNCE_MS,
  ): Promise<CatalogFollower> {
    const follower = new CatalogFollower(catalog, logger, debounceMs);
    if (catalog.listen !== undefined) follower.listener = await catalog.listen((c) => follower.heard(c));
    return follower;
  }

  /** Whether changes are heard at all (false on a catalog without `listen`). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  /** Applies the changes to these caches from now on, and those heard since `listen`. */
  follow(caches: FollowedCaches): void {
    this.caches = caches;
    for (const change of this.heldBack.splice(0)) this.heard(change);
  }

  /** Stops listening, drops the reloads waiting and waits for those running. Twice is harmless. */
  async close(): Promise<void> {
    this.closed = true;
    for (const state of this.pending.values()) clearTimeout(state.timer);
    await this.listener?.close();
    const running = [...this.pending.values()].flatMap((state) => (state.running ? [state.running] : []));
    await Promise.allSettled(running);
  }

  private heard(change: CatalogChange): void {
    if (this.closed) return;
    if (this.caches === undefined) {
      this.heldBack.push(change);
      return;
    }
    const reloads = RELOADS[change.kind] ?? [];
    if (reloads.length === 0) return;
    if (change.tenant !== '*') {
      for (const reload of reloads) this.schedule(change.tenant, reload);
      return;
    }
    this.catalog
      .listTenants()
      .then((tenants) => {
        for (const tenant of tenants) for (const reload of reloads) this.schedule(tenant.id, reload);
      })
      .catch(reportFailure(this.logger, 'following catalog changes', 'caches reload at the next change'));
  }

  private schedule(tenant: string, reload: Reload): void {
    if (this.closed) return;
    const key = `${tenant}\u0000${reload}`;
    const state = this.pending.get(key);
    if (state !== undefined) {
      if (state.timer === undefined) state.again = true; // running: once more after it
      return;
    }
    const timer = setTimeout(() => this.run(key, tenant, reload), this.debounceMs);
    this.pending.set(key, { timer, again: false });
  }

  private run(key: string, tenant: string, reload: Reload): void {
    const state = this.pending.get(key);
    if (state === undefined || this.closed) return;
    state.timer = undefined;
    state.running = this.apply(tenant, reload)
      .catch(reportFailure(this.logger, `reloading ${reload} of tenant ${tenant} after a catalog change`))
      .finally(() => {
        this.pending.delete(key);
        if (state.again) this.schedule(tenant, reload);
      });
  }

  private async apply(tenant: string, reload: Reload): Promise<void> {
    const caches = this.caches!;
    switch (reload) {
      case 'rules':
        await reloadRules(caches.catalog, caches.qualify, tenant);
        return;
      case 'destinations':
        caches.destinations.changedElsewhere();
        await caches.runner.destinationsChangedElsewhere(tenant);
        return;
      case 'runs':
        await caches.runner.runsChangedElsewhere(tenant);
        return;
      case 'campaigns':
        await caches.campaigns.reload(tenant);
        return;
      case 'opt-outs':
        await caches.optOuts.refresh(tenant);
        return;
      case 'partners':
        caches.partners.changedElsewhere(tenant);
        return;
      case 'identity-settings':
        caches.identitySettings.forget(tenant);
        return;
    }
  }
}
