import type { UserDataEntry } from './enrich-bid-request.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COLON = 58;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index after the string that opens at `i` (its quote). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; ;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The index after the value that starts at `i`; strings are skipped whole, so brackets in them are text. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === QUOTE) i = skipString(text, i) - 1;
    else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return i + 1;
  }
  return i;
}

/** Where the value of the object's last member named `name` lies, as JSON.parse reads it (the last wins). */
function memberValue(text: string, open: number, name: string): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  let i = skipSpace(text, open + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return found;
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start);
    if (key === name) found = { start, end };
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) return found;
    i = skipSpace(text, i + 1);
  }
  return found;
}

/** `insert` put just before the closing bracket at `close`, after a comma when the container has items. */
function appendBefore(text: string, close: number, open: number, insert: string): string {
  let last = close - 1;
  while (last > open && isSpace(text.charCodeAt(last))) last--;
  const separator = last === open ? '' : ',';
  return `${text.slice(0, last + 1)}${separator}${insert}${text.slice(last + 1)}`;
}

/**
 * The bid request as received (its JSON text), with `entry` appended to `user.data`, creating `user` and
 * `data` when missing. Nothing else changes, byte for byte: numbers keep every digit (64-bit auction and
 * placement IDs, long decimals), and spacing, key order and duplicate keys stay as sent. Duplicate keys
 * are resolved as `JSON.parse` does (the last one), so the entry lands where the reader looked.
 * Expects a JSON text whose top level is an object and whose `user` / `user.data`, when present, are an
 * object and an array (what `readBidRequest` accepted).
 *
 * Example:
 * ```ts
 * spliceUserData('{"id":"r1","imp":[{"id":"1","bidfloor":0.1234567890123456789}]}',
 *   userDataEntry('dmp.example.com', ['483']));
 * // '{"id":"r1","imp":[{"id":"1","bidfloor":0.1234567890123456789}],"user":{"data":[{"id":"opendmp",
 * //   "name":"dmp.example.com","segment":[{"id":"483"}]}]}}'
 * ```
 */
export function spliceUserData(text: string, entry: UserDataEntry): string {
  const json = JSON.stringify(entry);
  const root = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const rootEnd = skipValue(text, root);
  const user = memberValue(text, root, 'user');
  if (user === undefined) return appendBefore(text, rootEnd - 1, root, `"user":{"data":[${json}]}`);
  const data = memberValue(text, user.start, 'data');
  if (data === undefined) return appendBefore(text, user.end - 1, user.start, `"data":[${json}]`);
  return appendBefore(text, data.end - 1, data.start, json);
}
