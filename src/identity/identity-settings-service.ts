import type {
  IdentitySettings,
  IdentitySettingsStore,
  StoredIdentitySettings,
} from '../catalog/identity-settings-store.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { EidsMapping, IdCaps, IdentityLimitsRecord, IdLifetimes } from '../core/identity/index.ts';
import {
  DEFAULT_EIDS_MAPPING,
  DEFAULT_ID_CAPS,
  DEFAULT_IDS_PER_PROFILE,
  DEFAULT_LIFETIME_DAYS,
  mergeEidsSources,
  PARTNER_ID_LIFETIME_DAYS,
} from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';
import { checkIdentitySettings } from './identity-settings-check.ts';

/**
 * What a tenant's identity settings come to, defaults included: the eids source -> ID type mapping,
 * the lifetime of each ID type (days; `otherwise` for a type not named) and the caps of `merge-rules`.
 *
 * Example: `{ mapping: Map { 'liveramp.com' => 'liveramp', ... }, lifetimeDays: { perType: { uid: 400, ... }, otherwise: 90 }, caps: DEFAULT_ID_CAPS }`
 */
export interface TenantIdentity {
  mapping: EidsMapping;
  lifetimeDays: { perType: Readonly<Record<string, number>>; otherwise: number };
  caps: IdCaps;
}

/**
 * The settings as `GET /v1/identity/settings` shows them: what the tenant set (`updatedAt` null when
 * it never did) and what applies (`effective`: the defaults with the settings merged in; sources and
 * types in code unit order).
 *
 * Example:
 * ```ts
 * { eidsSources: { 'liveramp.com': 'ramp_id' }, idLifetimeDays: {}, idCaps: {}, updatedAt: '2026-...',
 *   effective: { eidsSources: { 'adserver.org': 'tdid', ..., 'liveramp.com': 'ramp_id', ... },
 *     idLifetimeDays: { perType: { crm: 730, ... }, otherwise: 90 }, idCaps: { perType: { ... }, otherwise: 3 } } }
 * ```
 */
export interface IdentitySettingsView extends IdentitySettings {
  updatedAt: string | null;
  effective: {
    eidsSources: Record<string, string>;
    idLifetimeDays: { perType: Record<string, number>; otherwise: number };
    idCaps: { perType: Record<string, number>; otherwise: number };
  };
}

/** No settings: every default applies. */
const none = (): IdentitySettings => ({ eidsSources: {}, idLifetimeDays: {}, idCaps: {} });

/** The settings applied to the defaults. Example: `identityOf({ eidsSources: {}, idLifetimeDays: { maid: 90 }, idCaps: {} })` */
function identityOf(settings: IdentitySettings): TenantIdentity {
  const merged = mergeEidsSources(settings.eidsSources);
  // stored settings were checked when saved; should a default change so that they no longer merge, the
  // defaults serve rather than no mapping at all
  const mapping = merged.ok ? merged.mapping : DEFAULT_EIDS_MAPPING;
  return {
    mapping,
    lifetimeDays: {
      perType: { ...DEFAULT_LIFETIME_DAYS, ...settings.idLifetimeDays },
      otherwise: PARTNER_ID_LIFETIME_DAYS,
    },
    caps: {
      perType: { ...DEFAULT_ID_CAPS.perType, ...settings.idCaps },
      otherwise: DEFAULT_ID_CAPS.otherwise,
    },
  };
}

/** Whether two sets of caps cap alike. */
function sameCaps(a: IdCaps, b: IdCaps): boolean {
  if (a.otherwise !== b.otherwise) return false;
  const keys = new Set([...Object.keys(a.perType), ...Object.keys(b.perType)]);
  for (const key of keys) if (a.perType[key] !== b.perType[key]) return false;
  return true;
}

/** A record with its keys in code unit order. */
function sorted<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What the service keeps per tenant: the stored settings (or none) and what they come to. */
interface Loaded {
  stored: StoredIdentitySettings | undefined;
  identity: TenantIdentity;
}

/**
 * A tenant's identity settings (issue 15): which `eids` sources are read as which ID type beyond the
 * defaults of `src/core/identity`, how long IDs of each type live, and how many of a type a profile
 * keeps. `put` replaces them whole after `checkIdentitySettings` (422 naming every bad field) and
 * audits the change (`identity.settings.update`, before and after). What they come to is kept in memory
 * per tenant, loaded on first use, replaced by every `put` and dropped by `forget` (another process's
 * change to a shared catalog), so bid enrichment reads the mapping without a catalog query per request.
 *
 * Example:
 * ```ts
 * const identity = new IdentitySettingsService({ catalog, audit });
 * await identity.put('acme', { eidsSources: { 'liveramp.com': 'ramp_id' } }, 'key:3f2a9c0d1b7e4a65');
 * (await identity.eidsMapping('acme')).get('liveramp.com'); // -> 'ramp_id'
 * ```
 */
