/** A parsed query string: a repeated key gives a list, in order. */
export type QueryValues = Record<string, string | string[]>;

const PLUS = /\+/g;

/** Objects with no prototype, so that `__proto__` or `constructor` in a query are plain keys. */
const Empty = function (this: object) {} as unknown as new () => QueryValues;
Empty.prototype = Object.create(null) as object;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a bad escape stays as sent
  }
}

/**
 * The one query-string parser of the server, used by Fastify's router (`routerOptions.querystringParser`)
 * and by the pixel fast path, so both read a query the same way. The same rules as Fastify's default
 * (`fast-querystring`): pairs split on `&`, the first `=` splits key and value, `+` is a space, `%XX`
 * escapes are decoded (a bad one is kept as sent), a key without `=` has the value `''`, a repeated key
 * gives a list.
 *
 * Example: `parseQueryString('site=k&s.tag=a&s.tag=b&q=a+b%21&flag')`
 * -> `{ site: 'k', 's.tag': ['a', 'b'], q: 'a b!', flag: '' }`.
 */
export function parseQueryString(input: string): QueryValues {
  const result = new Empty();
  const length = input.length;
  let start = -1;
  let eq = -1;
  let decodeKey = false;
  let decodeValue = false;
  let keyPlus = false;
  let valuePlus = false;
  for (let i = 0; i <= length; i++) {
    const c = i !== length ? input.charCodeAt(i) : 38;
    if (c === 38) {
      const hasValue = eq > start;
      if (!hasValue) eq = i;
      let key = input.slice(start + 1, eq);
      if (hasValue || key.length > 0) {
        if (keyPlus) key = key.replace(PLUS, ' ');
        if (decodeKey) key = decode(key);
        let value = '';
        if (hasValue) {
          value = input.slice(eq + 1, i);
          if (valuePlus) value = value.replace(PLUS, ' ');
          if (decodeValue) value = decode(value);
        }
        const current = result[key];
        if (current === undefined) result[key] = value;
        else if (Array.isArray(current)) current.push(value);
        else result[key] = [current, value];
      }
      start = i;
      eq = i;
      decodeKey = decodeValue = keyPlus = valuePlus = false;
    } else if (c === 61) {
      if (eq <= start) eq = i;
      else decodeValue = true;
    } else if (c === 43) {
      if (eq > start) valuePlus = true;
      else keyPlus = true;
    } else if (c === 37) {
      if (eq > start) decodeValue = true;
      else decodeKey = true;
    }
  }
  return result;
}
