const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const OBJECT = 1;
const ARRAY = 2;

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
}

/** The index after a string starting at `i`, or `-1 - offset` of the fault. */
function scanString(text: string, i: number): number {
  if (text.charCodeAt(i) !== 34) return -1 - i;
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 32) return -1 - j;
    if (c === 92) {
      ESCAPE.lastIndex = j;
      if (!ESCAPE.test(text)) return -1 - j;
      j = ESCAPE.lastIndex;
    } else j++;
  }
  return -1 - j;
}

/** The index after a scalar (string, number, literal) starting at `i`, or `-1 - offset` of the fault. */
function scanScalar(text: string, i: number): number {
  if (text.charCodeAt(i) === 34) return scanString(text, i);
  for (const pattern of [NUMBER, LITERAL]) {
    pattern.lastIndex = i;
    if (pattern.test(text)) return pattern.lastIndex;
  }
  return -1 - i;
}

/**
 * Where a text stops being JSON: the offset of the first character that cannot continue a JSON value
 * (the text's length when it ends too early), or -1 when it is valid JSON. Used to point at the fault
 * when `JSON.parse`'s message gives no position. Iterative, so deep nesting cannot overflow the stack.
 *
 * Example: `jsonErrorOffset('{"a": hello}')` -> 6; `jsonErrorOffset('[1, 2')` -> 5; `jsonErrorOffset('[1]')` -> -1.
 */
export function jsonErrorOffset(text: string): number {
  const stack: number[] = [];
  let i = 0;
  for (;;) {
    // at a value
    i = skipSpace(text, i);
    const open = text.charCodeAt(i);
    if (open === 123 /* { */ || open === 91 /* [ */) {
      const close = open === 123 ? 125 : 93;
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) !== close) {
        stack.push(open === 123 ? OBJECT : ARRAY);
        if (open === 123) {
          i = objectKey(text, i);
          if (i < 0) return -1 - i;
        }
        continue;
      }
      i++;
    } else {
      i = scanScalar(text, i);
      if (i < 0) return -1 - i;
    }
    // after a value: close containers, or go on after a comma
    for (;;) {
      i = skipSpace(text, i);
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : -1;
      const c = text.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        if (top === OBJECT) {
          i = objectKey(text, skipSpace(text, i));
          if (i < 0) return -1 - i;
        }
        break;
      }
      if (c !== (top === OBJECT ? 125 : 93)) return i;
      stack.pop();
      i++;
    }
  }
}

/** Scans `"key" :` at `i`; the index after the colon, or `-1 - offset` of the fault. */
function objectKey(text: string, i: number): number {
  const end = scanString(text, i);
  if (end < 0) return end;
  const colon = skipSpace(text, end);
  return text.charCodeAt(colon) === 58 ? colon + 1 : -1 - colon;
}
