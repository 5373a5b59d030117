import type { CmpOp, Literal } from './ast.ts';
import type { RuleRegex } from './rule-regex.ts';
import { anyString, compareValue, inValues, strOp, type PathValue } from './rule-values.ts';

/**
 * What generated trait-rule source (`compile-source.ts`) calls for the rare values its inline fast path
 * does not take (absent values, lists, type mismatches): the same functions the interpreter uses, so
 * every case keeps the language's meaning. Frozen; passed to the generated code as an argument.
 *
 * Example: generated `typeof v === "string" ? v === "x" : h.cmp(v, "==", "x")`.
 */
export interface SourceRuntime {
  /** `compareValue`: absent, lists, numeric strings */
  cmp(v: PathValue, op: CmpOp, lit: Literal): boolean;
  /** `inValues` */
  inv(v: PathValue, values: readonly Literal[], negated: boolean): boolean;
  /** `contains`, `startsWith`, `endsWith` on any string element */
  str(v: PathValue, op: 'contains' | 'startsWith' | 'endsWith', needle: string): boolean;
  /** a regex on any string element */
  re(v: PathValue, regex: RuleRegex): boolean;
  /** `Object.hasOwn`, so that user-named keys (`signals.constructor`) never reach the prototype */
  own(record: unknown, key: string): boolean;
}

/** The one runtime every generated rule shares. Example: `SOURCE_RUNTIME.cmp(['a', 'b'], '==', 'b')` -> `true`. */
export const SOURCE_RUNTIME: SourceRuntime = Object.freeze({
  cmp: compareValue,
  inv: inValues,
  str(v: PathValue, op: 'contains' | 'startsWith' | 'endsWith', needle: string): boolean {
    const test = strOp(op);
    return anyString(v, (s) => test(s, needle));
  },
  re(v: PathValue, regex: RuleRegex): boolean {
    return anyString(v, (s) => regex.test(s));
  },
  own(record: unknown, key: string): boolean {
    return Object.hasOwn(record as object, key);
  },
});
