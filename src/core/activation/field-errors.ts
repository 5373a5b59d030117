/**
 * Reading untrusted JSON field by field: each reader returns the value, or records an error naming the
 * field and returns undefined, so a parser reports every problem at once and never throws.
 *
 * Example:
 * ```ts
 * const errors: FieldError[] = [];
 * const code = readString(json.code, 'code', errors, { pattern: /^[a-z]+$/ });
 * // errors: [{ field: 'code', message: 'must match /^[a-z]+$/' }] when it does not
 * ```
 */
export interface FieldError {
  /** the path of the field at fault, e.g. `segments[2].id` or `settings.key` */
  field: string;
  message: string;
}

/** A JSON object as read from untrusted input. Example: `{ code: 'x' }` */
export type JsonObject = Record<string, unknown>;

/** Example: `isObject({})` -> true; `isObject([])` -> false */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Example: `readObject(null, 'settings', errors)` records `settings: must be an object` */
export function readObject(value: unknown, field: string, errors: FieldError[]): JsonObject | undefined {
  if (isObject(value)) return value;
  errors.push({ field, message: 'must be an object' });
  return undefined;
}

/** Example: `readString('', 'name', errors, { max: 200 })` records `name: must not be empty` */
export function readString(
  value: unknown,
  field: string,
  errors: FieldError[],
  rule: { max?: number; pattern?: RegExp } = {},
): string | undefined {
  if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string' });
    return undefined;
  }
  const max = rule.max ?? 200;
  if (value.length === 0) errors.push({ field, message: 'must not be empty' });
  else if (value.length > max) errors.push({ field, message: `must be at most ${max} characters` });
  else if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    errors.push({ field, message: `must match ${String(rule.pattern)}` });
  } else return value;
  return undefined;
}

/** Example: `readInteger(0, 'batchSize', errors, { min: 1, max: 10 })` records `must be between 1 and 10` */
export function readInteger(
  value: unknown,
  field: string,
  errors: FieldError[],
  range: { min: number; max: number },
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.push({ field, message: 'must be an integer' });
    return undefined;
  }
  if (value < range.min || value > range.max) {
    errors.push({ field, message: `must be between ${range.min} and ${range.max}` });
    return undefined;
  }
  return value;
}

/** Example: `readBoolean('yes', 'settings.onsite', errors)` records `must be true or false` */
export function readBoolean(value: unknown, field: string, errors: FieldError[]): boolean | undefined {
  if (typeof value === 'boolean') return value;
  errors.push({ field, message: 'must be true or false' });
  return undefined;
}

/** Example: `readArray({}, 'segments', errors)` records `segments: must be an array` */
export function readArray(
  value: unknown,
  field: string,
  errors: FieldError[],
  max = 10_000,
): unknown[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be an array' });
    return undefined;
  }
  if (value.length > max) {
    errors.push({ field, message: `must have at most ${max} entries` });
    return undefined;
  }
  return value as unknown[];
}

/** Example: `readOneOf('zip', 'format', errors, ['csv', 'ndjson'])` records `must be one of csv, ndjson` */
export function readOneOf<T extends string>(
  value: unknown,
  field: string,
  errors: FieldError[],
  allowed: readonly T[],
): T | undefined {
  const found = allowed.find((a) => a === value);
  if (found === undefined) errors.push({ field, message: `must be one of ${allowed.join(', ')}` });
  return found;
}

/** Records every key of `object` not in `known`. Example: `{ kidn: 'url' }` records `kidn: unknown field` */
export function rejectUnknown(
  object: JsonObject,
  known: readonly string[],
  prefix: string,
  errors: FieldError[],
): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) errors.push({ field: `${prefix}${key}`, message: 'unknown field' });
  }
}
