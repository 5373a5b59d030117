import type { CollectedEvent } from '../event.ts';
import type { CmpOp, Literal, Rule } from './ast.ts';
import { compileTraitRule } from './compile-rule.ts';
import { eventGetter } from './event-paths.ts';
import { jsLiteral, jsString } from './js-literal.ts';
import { literalPrefix } from './regex-prefix.ts';
import { nativeRegex } from './native-regex.ts';
import { compileRuleRegex } from './rule-regex.ts';
import type { PathValue } from './rule-values.ts';
import { SOURCE_RUNTIME } from './source-runtime.ts';

/**
 * A trait rule as JavaScript source: the body of a function of `(h, R)` returning the event predicate.
 * `source` holds only fixed text of this generator, expressions of whitelisted paths and operators, and
 * literals from `js-literal.ts`; regexes and value sets are objects in `refs`, reached as `R[i]`.
 */
export interface TraitSource {
  source: string;
  refs: readonly unknown[];
}

/** How each fixed event path is read (as `eventGetter` reads it). Keys and text: this table only. */
const FIXED: ReadonlyMap<string, string> = new Map([
  ['event', 'e.type'],
  ['url', 'e.url?.href'],
  ['url.host', 'e.url?.host'],
  ['url.path', 'e.url?.path'],
  ['referrer', 'e.referrer?.href'],
  ['referrer.host', 'e.referrer?.host'],
  ...['source', 'medium', 'campaign', 'term', 'content'].map((k) => [`utm.${k}`, own('e.utm', k)] as const),
  ...['country', 'region', 'city'].map((k) => [`geo.${k}`, own('e.geo', k)] as const),
  ...['type', 'os', 'browser'].map((k) => [`device.${k}`, own('e.device', k)] as const),
]);

