/**
 * The catalog: configuration of every tenant (tenants, keys, data sources, traits, segments).
 * Every method but the key look-ups takes the tenant, so no call can reach another tenant's data.
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
export type Party = 'first' | 'second' | 'third';

/**
 * A tenant's opt-outs as stored: `keyed` as `visitorHash(key, idType, id)`, `legacy` as the bare
 * `optOutHash(idType, id)` of catalogs before visitor keys. Example: `{ keyed: ['9f86…'], legacy: [] }`.
 */
export interface OptOutHashes {
  keyed: string[];
  legacy: string[];
}

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * The data export controls a data source can carry: what its data may not be used for. Destinations
 * declare what they do, and a mapping that would break a label is refused.
 *
 * Example: `DATA_LABELS.includes('no-modeling')` -> `true`.
 */
export const DATA_LABELS = [
  'no-onsite-targeting',
  'no-offsite-targeting',
  'no-modeling',
  'no-pii-combination',
  'no-third-party-sharing',
] as const;

/** One of `DATA_LABELS`. Example: `const label: DataLabel = 'no-modeling';` */
export type DataLabel = (typeof DATA_LABELS)[number];

/**
 * Where data comes from, with its export control labels (known labels only, in `DATA_LABELS` order).
 *
 * Example: `{ id: 4, code: 'crm', name: 'CRM', party: 'first', labels: ['no-third-party-sharing'], createdAt }`
 */
export interface DataSource {
  id: number;
  code: string;
  name: string;
  party: Party;
  labels: string[];
  createdAt: string;
}

/**
 * A data source to create; `labels` defaults to none.
 *
 * Example: `{ code: 'crm', name: 'CRM', party: 'first', labels: ['no-modeling'] }`
 */
export interface DataSourceInput {
  code: string;
  name: string;
  party: Party;
  labels?: string[];
}

/**
 * One line of the audit log, as stored: `before` and `after` are left out when they were not given.
 * `id` counts up from 1 within each tenant.
 *
 * Example: `{ id: 12, at: '2026-01-01T00:00:00.000Z', actor: 'key:3f2a9c0d1b7e4a65', action: 'trait.update', target: 'trait:pricing_visitor', before: {...}, after: {...} }`
 */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What to append to the audit log; `before` and `after` must be JSON-serialisable.
 *
 * Example: `{ actor: 'key:3f2a9c0d1b7e4a65', action: 'segment.delete', target: 'segment:buyers', before: segment }`
 */
export interface AuditInput {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A page of the audit log: entries with `id > after` (default 0), oldest first, at most `limit` (1-1000),
 * optionally only one action and/or one target.
 *
 * Example: `{ after: 40, limit: 20, action: 'trait.update' }`
 */
export interface AuditQuery {
  after?: number;
  limit: number;
  action?: string;
  target?: string;
}

/**
 * A site key and the origins that may send with it (`['*']`: any).
 *
 * Example: `{ key: 'site_Jx3k...', origins: ['https://shop.example.com'], createdAt: '2026-01-01T00:00:00.000Z' }`
 */
export interface SiteKey {
  key: string;
  origins: string[];
  createdAt: string;
}

/**
 * What the collector needs to know about a site key.
 *
 * Example: `{ tenant: 'acme', origins: ['https://shop.example.com', 'http://localhost:8080'] }`
 */
export interface SiteKeyInfo {
  tenant: string;
  origins: string[];
}

/**
 * The tenant and the key ID (the public 16 hex digits, never the secret) of an API key.
 *
 * Example: `{ tenant: 'acme', keyId: '3f2a9c0d1b7e4a65' }`
 */
export interface ApiKeyIdentity {
  tenant: string;
  keyId: string;
}

export type TraitKind = 'rule' | 'onboarded' | 'third-party' | 'algorithmic';

/** One rule of a trait and the log position from which it applies. */
export interface TraitVersion {
  version: number;
  rule: string;
  /** the rule's JSON form (docs/rule-language.md), kept so that it need not be parsed again */
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

/** A destination as stored: its definition is validated by the activation core before it is saved. */
export interface StoredDestination {
  code: string;
  kind: string;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
}

/** One run of a batch destination. `report` is the runner's (counts, funnel, files or batches). */
export interface ActivationRun {
  runId: string;
  destination: string;
  campaign?: string;
  mode: 'full' | 'delta';
  /** `running` from the start until it ends (`report.queued` while it waits for a slot) */
  status: 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';
  startedAt: string;
  finishedAt?: string;
  report: unknown;
}

/** A batch a partner never acknowledged, after every retry. */
export interface DeadLetter {
  id: number;
  destination: string;
  runId: string;
  batchId: string;
  reason: string;
  attempts: number;
  payload: unknown;
  createdAt: string;
}

/** A campaign as stored: its definition is validated by the campaign service before it is saved. */
export interface StoredCampaign {
  code: string;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
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
  /** Like `authenticateApiKey` (same constant-time check), but also says which key, for the audit log. */
  authenticateApiKeyId(key: string): Promise<ApiKeyIdentity | undefined>;
  /** The tenant the site key belongs to. */
  tenantForSiteKey(siteKey: string): Promise<string | undefined>;

