/**
 * The catalog: the configuration of every tenant, as small ports owned by their features, one file each
 * (`tenant-store.ts`, `trait-store.ts`, ...). Every method but the key look-ups takes the tenant, so no
 * call can reach another tenant's data. `Catalog` is all of them on one connection, as
 * `openSqliteCatalog` (the embedded adapter), `openPostgresCatalog` (`postgres/`, shared by several
 * processes, ADR 32) and `createMemoryCatalog` (`testing/`, the fake for fast tests) give it; a service
 * takes only the stores it uses. The contract suites every adapter must pass
 * are in `test/contracts/catalog`; ADR 0026 says which adapters come next.
 *
 * Example:
 * ```ts
 * const { tenant, apiKey, siteKey } = await catalog.createTenant('acme');
 * const t = await catalog.authenticateApiKey(apiKey); // -> tenant id, or undefined
 * await catalog.createTrait(t!, { code: 'pricing_visitor', name: 'Visited pricing', rule: 'url.path startsWith "/pricing"', ruleJson: ast, lifetimeDays: 120, folder: 'Site/Intent', source: 'first-party' }, 42);
 * await catalog.appendAudit(t!, { actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.create', target: 'trait:pricing_visitor' });
 * await catalog.addOptOut(t!, 'cookie', 'c-123'); // later: isOptedOut(t!, 'cookie', 'c-123') -> true
 * ```
 */
import type { AuditLogStore } from './audit-log-store.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { CatalogChange, CatalogListener } from './catalog-changes.ts';
import type { DataSourceStore } from './data-source-store.ts';
import type { DestinationStore } from './destination-store.ts';
import type { IdentitySettingsStore } from './identity-settings-store.ts';
export type {
  User,
  UserInput,
  UserPatch,
  UserCredentials,
  UserApiKey,
  CreatedUserApiKey,
  UserStore,
} from './user-store.ts';
import type { OptOutStore } from './opt-out-store.ts';
import type { PartnerStore } from './partner-store.ts';
import type { RunStore } from './run-store.ts';
import type { SegmentSizeStore } from './segment-size-store.ts';
import type { SegmentStore } from './segment-store.ts';
import type { SiteKeyStore } from './site-key-store.ts';
import type { TenantStore } from './tenant-store.ts';
import type { TraitStore } from './trait-store.ts';
import type { UserStore } from './user-store.ts';

export { CatalogError } from './catalog-error.ts';
export type { CatalogChange, CatalogListener } from './catalog-changes.ts';
export type { Tenant, CreatedTenant, ApiKeyIdentity, TenantStore } from './tenant-store.ts';
export type { SiteKey, SiteKeyInfo, SiteKeyStore } from './site-key-store.ts';
export { DATA_LABELS } from './data-source-store.ts';
export type { Party, DataLabel, DataSource, DataSourceInput, DataSourceStore } from './data-source-store.ts';
export { AUDIT_PAGE_MAX } from './audit-log-store.ts';
export type { AuditEntry, AuditInput, AuditQuery, AuditLogStore } from './audit-log-store.ts';
export type { OptOutHashes, OptOutStore } from './opt-out-store.ts';
export type { TraitKind, TraitVersion, Trait, TraitInput, TraitStore } from './trait-store.ts';
export type { Segment, SegmentInput, SegmentStore } from './segment-store.ts';
export type { SegmentSizeStore } from './segment-size-store.ts';
export type { StoredDestination, DestinationStore } from './destination-store.ts';
export type { ActivationRun, DeadLetter, RunQuery, RunStore } from './run-store.ts';
export type { StoredCampaign, CampaignStore } from './campaign-store.ts';
export type { StoredPartner, PartnerStore } from './partner-store.ts';
export type {
  IdentitySettings,
  IdentitySettingsStore,
  StoredIdentitySettings,
} from './identity-settings-store.ts';

/**
 * Every catalog store on one connection, and `close()` to release it.
 *
 * Example: `const catalog: Catalog = await openSqliteCatalog('data/catalog.sqlite'); await catalog.close();`
 */
export interface Catalog
  extends
    TenantStore,
    SiteKeyStore,
    DataSourceStore,
    AuditLogStore,
    OptOutStore,
    TraitStore,
    SegmentStore,
    SegmentSizeStore,
    DestinationStore,
    RunStore,
    CampaignStore,
    PartnerStore,
    IdentitySettingsStore,
    UserStore {
  /** Releases the connection; every method fails afterwards. Closing twice is harmless. */
  close(): Promise<void>;
  /**
   * Calls `onChange` for each write any process commits (`catalog-changes.ts`), resolving once it
   * listens. Only adapters that several processes share have it (PostgreSQL: LISTEN/NOTIFY).
   */
  listen?(onChange: (change: CatalogChange) => void): Promise<CatalogListener>;
}
