/**
 * JavaScript literals for generated source (`compile-source.ts`). Rule text is untrusted input: a value
 * reaches generated source only through these functions, which either return a literal that evaluates
 * back to exactly the value, or `undefined` (the caller then does not generate source for the rule).
 */

/**
 * A double-quoted JS string literal of `s`: `JSON.stringify` (quotes, backslashes, control characters and
 * lone surrogates escaped), plus U+2028/U+2029, backquote and `< $ *` as `\uXXXX`, so that no HTML end
 * tag, template substitution, comment end or line break of the input survives verbatim in the source.
 * Example: `jsString('a"b')` -> `"a\"b"`; `jsString('</script>')` -> `"\u003c/script>"`.
 */
export function jsString(s: string): string {
  const literal = JSON.stringify(s).replace(/[\u2028\u2029<$*`]/g, (c) => unicodeEscape(c));
  // belt and braces: the literal must read back as the very same string
  if (JSON.parse(literal) !== s) throw new Error('jsString: literal does not round-trip');
  return literal;
}

/**
 * A JS number literal (in parentheses, so a sign never joins a neighbouring operator) of a finite number,
 * or `undefined` for NaN, Infinity and anything not a number.
 * Example: `jsNumber(-2.5)` -> `(-2.5)`; `jsNumber(-0)` -> `(-0)`; `jsNumber(Infinity)` -> `undefined`.
 */
export function jsNumber(n: unknown): string | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  const text = Object.is(n, -0) ? '-0' : String(n);
  // String() of a finite number is digits, '.', 'e', '+', '-' only; check rather than trust
  if (!/^-?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?$/.test(text) || Number(text) !== n) return undefined;
  return `(${text})`;
}

/**
 * A JS literal of a rule literal (string, finite number or boolean), or `undefined` when it has none.
 * Example: `jsLiteral(true)` -> `true`; `jsLiteral('x')` -> `"x"`; `jsLiteral(NaN)` -> `undefined`.
 */
export function jsLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return jsString(value);
  if (typeof value === 'number') return jsNumber(value);
  if (value === true) return 'true';
  if (value === false) return 'false';
  return undefined;
}

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