export class IdentitySettingsService {
  private readonly cache = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly deps: {
      catalog: IdentitySettingsStore;
      audit: Pick<Audit, 'record'>;
      /**
       * Writes a tenant's new ID limits to the event log (durably, resolving once applied), where linking
       * reads them in log order. Optional for a service that only reads settings (tests of the mapping).
       */
      appendLimits?: (record: IdentityLimitsRecord) => Promise<unknown>;
      /** each ID-sync partner's own `idLifetimeDays` by its code (the partners of the catalog) */
      partnerLifetimes?: (tenant: string) => Promise<Record<string, number>>;
    },
  ) {}

  private readonly lifetimesCache = new Map<string, Promise<IdLifetimes>>();

  /**
   * How long each ID type lives for the tenant (`IdLifetimes`): its settings' `idLifetimeDays`, then
   * each partner's own, then the defaults. Cached; `put` and `partnersChanged` drop it.
   *
   * Example: `isIdLive('ssp_a', learntAt, await identity.lifetimes('acme'), now)`
   */
  lifetimes(tenant: string): Promise<IdLifetimes> {
    const cached = this.lifetimesCache.get(tenant);
    if (cached !== undefined) return cached;
    const loading = Promise.all([
      this.loaded(tenant),
      this.deps.partnerLifetimes?.(tenant) ?? Promise.resolve({}),
    ]).then(([loaded, partners]): IdLifetimes => {
      const own = loaded.stored?.idLifetimeDays ?? {};
      return Object.freeze({ perType: Object.freeze({ ...partners, ...own }) });
    });
    this.lifetimesCache.set(tenant, loading);
    loading.catch(() => {
      if (this.lifetimesCache.get(tenant) === loading) this.lifetimesCache.delete(tenant);
    });
    return loading;
  }

  /**
   * Another process changed the tenant's settings (`app/follow-catalog.ts`): they and the ID lifetimes
   * are read again at their next use. Example: `identity.forget('acme'); await identity.eidsMapping('acme')`
   */
  forget(tenant: string): void {
    this.cache.delete(tenant);
    this.lifetimesCache.delete(tenant);
  }

  /** A partner of the tenant was added, changed or removed: its lifetimes are read again. */
  partnersChanged(tenant: string): void {
    this.lifetimesCache.delete(tenant);
  }

  /** The tenant's settings and what applies. */
  async get(tenant: string): Promise<IdentitySettingsView> {
    return view(await this.loaded(tenant));
  }

  /**
   * Replaces the tenant's settings with `body` (fields left out are empty: their defaults apply) and
   * audits it. 422 `invalid_identity_settings` with every error, each naming its field.
   */
  async put(tenant: string, body: unknown, actor: string): Promise<IdentitySettingsView> {
    const checked = checkIdentitySettings(body);
    if (!checked.ok) {
      const first = checked.errors[0]!;
      throw new ServiceError(
        422,
        'invalid_identity_settings',
        `${first.field === '' ? '' : `${first.field}: `}${first.message}`,
        { field: first.field, errors: checked.errors },
      );
    }
    const loadedBefore = await this.loaded(tenant);
    const before = loadedBefore.stored;
    // the caps go to the log first: a failed catalog write then leaves the limits applied and the PUT
    // answered 500, and its retry writes the catalog (a second identical record changes nothing)
    const caps = identityOf(checked.settings).caps;
    if (this.deps.appendLimits !== undefined && !sameCaps(caps, loadedBefore.identity.caps))
      await this.deps.appendLimits({ kind: 'identity', tenant, caps, perProfile: DEFAULT_IDS_PER_PROFILE });
    const stored = await wrap(this.deps.catalog.saveIdentitySettings(tenant, checked.settings));
    const loaded: Loaded = { stored, identity: identityOf(stored) };
    this.cache.set(tenant, Promise.resolve(loaded));
    this.lifetimesCache.delete(tenant);
    await this.deps.audit.record(
      tenant,
      actor,
      'identity.settings.update',
      'identity:settings',
      before === undefined ? undefined : settingsOf(before),
      settingsOf(stored),
    );
    return view(loaded);
  }

  /** What the tenant's settings come to (cached). Example: `(await identity.identityOf('acme')).caps` */
  async identityOf(tenant: string): Promise<TenantIdentity> {
    return (await this.loaded(tenant)).identity;
  }

  /** The tenant's eids source -> ID type mapping (cached). Example: `(await identity.eidsMapping('acme')).get('id5-sync.com')` -> `'id5'` */
  async eidsMapping(tenant: string): Promise<EidsMapping> {
    return (await this.loaded(tenant)).identity.mapping;
  }

  private loaded(tenant: string): Promise<Loaded> {
    const cached = this.cache.get(tenant);
    if (cached !== undefined) return cached;
    const loading = this.deps.catalog.getIdentitySettings(tenant).then((stored) => ({
      stored,
      identity: identityOf(stored ?? none()),
    }));
    this.cache.set(tenant, loading);
    // a failed read is not kept: the next call asks again
    loading.catch(() => {
      if (this.cache.get(tenant) === loading) this.cache.delete(tenant);
    });
    return loading;
  }
}

/** The settings of a stored document, copied (what the cache holds is never handed out). */
function settingsOf(stored: StoredIdentitySettings): IdentitySettings {
  return structuredClone({
    eidsSources: stored.eidsSources,
    idLifetimeDays: stored.idLifetimeDays,
    idCaps: stored.idCaps,
  });
}

function view({ stored, identity }: Loaded): IdentitySettingsView {
  return {
    ...(stored === undefined ? none() : settingsOf(stored)),
    updatedAt: stored?.updatedAt ?? null,
    effective: {
      eidsSources: sorted(identity.mapping),
      idLifetimeDays: {
        perType: sorted(Object.entries(identity.lifetimeDays.perType)),
        otherwise: identity.lifetimeDays.otherwise,
      },
      idCaps: { perType: sorted(Object.entries(identity.caps.perType)), otherwise: identity.caps.otherwise },
    },
  };
}
