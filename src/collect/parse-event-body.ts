import type { CollectLimits, Rejection } from './collect-limits.ts';
import { kindOf } from './describe-value.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import { jsonValueProblem } from '../core/json/json-value-problem.ts';

/**
 * A parsed request body: the raw events, each with its index in the request (`indexes[k]` belongs to
 * `items[k]`), and the NDJSON lines that were not JSON. Indexes count events (non-blank lines), from 0.
 */
export interface ParsedBody {
  items: unknown[];
  indexes: number[];
  rejected: Rejection[];
}

/** A body refused whole: `tooLarge` when over a limit (answer 413), else malformed (answer 400). */
export interface BodyError {
  error: string;
  tooLarge: boolean;
}

const NDJSON_TYPE = /^\s*application\/(?:x-)?(?:ndjson|jsonl|jsonlines|x-jsonlines)\s*(?:;|$)/i;
const POSITION = /at position (\d+)/;
const SHAPE = 'send a JSON object, an array of events, or NDJSON (one event per line)';

function byteLength(body: Buffer | string, max: number): number {
  if (typeof body !== 'string') return body.length;
  return body.length * 3 <= max ? body.length : Buffer.byteLength(body);
}

/** Where JSON.parse failed and why, from its message (or by scanning when it gives no position). */
function faultOf(text: string, error: unknown): { offset: number; reason: string } {
  let reason = error instanceof Error ? error.message : String(error);
  const position = POSITION.exec(reason);
  let offset: number;
  if (position !== null) offset = Number(position[1]);
  else if (reason.startsWith('Unexpected end')) offset = text.length;
  else offset = Math.max(0, jsonErrorOffset(text));
  const echo = reason.search(/, (?:\.\.\.)?"/);
  if (echo > 0) reason = reason.slice(0, echo);
  reason = reason.replace(/ in JSON at position \d+.*$/s, '').replace(/ after JSON$/, '');
  return { offset, reason };
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function tooMany(limits: CollectLimits): BodyError {
  const max = limits.maxEventsPerRequest;
  return { error: `body holds more than ${max} events; send at most ${max} per request`, tooLarge: true };
}

function parseLines(text: string, limits: CollectLimits): ParsedBody | BodyError {
  const parsed: ParsedBody = { items: [], indexes: [], rejected: [] };
  let index = 0;
  let lineNumber = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const line = text.slice(start, end);
    start = end + 1;
    if (isBlank(line)) continue;
    if (index >= limits.maxEventsPerRequest) return tooMany(limits);
    try {
      keep(parsed, JSON.parse(line), index);
    } catch (error) {
      const { offset, reason } = faultOf(line, error);
      parsed.rejected.push({
        index,
        error: `line ${lineNumber} is not valid JSON: ${reason} at column ${offset + 1}`,
      });
    }
    index++;
  }
  if (index === 0) return { error: `body is empty; ${SHAPE}`, tooLarge: false };
  return parsed;
}

/**
 * Adds one parsed event, or its rejection when it nests too deep or holds a number JSON.parse rounded
 * (an integer beyond 2^53, or an overflow): refused by name rather than stored wrong; the events beside
 * it are kept.
 */
function keep(parsed: ParsedBody, item: unknown, index: number): void {
  const problem = jsonValueProblem(item, `events[${index}]`);
  if (problem !== undefined) parsed.rejected.push({ index, error: problem });
  else {
    parsed.items.push(item);
    parsed.indexes.push(index);
  }
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/**
 * Parses a collection request body: one JSON object, a JSON array of them, or NDJSON (by content type
 * `application/x-ndjson`, or detected when a body of several lines is not one JSON value). An NDJSON
 * line that is not JSON is a rejection and the other lines are kept; blank lines are skipped. A body
 * over `maxBodyBytes` or with more than `maxEventsPerRequest` events, or one that is not JSON at all,
 * is refused whole with a message giving the position. An event nested deeper than `MAX_JSON_DEPTH` or
 * holding a number that JSON cannot give back exactly (`jsonValueProblem`) is a rejection naming the
 * field; the others are kept. Never throws.
 *
 * Example:
 * ```ts
 * parseEventBody('{"uid":"a"}\n{oops\n', 'application/x-ndjson', defaultLimits);
 * // { items: [{ uid: 'a' }], indexes: [0], rejected: [{ index: 1, error: 'line 2 is not valid JSON: ... at column 2' }] }
 * ```
 */
export function parseEventBody(
  body: Buffer | string,
  contentType: string | undefined,
  limits: CollectLimits,
): ParsedBody | BodyError {
  const size = byteLength(body, limits.maxBodyBytes);
  if (size > limits.maxBodyBytes) {
    return { error: `body is ${size} bytes; the limit is ${limits.maxBodyBytes}`, tooLarge: true };
  }
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (contentType !== undefined && NDJSON_TYPE.test(contentType)) return parseLines(text, limits);
  if (text.trim() === '') return { error: `body is empty; ${SHAPE}`, tooLarge: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // several lines sent without the NDJSON content type
    if (text.trimStart().startsWith('{') && text.trim().includes('\n')) return parseLines(text, limits);
    const { offset, reason } = faultOf(text, error);
    return {
      error: `body is not valid JSON at ${lineAndColumn(text, offset)}: ${reason}; ${SHAPE}`,
      tooLarge: false,
    };
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxEventsPerRequest) return tooMany(limits);
    const parsed: ParsedBody = { items: [], indexes: [], rejected: [] };
    value.forEach((item, i) => keep(parsed, item, i));
    return parsed;
  }
  if (typeof value === 'object' && value !== null) {
    const parsed: ParsedBody = { items: [], indexes: [], rejected: [] };
    keep(parsed, value, 0);
    return parsed;
  }
  return { error: `body is ${kindOf(value)}; ${SHAPE}`, tooLarge: false };
}
