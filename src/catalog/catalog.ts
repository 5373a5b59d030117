/**
 * The catalog: configuration of every tenant (tenants, keys, data sources, traits, segments).
 * Every method but the key look-ups takes the tenant, so no call can reach another tenant's data.
 *
 * Example:
 * ```ts
 * const { tenant, apiKey, siteKey } = await catalog.createTenant('acme');
 * const t = await catalog.authenticateApiKey(apiKey); // -> tenant id, or undefined
 * await catalog.createTrait(t!, { code: 'pricing_visitor', name: 'Visited pricing', rule: 'url.path startsWith "/pricing"', ruleJson: ast, lifetimeDays: 120, folder: 'Site/Intent', source: 'first-party' }, 42);
 * ```
 */
export type Party = 'first' | 'second' | 'third';

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface DataSource {
  id: number;
  code: string;
  name: string;
  party: Party;
  createdAt: string;
}

export type TraitKind = 'rule' | 'onboarded' | 'third-party' | 'algorithmic';

/** One rule of a trait and the log position from which it applies. */
export interface TraitVersion {
  version: number;
  rule: string;
  /** the rule's JSON form (DSL.md), kept so that it need not be parsed again */
  ruleJson: unknown;
  /**
   * Events with log sequence >= this are tested against this version (until the next version).
   * A version saved with backfill has 0: it applies to every stored event, and earlier versions no longer do.
   */
  fromSeq: number;
}

export interface Trait {
  id: number;
  code: string;
  name: string;
  kind: TraitKind;
  /** the current rule text; empty for traits that are not rule-based */
  rule: string;
  ruleJson: unknown;
  lifetimeDays: number;
  folder: string;
  /** the data source's code */
  source: string;
  integrationCode?: string;
  description?: string;
  /** the versions still in force, oldest first (after the latest backfill) */
  versions: TraitVersion[];
  createdAt: string;
  updatedAt: string;
}

export interface TraitInput {
  code: string;
  name: string;
  kind?: TraitKind;
  rule: string;
  ruleJson: unknown;
  lifetimeDays?: number;
  folder?: string;
  /** a data source code; `first-party`, `second-party` and `third-party` exist in every tenant */
  source?: string;
  integrationCode?: string;
  description?: string;
}

export interface Segment {
  id: number;
  code: string;
  name: string;
  rule: string;
  ruleJson: unknown;
  description?: string;
  integrationCode?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentInput {
  code: string;
  name: string;
  rule: string;
  ruleJson: unknown;
  description?: string;
  integrationCode?: string;
}

export interface CreatedTenant {
  tenant: string;
  apiKey: string;
  siteKey: string;
}

/** Thrown for a conflict (code taken) or a missing record; the API turns it into 409 or 404. */
export class CatalogError extends Error {
  constructor(
    readonly code: 'conflict' | 'not_found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

export interface Catalog {
  /** Creates a tenant with its first API key (admin) and site key; the keys are shown only here. */
  createTenant(name: string): Promise<CreatedTenant>;
  getTenant(id: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  /** The tenant the API key belongs to; keys are stored hashed and compared in constant time. */
  authenticateApiKey(key: string): Promise<string | undefined>;
  /** The tenant the site key belongs to. */
  tenantForSiteKey(siteKey: string): Promise<string | undefined>;

  listDataSources(tenant: string): Promise<DataSource[]>;
  createDataSource(tenant: string, input: { code: string; name: string; party: Party }): Promise<DataSource>;

  listTraits(tenant: string): Promise<Trait[]>;
  getTrait(tenant: string, code: string): Promise<Trait | undefined>;
  /** `fromSeq`: the log position the first version applies from (0 with backfill). */
  createTrait(tenant: string, input: TraitInput, fromSeq: number): Promise<Trait>;
  /**
   * Changes a trait. A new rule becomes a new version from `fromSeq`; with `backfill` (fromSeq 0) it
   * replaces every earlier version.
   */
  updateTrait(
    tenant: string,
    code: string,
    patch: Partial<Omit<TraitInput, 'code'>>,
    fromSeq: number,
  ): Promise<Trait>;
  deleteTrait(tenant: string, code: string): Promise<void>;

  listSegments(tenant: string): Promise<Segment[]>;
  getSegment(tenant: string, code: string): Promise<Segment | undefined>;
  createSegment(tenant: string, input: SegmentInput): Promise<Segment>;
  updateSegment(tenant: string, code: string, patch: Partial<Omit<SegmentInput, 'code'>>): Promise<Segment>;
  deleteSegment(tenant: string, code: string): Promise<void>;

  close(): Promise<void>;
}
