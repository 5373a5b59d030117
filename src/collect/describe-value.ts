import { distance } from 'fastest-levenshtein';

/**
 * A short, safe rendering of a received value for an error message: JSON, cut to 40 characters.
 * Example: `showValue('yesterday')` -> `'"yesterday"'`; `showValue({ a: 1 })` -> `'{"a":1}'`.
 */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = kindOf(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * What kind of JSON value this is, with its article, for messages like "expected an object, got an array".
 * Example: `kindOf([])` -> `'an array'`; `kindOf(null)` -> `'null'`.
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * The known name nearest to a misspelt one (1 edit away for names of up to 3 characters, else 2), for
 * "did you mean" hints.
 * Example: `nearestName('foo', ['geo'])` -> undefined; `nearestName('tss', ['ts', 'type'])` -> `'ts'`.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = name.length <= 3 ? 2 : 3;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The message for fields an object may not have, naming each (with a "did you mean" where one is near)
 * and listing the allowed ones. Example: `unknownFieldsMessage('events[0]', ['tss'], ['uid', 'ts'])` ->
 * `'events[0]: unknown field "tss" (did you mean "ts"?); allowed fields are uid, ts'`.
 */
export function unknownFieldsMessage(
  path: string,
  unknown: readonly string[],
  known: readonly string[],
): string {
  const named = unknown.slice(0, 5).map((name) => {
    const near = nearestName(name, known);
    return near === undefined ? showValue(name) : `${showValue(name)} (did you mean "${near}"?)`;
  });
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  const noun = unknown.length === 1 ? 'field' : 'fields';
  return `${path}: unknown ${noun} ${named.join(', ')}${more}; allowed fields are ${known.join(', ')}`;
}