/** The JS operator of each comparison on two values of one type; ordering on booleans is never generated. */
const JS_OP: Readonly<Record<CmpOp, string>> = {
  '==': '===',
  '!=': '!==',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const STR_METHOD = { contains: 'includes', startsWith: 'startsWith', endsWith: 'endsWith' } as const;

/** `in` lists longer than this are tested with a `Set` from `refs` instead of a chain of `===`. */
const INLINE_IN = 8;

/** An own property of an object expression, `undefined` when absent (as `own` in `event-paths.ts`). */
function own(object: string, key: string): string {
  const k = jsString(key);
  return `((o = ${object}) !== void 0 && h.own(o, ${k}) ? o[${k}] : void 0)`;
}

/** The expression reading a path, `void 0` for a path outside the event scope. */
function access(path: string): string {
  if (path.startsWith('url.query.')) return own('e.url?.query', path.slice(10));
  if (path.startsWith('signals.')) return own('e.signals', path.slice(8));
  return FIXED.get(path) ?? 'void 0';
}

/** Thrown inside the generator when a node has no source form; the rule then keeps its closures. */
class NoSource extends Error {}

function literal(value: unknown): string {
  const text = jsLiteral(value);
  if (text === undefined) throw new NoSource();
  return text;
}

function opOf(op: CmpOp): string {
  if (!Object.hasOwn(JS_OP, op)) throw new NoSource();
  return JS_OP[op];
}

class Generator {
  readonly refs: unknown[] = [];

  ref(value: unknown): string {
    this.refs.push(value);
    return `R[${this.refs.length - 1}]`;
  }

  expr(rule: Rule): string {
    switch (rule.type) {
      case 'and':
      case 'or': {
        if (rule.args.length === 0) throw new NoSource();
        const args = rule.args.map((a) => this.expr(a));
        return `(${args.join(rule.type === 'and' ? ' && ' : ' || ')})`;
      }
      case 'not':
        return `!${this.expr(rule.arg)}`;
      case 'trait':
      case 'segment':
      case 'time':
        return 'false';
      case 'exists':
        return `(${access(rule.path)} !== void 0)`;
      case 'cmp':
        return this.cmp(rule.path, rule.op, rule.value);
      case 'in':
        return this.in(rule.path, rule.values, rule.negated);
      case 'str': {
        if (!Object.hasOwn(STR_METHOD, rule.op)) throw new NoSource();
        const needle = literal(rule.value);
        const op = jsString(rule.op);
        return `(typeof (v = ${access(rule.path)}) === "string" ? v.${STR_METHOD[rule.op]}(${needle}) : h.str(v, ${op}, ${needle}))`;
      }
      case 'matches': {
        const compiled = compileRuleRegex(rule.pattern, rule.flags);
        if (!compiled.ok) return 'false';
        const re = this.ref(nativeRegex(rule.pattern, rule.flags) ?? compiled.regex);
        const prefix = rule.flags === '' ? literalPrefix(rule.pattern) : '';
        const gate = prefix === '' ? '' : `v.startsWith(${jsString(prefix)}) && `;
        return `(typeof (v = ${access(rule.path)}) === "string" ? ${gate}${re}.test(v) : h.re(v, ${re}))`;
      }
      default:
        throw new NoSource();
    }
  }

  private cmp(path: string, op: CmpOp, value: Literal): string {
    const lit = literal(value);
    const js = opOf(op);
    const slow = `h.cmp(v, ${jsString(op)}, ${lit})`;
    const type = typeof value;
    if (type === 'boolean' && op !== '==' && op !== '!=')
      return `h.cmp(${access(path)}, ${jsString(op)}, ${lit})`;
    return `(typeof (v = ${access(path)}) === "${type}" ? v ${js} ${lit} : ${slow})`;
  }

  private in(path: string, values: readonly Literal[], negated: boolean): string {
    const list = this.ref(Object.freeze([...values]));
    const slow = `h.inv(v, ${list}, ${negated ? 'true' : 'false'})`;
    if (!values.every((x) => typeof x === 'string')) {
      for (const x of values) literal(x);
      return `(v = ${access(path)}, ${slow})`;
    }
    let fast: string;
    if (values.length > INLINE_IN) {
      fast = `${this.ref(new Set(values))}.has(v)`;
    } else {
      fast = `(${values.map((x) => `v === ${literal(x)}`).join(' || ')})`;
    }
    return `(typeof (v = ${access(path)}) === "string" ? ${negated ? '!' : ''}${fast} : ${slow})`;
  }
}

/**
 * The source form of a trait rule (event scope), or `undefined` when some node has none (a literal that
 * is not a finite number, an unknown node): such a rule is compiled to closures instead.
 * Example: `traitRuleSource(parsed('utm.campaign == "x"'))?.source` contains
 * `typeof (v = ((o = e.utm) !== void 0 && h.own(o, "campaign") ? o["campaign"] : void 0)) === "string" ? v === "x" : ...`.
 */
export function traitRuleSource(rule: Rule): TraitSource | undefined {
  const generator = new Generator();
  let expr: string;
  try {
    expr = generator.expr(rule);
  } catch (error) {
    if (error instanceof NoSource) return undefined;
    throw error;
  }
  const source = `"use strict";
return function trait_rule(e) {
  let v, o;
  try {
    return ${expr};
  } catch {
    return false;
  }
};`;
  return { source, refs: Object.freeze(generator.refs) };
}

/** Compiled predicates by the rule's JSON text: saving one trait recompiles the tenant's other rules. */
const cache = new Map<string, (event: CollectedEvent) => boolean>();
const CACHE_LIMIT = 20_000;

/**
 * Compiles a trait rule to a JavaScript function of its own (through `new Function`), so that every
 * path read and comparison is inline and monomorphic, with the closure compiler (`compileTraitRule`)
 * as the fallback for what has no source form or where code generation is not allowed. Same meaning
 * as `evaluateEvent`; never throws. Compiled functions are shared by equal rules.
 * Example: `const isPricing = compileTraitRuleSource(rule); isPricing(event)` -> `true`.
 */
export function compileTraitRuleSource(rule: Rule): (event: CollectedEvent) => boolean {
  const key = JSON.stringify(rule);
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = fromSource(rule) ?? compileTraitRule(rule);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

function fromSource(rule: Rule): ((event: CollectedEvent) => boolean) | undefined {
  const generated = traitRuleSource(rule);
  if (generated === undefined) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is generated from the checked AST; literals are escaped (js-literal.ts)
    const make = new Function('h', 'R', generated.source) as (
      h: typeof SOURCE_RUNTIME,
      refs: readonly unknown[],
    ) => (event: CollectedEvent) => boolean;
    return make(SOURCE_RUNTIME, generated.refs);
  } catch {
    return undefined;
  }
}

/**
 * One function reading several event paths at once into `out` (in the order given), exactly as rules
 * read them (`eventGetter`): the trait index looks every indexed path up on every event, and one
 * generated function of plain property reads is cheaper than a closure call per path. A path that
 * throws (a malformed event) reads as `undefined`. Example:
 * `compileEventReader(['event', 'url.path'])(e, out)` -> `out` is `['pageview', '/pricing']`.
 */
export function compileEventReader(
  paths: readonly string[],
): (event: CollectedEvent, out: PathValue[]) => void {
  const getters = paths.map(eventGetter);
  const safely = (event: CollectedEvent, out: PathValue[]): void => {
    for (let i = 0; i < getters.length; i++) {
      try {
        out[i] = getters[i]!(event);
      } catch {
        out[i] = undefined;
      }
    }
  };
  const reads = paths.map((path, i) => `    out[${i}] = ${access(path)};`).join('\n');
  const source = `"use strict";
return function read_paths(e, out) {
  let o;
  try {
${reads}
  } catch {
    safely(e, out);
  }
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- paths reach the source only through the whitelist of `access`; keys are escaped (js-literal.ts)
    const make = new Function('h', 'safely', source) as (
      h: typeof SOURCE_RUNTIME,
      fallback: typeof safely,
    ) => (event: CollectedEvent, out: PathValue[]) => void;
    return make(SOURCE_RUNTIME, safely);
  } catch {
    return safely;
  }
}
