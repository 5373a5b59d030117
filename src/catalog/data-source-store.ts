/** Who a data source's data comes from. Example: `const party: Party = 'second';` */
export type Party = 'first' | 'second' | 'third';

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
 * Data sources and their export control labels. Every tenant has `first-party`, `second-party` and
 * `third-party` from its creation on; they cannot be deleted, nor can a source a trait uses.
 *
 * Example:
 * ```ts
 * await sources.createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first', labels: ['no-modeling'] });
 * await sources.updateDataSource('acme', 'crm', { labels: [] });
 * ```
 */
export interface DataSourceStore {
  /** The tenant's data sources in creation order (the three defaults first). */
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
}
