/**
 * Thrown by every catalog store for a conflict (a code taken, a row still in use), a missing record
 * (or tenant), or invalid input; the API turns it into 409, 404 or 422 (`catalog-call.ts`). Every adapter
 * throws it with the same code (the contract suites in `test/contracts/catalog` check this).
 *
 * Example: `throw new CatalogError('not_found', "trait 'pricing_visitor' does not exist in this tenant")`.
 */
export class CatalogError extends Error {
  constructor(
    readonly code: 'conflict' | 'not_found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
