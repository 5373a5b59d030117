/**
 * A segment as stored: only its current rule (segments are evaluated on profiles as they are now, so
 * there is no history to version).
 *
 * Example: `{ id: 3, code: 'london', name: 'London', rule: 'geo.city == "London"', ruleJson, createdAt, updatedAt }`
 */
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

/**
 * A segment to create. Example: `{ code: 'london', name: 'London', rule: 'geo.city == "London"', ruleJson }`
 */
export interface SegmentInput {
  code: string;
  name: string;
  rule: string;
  ruleJson: unknown;
  description?: string;
  integrationCode?: string;
}

/**
 * Segments of each tenant. IDs are integers, increasing in creation order. An optional text patched to
 * `''` is cleared; a new rule needs its `ruleJson`.
 *
 * Example:
 * ```ts
 * await segments.createSegment('acme', { code: 'london', name: 'London', rule: 'geo.city == "London"', ruleJson });
 * await segments.updateSegment('acme', 'london', { name: 'Londoners' });
 * ```
 */
export interface SegmentStore {
  /** The tenant's segments in creation order. */
  listSegments(tenant: string): Promise<Segment[]>;
  getSegment(tenant: string, code: string): Promise<Segment | undefined>;
  /** `conflict` for a code taken in the tenant. */
  createSegment(tenant: string, input: SegmentInput): Promise<Segment>;
  updateSegment(tenant: string, code: string, patch: Partial<Omit<SegmentInput, 'code'>>): Promise<Segment>;
  deleteSegment(tenant: string, code: string): Promise<void>;
}
