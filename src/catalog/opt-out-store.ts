/**
 * A tenant's opt-outs as stored: `keyed` as `visitorHash(key, idType, id)`, `legacy` as the bare
 * `optOutHash(idType, id)` of catalogs before visitor keys. Example: `{ keyed: ['9f86…'], legacy: [] }`.
 */
export interface OptOutHashes {
  keyed: string[];
  legacy: string[];
}

/**
 * Visitors who opted out, and the tenant's secret key that names them. Only `visitorHash(key, idType,
 * id)` is ever stored, never the ID; the same ID hashes differently in two tenants.
 *
 * Example:
 * ```ts
 * await optOuts.addOptOut('acme', 'cookie', 'c-123'); // -> true; again -> false
 * await optOuts.isOptedOut('acme', 'cookie', 'c-123'); // -> true
 * await optOuts.listOptOutHashes('acme'); // -> { keyed: [visitorHash(key, 'cookie', 'c-123')], legacy: [] }
 * ```
 */
export interface OptOutStore {
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
  /** Every opt-out of the tenant as hex strings (each list in ascending order), for a cache at collection. */
  listOptOutHashes(tenant: string): Promise<OptOutHashes>;
}
