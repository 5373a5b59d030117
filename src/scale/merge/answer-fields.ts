import { ServiceError } from '../../core/service-error.ts';

/**
 * Readers of partition answers for the merge: each checks the field it reads and says which route,
 * which partition answer and which field is wrong when an answer is not the shape the route promises.
 *
 * Example: `const body = objectOf(where('GET /v1/segments/:code/size', 1), answer.body); intOf(where(...), body, 'size')`.
 */
export interface Where {
  route: string;
  /** the position of the answer in the list given to the merge */
  index: number;
}

/** Where a field comes from. Example: `where('GET /v1/dashboard', 0)`. */
export function where(route: string, index: number): Where {
  return { route, index };
}

/**
 * The error of an answer that cannot be merged: a 502, since a partition answered what the route does
 * not promise. Example: `throw notMergeable(at, "'size' is not an integer")`.
 */
export function notMergeable(at: Where, what: string): ServiceError {
  return new ServiceError(
    502,
    'partition_answer',
    `${at.route}: partition answer ${at.index} cannot be merged: ${what}; check that every partition runs the same release`,
  );
}

/** The answer's body as an object. Example: `objectOf(at, { size: 3 })` -> `{ size: 3 }`. */
export function objectOf(at: Where, body: unknown, path = 'the body'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw notMergeable(at, `${path} is not a JSON object`);
  }
  return body as Record<string, unknown>;
}

/** A count: a non-negative integer field. Example: `intOf(at, { size: 3 }, 'size')` -> `3`. */
export function intOf(at: Where, body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw notMergeable(at, `'${field}' is not a count (a non-negative integer): ${JSON.stringify(value)}`);
  }
  return value;
}

/** A string field. Example: `stringOf(at, { code: 'x' }, 'code')` -> `'x'`. */
export function stringOf(at: Where, body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string')
    throw notMergeable(at, `'${field}' is not a string: ${JSON.stringify(value)}`);
  return value;
}

/** An array field. Example: `arrayOf(at, { points: [] }, 'points')` -> `[]`. */
export function arrayOf(at: Where, body: Record<string, unknown>, field: string): unknown[] {
  const value = body[field];
  if (!Array.isArray(value)) throw notMergeable(at, `'${field}' is not an array`);
  return value;
}

/**
 * The latest of the answers' ISO 8601 times in `field` (each answer counted at its own moment; the merge
 * is as of the last of them), or undefined when no answer has the field.
 * Example: `latestTime([{ asOf: '2026-12-07T10:00:00.000Z' }, { asOf: '2026-12-07T10:00:01.000Z' }], 'asOf')` -> the second.
 */
export function latestTime(bodies: readonly Record<string, unknown>[], field: string): string | undefined {
  let latest: string | undefined;
  for (const body of bodies) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    if (latest === undefined || Date.parse(value) > Date.parse(latest)) latest = value;
  }
  return latest;
}

/**
 * Sets the merged time `field` on `merged` when the answers had one. Example: `withLatest(out, bodies, 'asOf')`.
 */
export function withLatest(
  merged: Record<string, unknown>,
  bodies: readonly Record<string, unknown>[],
  field: string,
): Record<string, unknown> {
  const latest = latestTime(bodies, field);
  return latest === undefined ? merged : { ...merged, [field]: latest };
}

/** The sum of a count field over the answers. Example: `sumOf(route, bodies, 'size')` -> `7`. */
export function sumOf(route: string, bodies: readonly Record<string, unknown>[], field: string): number {
  return bodies.reduce((sum, body, i) => sum + intOf(where(route, i), body, field), 0);
}
