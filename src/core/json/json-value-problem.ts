/**
 * How deep a JSON request body may nest. Deeper bodies are refused before anything walks them: recursive
 * code (cloning, serialising, rule compiling) would otherwise exhaust the stack on them.
 */
export const MAX_JSON_DEPTH = 64;

type Path = (string | number)[];

/** A number JSON.parse could not keep as written: not finite (`1e400`), or an integer beyond 2^53. */
function inexact(value: number): boolean {
  return !Number.isFinite(value) || (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER);
}

function childrenOf(node: object): [string | number, unknown][] {
  return Array.isArray(node) ? node.map((v, i): [number, unknown] => [i, v]) : Object.entries(node);
}

/** One walk, iterative: 'deep' past `max` levels, 'inexact' at the first inexact number, else undefined. */
function firstProblem(value: unknown, max: number, numbers: boolean): 'deep' | 'inexact' | undefined {
  if (typeof value === 'number') return numbers && inexact(value) ? 'inexact' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > max) return 'deep';
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'number') {
        if (numbers && inexact(child)) return 'inexact';
      } else if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/** Where the first inexact number within `max` levels is (recursion bounded by `max`). */
function inexactAt(value: unknown, path: Path, max: number): { path: Path; value: number } | undefined {
  if (typeof value === 'number') return inexact(value) ? { path, value } : undefined;
  if (typeof value !== 'object' || value === null || path.length >= max) return undefined;
  for (const [key, child] of childrenOf(value)) {
    const found = inexactAt(child, [...path, key], max);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A path as the API writes field paths. Example: `fieldPath('body', [0, 'signals', 'n'])` -> `'body[0].signals.n'`
 */
export function fieldPath(root: string, path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${part}`),
    root,
  );
}

/**
 * Why a parsed JSON value must be refused, naming where (`root` is the name of the value itself), or
 * undefined when it is fine:
 * - it nests objects and arrays deeper than `max` levels (the top level is level 1);
 * - it holds a number JSON.parse could not keep as written: an integer beyond `Number.MAX_SAFE_INTEGER`
 *   (`12345678901234567891` would silently become `12345678901234567000`) or one too large for a
 *   double (`1e400` becomes `Infinity`). Long decimals (`0.1234567890123456789`) are not refused: every
 *   decimal is kept to a double's precision.
 *   Off with `numbers: false`, for a caller that gives the text back as received and reads no number.
 * The walk is iterative (no depth can overflow the stack) and visits values, not characters.
 *
 * Example:
 * ```ts
 * jsonValueProblem({ uid: 'a', signals: { n: 12345678901234567891 } }, 'events[0]');
 * // 'events[0].signals.n: a number beyond 9007199254740991 (it was rounded to 12345678901234567000); ...'
 * jsonValueProblem(JSON.parse('['.repeat(100) + ']'.repeat(100)), 'body');
 * // 'body: nests objects and arrays deeper than 64 levels; send a flatter document'
 * ```
 */
export function jsonValueProblem(
  value: unknown,
  root: string,
  max: number = MAX_JSON_DEPTH,
  { numbers = true }: { numbers?: boolean } = {},
): string | undefined {
  const problem = firstProblem(value, max, numbers);
  if (problem === undefined) return undefined;
  if (problem === 'deep')
    return `${root}: nests objects and arrays deeper than ${max} levels; send a flatter document`;
  const found = inexactAt(value, [], max);
  const at = found === undefined ? root : fieldPath(root, found.path);
  const shown = found === undefined ? '' : ` (it was rounded to ${found.value})`;
  return `${at}: a number beyond ${Number.MAX_SAFE_INTEGER}${shown} is not kept exactly; send it as a string, or a smaller number`;
}
