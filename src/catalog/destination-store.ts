/**
 * A destination as stored: its definition is validated by the activation core before it is saved.
 * Example: `{ code: 'ttd', kind: 'http', definition: { ... }, createdAt, updatedAt }`
 */
export interface StoredDestination {
  code: string;
  kind: string;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
}

/**
 * Destinations of each tenant, one per code.
 *
 * Example: `await destinations.saveDestination('acme', 'ttd', 'http', definition)`.
 */
export interface DestinationStore {
  /** The tenant's destinations, oldest first. */
  listDestinations(tenant: string): Promise<StoredDestination[]>;
  getDestination(tenant: string, code: string): Promise<StoredDestination | undefined>;
  /** Saves a validated destination definition (new, or replacing the one with its code; `createdAt` stays). */
  saveDestination(
    tenant: string,
    code: string,
    kind: string,
    definition: unknown,
  ): Promise<StoredDestination>;
  /** `not_found` when the tenant has no destination with this code. */
  deleteDestination(tenant: string, code: string): Promise<void>;
}
