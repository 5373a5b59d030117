import type { SignalValue } from '../event.ts';
import type { CmpOp, Literal } from './ast.ts';

/**
 * A value a path can have: a scalar, a list (list-valued signals), or `undefined` when absent.
 * Lists: a comparison is true when ANY element satisfies it; `!=` and `not in` are true when NO element
 * equals (they are the negations of `==` and `in`), and an empty list behaves like a list with no match.
 */
export type PathValue = SignalValue | readonly SignalValue[] | undefined;

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A value as a number when the literal is a number: numbers as is, numeric strings (`"120"`) converted,
 * anything else `NaN` (which compares false). Example: `asNumber('120')` -> `120`; `asNumber('12a')` -> `NaN`.
 */
export function asNumber(v: SignalValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return NaN;
}

/** `==` on one scalar. Example: `scalarEquals('120', 120)` -> `true`; `scalarEquals('a', 'A')` -> `false`. */
export function scalarEquals(v: SignalValue, lit: Literal): boolean {
  if (typeof lit === 'number') return asNumber(v) === lit;
  return v === lit;
}

/**
 * `<`, `<=`, `>`, `>=` (and `==`) on one scalar: numbers (and numeric strings) against a number literal,
 * strings against a string literal (code-unit order); anything else is a type mismatch, false.
 * Example: `scalarOrder('150', '>', 100)` -> `true`; `scalarOrder('b', '>', 3)` -> `false`.
 */
export function scalarOrder(v: SignalValue, op: CmpOp, lit: Literal): boolean {
  let a: number | string;
  let b: number | string;
  if (typeof lit === 'number') {
    a = asNumber(v);
    b = lit;
  } else if (typeof lit === 'string' && typeof v === 'string') {
    a = v;
    b = lit;
  } else {
    return op === '==' ? v === lit : op === '!=' ? v !== lit : false;
  }
  return compareOrdered(a, op, b);
}

/**
 * A comparison on a path's value (docs/rule-language.md, Meaning): absent -> only `!=` is true.
 * Example: `compareValue(undefined, '!=', 'x')` -> `true`; `compareValue(['sale', 'winter'], '==', 'sale')` -> `true`.
 */
export function compareValue(v: PathValue, op: CmpOp, lit: Literal): boolean {
  if (v === undefined) return op === '!=';
  if (op === '!=') return !compareValue(v, '==', lit);
  if (isList(v)) {
    for (const x of v) if (scalarOrder(x, op, lit)) return true;
    return false;
  }
  return scalarOrder(v, op, lit);
}

/** `in` / `not in`. Example: `inValues('boots', ['shoes', 'boots'], false)` -> `true`; absent with `not in` -> `true`. */
export function inValues(v: PathValue, values: readonly Literal[], negated: boolean): boolean {
  if (v === undefined) return negated;
  let found = false;
  if (isList(v)) {
    for (const x of v) if (values.some((lit) => scalarEquals(x, lit))) found = true;
  } else {
    found = values.some((lit) => scalarEquals(v, lit));
  }
  return negated ? !found : found;
}

/**
 * A test on strings only (numbers and booleans are a type mismatch, false); lists: any element.
 * Example: `anyString('/pricing/x', (s) => s.startsWith('/pricing'))` -> `true`.
 */
export function anyString(v: PathValue, test: (s: string) => boolean): boolean {
  if (typeof v === 'string') return test(v);
  if (isList(v)) {
    for (const x of v) if (typeof x === 'string' && test(x)) return true;
  }
  return false;
}

/** Example: `isList(['a'])` -> `true`. */
export function isList(v: PathValue): v is readonly SignalValue[] {
  return Array.isArray(v);
}

/** `contains`, `startsWith`, `endsWith` on one string. Example: `strOp('endsWith')('a.google.com', '.google.com')` -> `true`. */
export function strOp(op: 'contains' | 'startsWith' | 'endsWith'): (s: string, needle: string) => boolean {
  if (op === 'contains') return (s, n) => s.includes(n);
  if (op === 'startsWith') return (s, n) => s.startsWith(n);
  return (s, n) => s.endsWith(n);
}

/** One comparison of two numbers or two strings. Example: `compareOrdered(2, '>=', 2)` -> `true`. */
export function compareOrdered<T extends number | string>(a: T, op: CmpOp, b: T): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
