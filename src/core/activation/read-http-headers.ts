import type { FieldError, JsonObject } from './field-errors.ts';
import { isObject, readString } from './field-errors.ts';

/** The credentials an http destination sends its partner. Example: `{ authorization: 'Bearer s3cr3t' }` */
export interface HttpHeaderSettings {
  /** sent as the `Authorization` header */
  authorization?: string;
  /** more headers, by name */
  headers?: Record<string, string>;
}

/** Limits of `readHttpHeaders`. Example: `HTTP_HEADER_LIMITS.maxHeaders` -> 20 */
export const HTTP_HEADER_LIMITS = { maxHeaders: 20, nameLength: 64, valueLength: 4096 } as const;

/** RFC 9110 token characters: a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible characters, space and tab: no CR, LF or other control characters. */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the runner sets itself, or that the HTTP client owns. */
const RESERVED = new Set([
  'authorization',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'host',
  'idempotency-key',
  'keep-alive',
  'upgrade',
]);

/**
 * Reads `settings.authorization` (a string) and `settings.headers` (names RFC 9110 tokens, values without
 * CR, LF or control characters, at most 20, none the runner sets itself: `Idempotency-Key`, `Content-Type`,
 * `Authorization`...); errors name `settings.FIELD`.
 *
 * Example: `readHttpHeaders({ authorization: 'Bearer x', headers: { 'X-Account': '42' } }, errors)`
 * -> `{ authorization: 'Bearer x', headers: { 'X-Account': '42' } }`
 */
export function readHttpHeaders(json: JsonObject, errors: FieldError[]): HttpHeaderSettings {
  const out: HttpHeaderSettings = {};
  if (json.authorization !== undefined) {
    const value = readValue(json.authorization, 'settings.authorization', errors);
    if (value !== undefined) out.authorization = value;
  }
  if (json.headers === undefined) return out;
  if (!isObject(json.headers)) {
    errors.push({ field: 'settings.headers', message: 'must be an object' });
    return out;
  }
  const entries = Object.entries(json.headers);
  if (entries.length > HTTP_HEADER_LIMITS.maxHeaders) {
    errors.push({
      field: 'settings.headers',
      message: `must have at most ${HTTP_HEADER_LIMITS.maxHeaders} headers`,
    });
    return out;
  }
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, raw] of entries) {
    const field = `settings.headers.${name}`;
    if (name.length > HTTP_HEADER_LIMITS.nameLength || !TOKEN.test(name)) {
      errors.push({
        field,
        message: `must be a header name (token characters, at most ${HTTP_HEADER_LIMITS.nameLength})`,
      });
      continue;
    }
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) {
      errors.push({ field, message: 'is set by the runner (use settings.authorization for credentials)' });
      continue;
    }
    if (seen.has(lower)) {
      errors.push({ field, message: 'is repeated (header names ignore case)' });
      continue;
    }
    seen.add(lower);
    const value = readValue(raw, field, errors);
    if (value !== undefined) headers[name] = value;
  }
  if (Object.keys(headers).length > 0) out.headers = headers;
  return out;
}

function readValue(value: unknown, field: string, errors: FieldError[]): string | undefined {
  const text = readString(value, field, errors, { max: HTTP_HEADER_LIMITS.valueLength });
  if (text === undefined) return undefined;
  if (!VALUE.test(text)) {
    errors.push({ field, message: 'must not hold CR, LF or other control characters' });
    return undefined;
  }
  return text;
}
