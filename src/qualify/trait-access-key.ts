import type { Rule } from '../core/rules/index.ts';
import { EVENT_PATHS } from '../core/rules/event-paths.ts';
import { literalPrefix } from '../core/rules/regex-prefix.ts';

/**
 * Paths whose event value is one plain string, compared exactly (DSL.md): safe to index by value. These are
 * the fixed event paths; `signals.*` and `url.query.*` are left out (lists, numbers compared as numbers).
 */
const STRING_PATHS: ReadonlySet<string> = new Set(EVENT_PATHS);

/** How many leading characters of a value the prefix index keys on. */
export const PREFIX_KEY_LENGTH = 4;

/** The shortest `contains` needle worth indexing (shorter ones match nearly everything). */
const CONTAINS_KEY_LENGTH = 3;

/**
 * A condition that every event matching a trait rule satisfies: the path equals one of `values`, or
 * starts with one of `prefixes`. Indexing rules by it means an event is tested only against rules that
 * could match it.
 */
export type AccessKey =
  | { kind: 'eq'; path: string; values: string[] }
  | { kind: 'prefix'; path: string; prefixes: string[] }
  /** the path contains `needle` (one needle: a rule must never be listed twice for one event) */
  | { kind: 'contains'; path: string; needle: string };

/**
 * The access key of a trait rule, or undefined when it has none (the rule is tested on every event).
 * Example: `url.path startsWith "/pricing" and device.type == "mobile"` -> `{ kind: 'prefix', path: 'url.path', prefixes: ['/pricing'] }`
 * (the path narrows more than the device type).
 */
export function accessKey(rule: Rule): AccessKey | undefined {
  switch (rule.type) {
    case 'cmp':
      return rule.op === '==' && typeof rule.value === 'string' && STRING_PATHS.has(rule.path)
        ? { kind: 'eq', path: rule.path, values: [rule.value] }
        : undefined;
    case 'in':
      return !rule.negated && STRING_PATHS.has(rule.path) && rule.values.every((v) => typeof v === 'string')
        ? { kind: 'eq', path: rule.path, values: [...new Set(rule.values)] }
        : undefined;
    case 'str':
      if (!STRING_PATHS.has(rule.path)) return undefined;
      if (rule.op === 'startsWith' && rule.value.length >= PREFIX_KEY_LENGTH) {
        return { kind: 'prefix', path: rule.path, prefixes: [rule.value] };
      }
      if (rule.op === 'contains' && rule.value.length >= CONTAINS_KEY_LENGTH) {
        return { kind: 'contains', path: rule.path, needle: rule.value };
      }
      return undefined;
    case 'matches': {
      if (rule.flags !== '' || !STRING_PATHS.has(rule.path)) return undefined;
      const prefix = literalPrefix(rule.pattern);
      return prefix.length >= PREFIX_KEY_LENGTH
        ? { kind: 'prefix', path: rule.path, prefixes: [prefix] }
        : undefined;
    }
    case 'and': {
      const keys = rule.args.map(accessKey).filter((k) => k !== undefined);
      return keys.sort((a, b) => selectivity(b) - selectivity(a))[0];
    }
    case 'or':
      return unionOf(rule.args.map(accessKey));
    default:
      return undefined;
  }
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

/** A rough rank of how many rules a key leaves out: equality on a many-valued path first. */
function selectivity(key: AccessKey): number {
  const many = !FEW_VALUES.has(key.path);
  if (key.kind === 'eq') return many ? 4 : 1;
  if (key.kind === 'prefix') return many ? 3 : 0;
  return many ? 2 : 0;
}

function unionOf(keys: (AccessKey | undefined)[]): AccessKey | undefined {
  const first = keys[0];
  if (first === undefined || first.kind === 'contains') return undefined;
  if (!keys.every((k) => k !== undefined && k.kind === first.kind && k.path === first.path)) return undefined;
  if (first.kind === 'eq') {
    return {
      kind: 'eq',
      path: first.path,
      values: [...new Set(keys.flatMap((k) => (k?.kind === 'eq' ? k.values : [])))],
    };
  }
  return {
    kind: 'prefix',
    path: first.path,
    prefixes: keys.flatMap((k) => (k?.kind === 'prefix' ? k.prefixes : [])),
  };
}
