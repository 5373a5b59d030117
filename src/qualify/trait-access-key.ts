import type { Rule } from '../core/rules/index.ts';
import { EVENT_PATHS } from '../core/rules/event-paths.ts';
import { literalPrefix } from '../core/rules/regex-prefix.ts';

/**
 * Paths whose event value is one plain string (docs/rule-language.md). Any path can be keyed: the index reads it with
 * the rule's own getter and takes a list value element by element, as the rule does; these only rank
 * as narrower than the unknown ones.
 */
const STRING_PATHS: ReadonlySet<string> = new Set(EVENT_PATHS);

/** How many leading characters of a value the prefix index keys on. */
export const PREFIX_KEY_LENGTH = 4;

/** The shortest `contains` needle worth indexing (shorter ones match nearly everything). */
const CONTAINS_KEY_LENGTH = 3;

/**
 * A condition that every event matching a trait rule satisfies: the path (a string, or one string
 * element of a list) equals one of `values`, starts with one of `prefixes` (`folded`: ignoring ASCII
 * case; the prefixes are lower-case), or contains `needle`. Indexing rules by it means an event is
 * tested only against rules that could match it.
 */
export type AccessKey =
  | { kind: 'eq'; path: string; values: string[] }
  | { kind: 'prefix'; path: string; prefixes: string[] }
  | { kind: 'folded'; path: string; prefixes: string[] }
  | { kind: 'contains'; path: string; needle: string };

/**
 * A rule split for the index: its access key, and what is left to test once the key holds
 * (`residual`; `undefined` when the key alone decides, as for `url.path == "/a"`). Invariant: an event
 * matches the rule exactly when the key holds and the residual does.
 */
export interface KeyedRule {
  key: AccessKey;
  residual: Rule | undefined;
}

/**
 * The access key of a trait rule, or undefined when it has none (the rule is tested on every event).
 * Example: `url.path startsWith "/pricing" and device.type == "mobile"` -> `{ kind: 'prefix', path: 'url.path', prefixes: ['/pricing'] }`
 * (the path narrows more than the device type).
 */
export function accessKey(rule: Rule): AccessKey | undefined {
  return keyedRule(rule)?.key;
}

/**
 * The access key of a trait rule and its residual, or undefined when it has no key.
 * Example: `url.path startsWith "/pricing" and device.type == "mobile"` ->
 * `{ key: { kind: 'prefix', path: 'url.path', prefixes: ['/pricing'] }, residual: <device.type == "mobile"> }`;
 * `url.path == "/a"` -> `{ key: { kind: 'eq', ... }, residual: undefined }`.
 */
export function keyedRule(rule: Rule): KeyedRule | undefined {
  switch (rule.type) {
    case 'cmp':
      return rule.op === '==' && typeof rule.value === 'string'
        ? { key: { kind: 'eq', path: rule.path, values: [rule.value] }, residual: undefined }
        : undefined;
    case 'in':
      return !rule.negated && rule.values.every((v) => typeof v === 'string')
        ? { key: { kind: 'eq', path: rule.path, values: [...new Set(rule.values)] }, residual: undefined }
        : undefined;
    case 'str':
      if (rule.op === 'startsWith' && rule.value.length >= PREFIX_KEY_LENGTH) {
        return { key: { kind: 'prefix', path: rule.path, prefixes: [rule.value] }, residual: undefined };
      }
      if (rule.op === 'contains' && rule.value.length >= CONTAINS_KEY_LENGTH) {
        return { key: { kind: 'contains', path: rule.path, needle: rule.value }, residual: undefined };
      }
      return undefined;
    case 'matches': {
      // the prefix is necessary, not sufficient: the regex stays in the residual
      const prefix = literalPrefix(rule.pattern);
      if (prefix.length < PREFIX_KEY_LENGTH) return undefined;
      return rule.flags === ''
        ? { key: { kind: 'prefix', path: rule.path, prefixes: [prefix] }, residual: rule }
        : { key: { kind: 'folded', path: rule.path, prefixes: [prefix.toLowerCase()] }, residual: rule };
    }
    case 'and':
      return keyedAnd(rule.args);
    case 'or':
      return keyedOr(rule);
    default:
      return undefined;
  }
}

/** The narrowest keyed argument; the others (and its own residual) are left to test. */
function keyedAnd(args: readonly Rule[]): KeyedRule | undefined {
  let best: { at: number; keyed: KeyedRule } | undefined;
  args.forEach((arg, at) => {
    const keyed = keyedRule(arg);
    if (keyed !== undefined && (best === undefined || rank(keyed) > rank(best.keyed))) best = { at, keyed };
  });
  if (best === undefined) return undefined;
  const { at, keyed } = best;
  const rest = args.filter((_, i) => i !== at);
  if (keyed.residual !== undefined) rest.push(keyed.residual);
  const [only] = rest;
  const residual: Rule | undefined =
    rest.length === 0
      ? undefined
      : rest.length === 1 && only !== undefined
        ? only
        : { type: 'and', args: rest };
  return { key: keyed.key, residual };
}

/** Paths with few distinct values: an equality on them narrows little. */
const FEW_VALUES = new Set([
  'event',
  'device.type',
  'device.os',
  'device.browser',
  'geo.country',
  'utm.medium',
]);

/** A rough rank of how many rules a key leaves out: equality on a many-valued path first, exact before not. */
function rank(keyed: KeyedRule): number {
  return selectivity(keyed.key) + (keyed.residual === undefined ? 0.5 : 0);
}

function selectivity(key: AccessKey): number {
  const many = !FEW_VALUES.has(key.path);
  const known =
    STRING_PATHS.has(key.path) || key.path.startsWith('signals.') || key.path.startsWith('url.query.');
  if (!known) return -1;
  if (key.kind === 'eq') return many ? 4 : 1;
  if (key.kind === 'prefix' || key.kind === 'folded') return many ? 3 : 0;
  return many ? 2 : 0;
}

/** One key for every argument (same kind, same path); exact when every argument's key is. */
function keyedOr(rule: Rule & { type: 'or' }): KeyedRule | undefined {
  const keyed = rule.args.map(keyedRule);
  const first = keyed[0]?.key;
  if (first === undefined || first.kind === 'contains') return undefined;
  const keys: AccessKey[] = [];
  for (const k of keyed) {
    if (k === undefined || k.key.kind !== first.kind || k.key.path !== first.path) return undefined;
    keys.push(k.key);
  }
  const exact = keyed.every((k) => k?.residual === undefined);
  const residual = exact ? undefined : rule;
  if (first.kind === 'eq') {
    const values = [...new Set(keys.flatMap((k) => (k.kind === 'eq' ? k.values : [])))];
    return { key: { kind: 'eq', path: first.path, values }, residual };
  }
  const prefixes = keys.flatMap((k) => (k.kind === first.kind ? k.prefixes : []));
  return { key: { kind: first.kind, path: first.path, prefixes }, residual };
}
