/**
 * An expected failure of a service, carried to the HTTP edge, which turns it into an
 * `application/problem+json` answer with this status, a stable `code`, and the field path at fault.
 *
 * Example: `throw new ServiceError(404, 'not_found', "no trait 'x' in this tenant", { field: 'code' })`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** `retryAfterS`: with a 429 or 503, the seconds the client should wait (`Retry-After`; default 1) */
    readonly extra: { field?: string; errors?: unknown[]; retryAfterS?: number } = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