  /** Makes a site key allowed from these origins (normalised; `['*']` for any); `invalid` for a bad origin. */
  createSiteKey(tenant: string, origins: string[]): Promise<string>;
  listSiteKeys(tenant: string): Promise<SiteKey[]>;
  /** Replaces the allowed origins of one of the tenant's site keys; `not_found` for another tenant's key. */
  updateSiteKey(tenant: string, key: string, origins: string[]): Promise<SiteKey>;
  /** The tenant and allowed origins of a site key, for the collector's CORS check. */
  siteKeyInfo(key: string): Promise<SiteKeyInfo | undefined>;

  listDataSources(tenant: string): Promise<DataSource[]>;
  getDataSource(tenant: string, code: string): Promise<DataSource | undefined>;
  /** `invalid` for an unknown label, naming the known ones; `conflict` for a code taken. */
  createDataSource(tenant: string, input: DataSourceInput): Promise<DataSource>;
  /** Renames and/or relabels (`labels` replaces the whole set). */
  updateDataSource(
    tenant: string,
    code: string,
    patch: { name?: string; labels?: string[] },
  ): Promise<DataSource>;
  /** `conflict` while a trait uses it, and for the three default sources every tenant keeps. */
  deleteDataSource(tenant: string, code: string): Promise<void>;

  /** Appends to the tenant's audit log, which can never be changed (no method; triggers refuse SQL). */
  appendAudit(tenant: string, entry: AuditInput): Promise<AuditEntry>;
  listAudit(tenant: string, query: AuditQuery): Promise<AuditEntry[]>;

  /**
   * The tenant's secret key (32 bytes) for naming visitors by `visitorHash`; made at tenant creation
   * (or by the schema step that brought keys in) and never sent out. `undefined` for an unknown tenant.
   */
  visitorKey(tenant: string): Promise<Buffer | undefined>;

  /**
   * Records an opt-out of one ID (only `visitorHash(key, idType, id)` is stored, and a legacy SHA-256
   * row of the same ID is re-keyed to it); idempotent. Resolves `true` when it was new, `false` when the
   * ID had already opted out (in either form).
   */
  addOptOut(tenant: string, idType: string, id: string): Promise<boolean>;
  isOptedOut(tenant: string, idType: string, id: string): Promise<boolean>;
  /** Every opt-out of the tenant as hex strings, keyed and legacy apart, for a cache at collection. */
  listOptOutHashes(tenant: string): Promise<OptOutHashes>;

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

  listDestinations(tenant: string): Promise<StoredDestination[]>;
  getDestination(tenant: string, code: string): Promise<StoredDestination | undefined>;
  /** Saves a validated destination definition (new, or replacing the one with its code). */
  saveDestination(
    tenant: string,
    code: string,
    kind: string,
    definition: unknown,
  ): Promise<StoredDestination>;
  deleteDestination(tenant: string, code: string): Promise<void>;

  /** Creates or updates a run of a batch destination (its report holds counts and the funnel). */
  saveRun(tenant: string, run: ActivationRun): Promise<void>;
  getRun(tenant: string, runId: string): Promise<ActivationRun | undefined>;
  /** Runs of a destination (or of every destination), newest first. */
  listRuns(
    tenant: string,
    query: { destination?: string; campaign?: string; status?: string; limit: number },
  ): Promise<ActivationRun[]>;
  addDeadLetter(tenant: string, letter: Omit<DeadLetter, 'id' | 'createdAt'>): Promise<DeadLetter>;
  listDeadLetters(tenant: string, destination: string, limit: number): Promise<DeadLetter[]>;
  /**
   * Takes a deleted visitor's IDs out of the tenant's dead-letter payloads (`added[].id`, `removed[]`),
   * leaving no copy in the database files; resolves the number of letters rewritten.
   */
  eraseFromDeadLetters(tenant: string, ids: readonly string[]): Promise<number>;

  listCampaigns(tenant: string): Promise<StoredCampaign[]>;
  getCampaign(tenant: string, code: string): Promise<StoredCampaign | undefined>;
  saveCampaign(tenant: string, code: string, definition: unknown): Promise<StoredCampaign>;
  deleteCampaign(tenant: string, code: string): Promise<void>;

  /** Keeps the sizes of segments on a UTC day (`YYYY-MM-DD`), replacing that day's earlier ones. */
  recordSegmentSizes(
    tenant: string,
    day: string,
    sizes: readonly { segmentId: number; size: number }[],
  ): Promise<void>;
  /** A segment's daily sizes from `fromDay` on, oldest first. */
  segmentSizes(tenant: string, segmentId: number, fromDay: string): Promise<{ day: string; size: number }[]>;
  /** The days on which sizes were recorded for the tenant, from `fromDay` on. */
  sizeDays(tenant: string, fromDay: string): Promise<string[]>;
  /** Forgets every tenant's sizes before `beforeDay`. */
  pruneSegmentSizes(beforeDay: string): Promise<number>;

  close(): Promise<void>;
}
