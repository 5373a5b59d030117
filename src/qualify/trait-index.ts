import type { CollectedEvent } from '../core/event.ts';
import { eventGetter } from '../core/rules/event-paths.ts';
import type { AccessKey } from './trait-access-key.ts';
import { PREFIX_KEY_LENGTH } from './trait-access-key.ts';
import { SubstringMatcher } from './substring-matcher.ts';

type Getter = (e: CollectedEvent) => unknown;

interface PathBuckets<T> {
  get: Getter;
  eq: Map<string, T[]>;
  prefix: Map<string, T[]>;
  contains: Map<string, T[]>;
  /** built on first use after a change */
  matcher: SubstringMatcher | undefined;
}

/**
 * Trait rules indexed by their access key (`trait-access-key.ts`): exact values, leading characters and
 * contained substrings of the paths they test. `candidates` gives the lists holding every rule that could match an event; rules
 * without a key are in every answer. Example: `index.add(rule, key); index.candidates(event)`.
 */
export class TraitIndex<T> {
  private readonly paths = new Map<string, PathBuckets<T>>();
  private readonly rest: T[] = [];
  private readonly lists: T[][] = [];

  add(item: T, key: AccessKey | undefined): void {
    if (key === undefined) {
      this.rest.push(item);
      return;
    }
    let buckets = this.paths.get(key.path);
    if (buckets === undefined) {
      buckets = {
        get: eventGetter(key.path),
        eq: new Map(),
        prefix: new Map(),
        contains: new Map(),
        matcher: undefined,
      };
      this.paths.set(key.path, buckets);
    }
    if (key.kind === 'eq') for (const value of key.values) push(buckets.eq, value, item);
    else if (key.kind === 'contains') {
      push(buckets.contains, key.needle, item);
      buckets.matcher = undefined;
    } else
      for (const prefix of new Set(key.prefixes.map((p) => p.slice(0, PREFIX_KEY_LENGTH))))
        push(buckets.prefix, prefix, item);
  }

  /** The lists of rules to test for this event; the array is reused by the next call. */
  candidates(event: CollectedEvent): readonly T[][] {
    const lists = this.lists;
    lists.length = 0;
    if (this.rest.length > 0) lists.push(this.rest);
    for (const buckets of this.paths.values()) {
      const value = buckets.get(event);
      if (typeof value !== 'string') continue;
      const eq = buckets.eq.get(value);
      if (eq !== undefined) lists.push(eq);
      if (value.length >= PREFIX_KEY_LENGTH && buckets.prefix.size > 0) {
        const prefixed = buckets.prefix.get(value.slice(0, PREFIX_KEY_LENGTH));
        if (prefixed !== undefined) lists.push(prefixed);
      }
      if (buckets.contains.size > 0) {
        buckets.matcher ??= new SubstringMatcher(buckets.contains.keys());
        for (const needle of buckets.matcher.find(value)) lists.push(buckets.contains.get(needle)!);
      }
    }
    return lists;
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}
