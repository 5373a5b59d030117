/**
 * A JavaScript `RegExp` for the rule regexes where it is provably the same as RE2 and linear: about 10x
 * faster than re2js on the hot path. The subset: `^`, then literal ASCII letters and digits, escaped ASCII
 * punctuation, `\d` and classes of ASCII characters and ranges (not negated), each atom once or with
 * one `*` or `+` in the whole pattern, then an optional `$`. With one quantifier and a fixed start the
 * backtracking engine tries at most `n` lengths, each checked in time linear in the pattern; ASCII-only
 * atoms never meet a surrogate, so UTF-16 code units and code points agree; and `^`, `$`, `\d` mean the
 * same in both. With the `i` flag the `RegExp` gets `iu`: Unicode simple case folding, as RE2 folds. Anything
 * else (`.`, `?`, groups, `|`, `\s`, negated classes, ...) stays with re2js.
 */

const ESCAPABLE = new Set('/.-_:=&%,+*?()[]{}|^$\\!"#\'<>@`~;'.split(''));
const PLAIN = /^[A-Za-z0-9/\-_:=&%,]$/;
const CLASS_CHAR = /^[A-Za-z0-9_/.:=&%,]$/;
const RANGE_END = /^[A-Za-z0-9]$/;

/** One position of the pattern: a set of ASCII code ranges, and how often it repeats. */
interface Atom {
  ranges: [number, number][];
  repeat: '' | '*' | '+';
}

/**
 * The native equivalent of an RE2 rule regex, or `undefined` when the pattern is outside the subset.
 * The `RegExp` is built from the parsed atoms (every character as a `\uXXXX` escape), never from the
 * pattern text. Example: `nativeRegex('^\\/products\\/[0-9]+$', '')?.test('/products/12')` -> `true`.
 */
export function nativeRegex(pattern: string, flags: '' | 'i'): RegExp | undefined {
  if (!pattern.startsWith('^')) return undefined;
  const atoms: Atom[] = [];
  let quantified = false;
  let end = false;
  let i = 1;
  while (i < pattern.length) {
    if (end) return undefined;
    const c = pattern[i]!;
    let ranges: [number, number][];
    if (c === '$') {
      end = true;
      i++;
      continue;
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'd') ranges = [[48, 57]];
      else if (next !== undefined && ESCAPABLE.has(next)) ranges = [[next.charCodeAt(0), next.charCodeAt(0)]];
      else return undefined;
      i += 2;
    } else if (c === '[') {
      const parsed = parseClass(pattern, i + 1);
      if (parsed === undefined) return undefined;
      ranges = parsed.ranges;
      i = parsed.next;
    } else if (PLAIN.test(c)) {
      ranges = [[c.charCodeAt(0), c.charCodeAt(0)]];
      i++;
    } else return undefined;
    const q = pattern[i];
    let repeat: Atom['repeat'] = '';
    if (q === '*' || q === '+') {
      if (quantified) return undefined;
      quantified = true;
      repeat = q;
      i++;
    }
    if (pattern[i] === '*' || pattern[i] === '+' || pattern[i] === '?' || pattern[i] === '{')
      return undefined;
    atoms.push({ ranges, repeat });
  }
  const body = atoms.map((a) => `[${a.ranges.map(([lo, hi]) => `${u(lo)}-${u(hi)}`).join('')}]${a.repeat}`);
  // with `i`, Unicode simple case folding (the `u` flag) is RE2's: "k" also matches U+212A, "s" U+017F
  return new RegExp(`^${body.join('')}${end ? '$' : ''}`, flags === 'i' ? 'iu' : '');
}

/** `[a-z0-9_\-]`: ASCII letters, digits and some punctuation, ranges between letters or digits, escaped punctuation; no negation. */
function parseClass(
  pattern: string,
  start: number,
): { ranges: [number, number][]; next: number } | undefined {
  const ranges: [number, number][] = [];
  let i = start;
  if (pattern[i] === '^' || pattern[i] === ']') return undefined;
  while (i < pattern.length && pattern[i] !== ']') {
    const c = pattern[i]!;
    let lo: number;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !ESCAPABLE.has(next)) return undefined;
      lo = next.charCodeAt(0);
      i += 2;
      ranges.push([lo, lo]);
      continue;
    }
    if (!CLASS_CHAR.test(c)) return undefined;
    lo = c.charCodeAt(0);
    i++;
    if (pattern[i] === '-' && pattern[i + 1] !== ']') {
      const hi = pattern[i + 1];
      if (!RANGE_END.test(c) || hi === undefined || !RANGE_END.test(hi) || hi.charCodeAt(0) < lo)
        return undefined;
      ranges.push([lo, hi.charCodeAt(0)]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  if (pattern[i] !== ']' || ranges.length === 0) return undefined;
  return { ranges, next: i + 1 };
}

function u(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}
