/**
 * A destination: a place segments go (an ad network, DSP, SSP, ad server, a bid stream, a file drop, a
 * webhook), with its own segment codes, the ID it keys on, the consent it needs and the export controls
 * it declares. Plain data, checked once by `parseDestination`.
 *
 * Example:
 * ```ts
 * const dsp: Destination = {
 *   kind: 'openrtb', code: 'ssp-eu', name: 'SSP Europe',
 *   segments: [{ segment: 'sports_fans', id: '483' }], segtax: 4,
 *   idType: 'uid', consent: { vendorId: 755, purposes: [1, 3, 4] }, restrictions: [],
 *   settings: {},
 * };
 * ```
 */
export type Destination =
  | (DestinationBase & { kind: 'openrtb'; settings: DestinationUses })
  | (DestinationBase & { kind: 'prebid'; settings: DestinationUses })
  | (DestinationBase & { kind: 'gam'; settings: GamSettings })
  | (DestinationBase & { kind: 'url'; settings: UrlSettings })
  | (DestinationBase & { kind: 'http'; settings: HttpSettings })
  | (DestinationBase & { kind: 'file'; settings: FileSettings });

/** The kinds of destination, in the order the API lists them. Example: `DESTINATION_KINDS.includes('gam')` */
export const DESTINATION_KINDS = ['openrtb', 'prebid', 'gam', 'url', 'http', 'file'] as const;

/** One of `DESTINATION_KINDS`. Example: `const kind: DestinationKind = 'file';` */
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/**
 * What every kind of destination has.
 *
 * Example: `{ code: 'ttd', name: 'The Trade Desk', segments: [{ segment: 'auto_intent', id: 'ttd-991' }],
 *   idType: 'partner:ttd', consent: { vendorId: 21, purposes: [1, 3, 4] }, restrictions: ['no-modeling'] }`
 */
export interface DestinationBase {
  /** `[a-z0-9_-]{1,64}`, unique in the tenant */
  code: string;
  name: string;
  /** our segment code to the destination's own segment ID (or IAB Audience Taxonomy ID with `segtax` 4) */
  segments: SegmentMapping[];
  /** the `segtax` of the IDs in `segments` (4 = IAB Audience Taxonomy 1.1, for Seller Defined Audiences) */
  segtax?: number;
  /** the ID the destination keys on: `uid` (our first-party ID), `maid` (mobile ad ID) or `partner:NAME` */
  idType: string;
  /** the GVL vendor ID and TCF purposes `mayReceive` checks for every visitor */
  consent: { vendorId?: number; purposes: number[] };
  /** data labels the destination cannot take (see `exportControlConflicts`) */
  restrictions: string[];
  rateLimitPerSecond?: number;
  schedule?: { everyMinutes: number };
}

/** Example: `{ segment: 'sports_fans', id: '483' }` */
export interface SegmentMapping {
  segment: string;
  id: string;
}

/**
 * What a destination does with data, for the export controls. Every destination is off-site targeting
 * unless `onsite`; the bid stream kinds (openrtb, prebid) always share with third parties.
 *
 * Example: `{ onsite: true, modeling: false }`
 */
export interface DestinationUses {
  onsite?: boolean;
  thirdParty?: boolean;
  modeling?: boolean;
  /** the destination joins the data with personal data it holds (names, e-mails) */
  piiCombination?: boolean;
}

/**
 * Google Ad Manager: the targeting key the segment IDs go under, and how many values it takes.
 *
 * Example: `{ key: 'dmp', maxValuesPerKey: 50 }`
 */
export interface GamSettings extends DestinationUses {
  key: string;
  maxValuesPerKey: number;
}

/** A pixel fired when a visitor enters a segment. Example: `{ template: 'https://px.example/s?u=${UID}' }` */
export interface UrlSettings extends DestinationUses {
  template: string;
}

/**
 * JSON batches of added and removed members, with the partner's credentials.
 *
 * Example: `{ url: 'https://api.example/aud', batchSize: 1000, authorization: 'Bearer s3cr3t' }`
 */
export interface HttpSettings extends DestinationUses {
  url: string;
  batchSize: number;
  /** sent as the `Authorization` header */
  authorization?: string;
  /** more headers sent with every batch */
  headers?: Record<string, string>;
}

/**
 * Scheduled gzipped exports in the partner's template of columns.
 *
 * Example: `{ format: 'csv', mode: 'delta', columns: [{ name: 'uid', from: 'id' }], batchSize: 100000 }`
 */
export interface FileSettings extends DestinationUses {
  format: ExportFormat;
  mode: 'full' | 'delta';
  columns: ExportColumn[];
  /** rows per file */
  batchSize: number;
}

/** Example: `'ndjson'` */
export type ExportFormat = 'csv' | 'ndjson';

/**
 * One column of an export template: its name in the file and what fills it. `segments` are our codes,
 * `segment_ids` the destination's; `constant` writes `value` on every row.
 *
 * Example: `{ name: 'audience_ids', from: 'segment_ids', separator: ';' }`
 */
export interface ExportColumn {
  name: string;
  from: ExportColumnSource;
  /** joins list values in CSV (default `|`) */
  separator?: string;
  /** for `from: 'constant'` */
  value?: string;
}

/** The sources a column can take. Example: `EXPORT_COLUMN_SOURCES.includes('action')` */
export const EXPORT_COLUMN_SOURCES = [
  'id',
  'id_type',
  'segments',
  'segment_ids',
  'action',
  'timestamp',
  'constant',
] as const;

/** One of `EXPORT_COLUMN_SOURCES`. Example: `const from: ExportColumnSource = 'segment_ids';` */
export type ExportColumnSource = (typeof EXPORT_COLUMN_SOURCES)[number];
