const PLAIN = /[A-Za-z0-9_\-/ :=&%,]/;
const ESCAPED = /[/.\-_:=&%,]/;

/**
 * The literal text every match of an anchored regular expression starts with: `^\/products\/[0-9]+$` ->
 * `/products/`. Empty when the pattern is not anchored or has alternatives.
 */
export function literalPrefix(pattern: string): string {
  if (!pattern.startsWith('^') || pattern.includes('|')) return '';
  let out = '';
  let i = 1;
  while (i < pattern.length) {
    let ch = pattern[i]!;
    let width = 1;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !ESCAPED.test(next)) break;
      ch = next;
      width = 2;
    } else if (!PLAIN.test(ch)) break;
    const quantifier = pattern[i + width];
    if (quantifier === '?' || quantifier === '*' || quantifier === '{') break;
    out += ch;
    if (quantifier === '+') break;
    i += width;
  }
  return out;
}

/**
 * A quick test that rejects, without running the regex, an input that cannot start with the pattern's
 * literal prefix. Exact: with the `i` flag it decides only on ASCII input, where lower-casing is the
 * same as RE2's case folding, and otherwise says "maybe". Example: `prefixGate('/products/', '')('/blog')` -> false.
 */
export function prefixGate(prefix: string, flags: '' | 'i'): (input: string) => boolean {
  if (prefix === '') return () => true;
  if (flags === '') return (input) => input.startsWith(prefix);
  const lower = prefix.toLowerCase();
  return (input) => {
    if (input.length < lower.length) return false;
    for (let i = 0; i < lower.length; i++) if (input.charCodeAt(i) > 127) return true;
    return input.slice(0, lower.length).toLowerCase() === lower;
  };
}
