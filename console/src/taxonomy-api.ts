/** What `GET /v1/taxonomy` answers (src/traits/taxonomy-browse.ts): the console's copy of its shape. */

/** A trait as the taxonomy lists it; `match`: the search matched its code or name. */
export interface TaxonomyTrait {
  code: string;
  name: string;
  kind: string;
  match: boolean;
}

/** One of the tenant's folders (`Site/Intent`), with the traits filed directly in it. */
export interface TaxonomyFolder {
  path: string;
  name: string;
  /** the parent's path; `''` for a top folder */
  parent: string;
  match: boolean;
  traits: TaxonomyTrait[];
}

/** One IAB node; `parent` is `''` for a top node. */
export interface IabNode {
  id: string;
  parent: string;
  name: string;
  match: boolean;
}

/** The whole answer: the search, how many matched, the tenant's folders and the IAB nodes. */
export interface TaxonomyView {
  q: string;
  matches: number;
  folders: TaxonomyFolder[];
  unfiled: TaxonomyTrait[];
  iab: { name: string; total: number; nodes: IabNode[] };
}

/**
 * Items grouped by their parent's key, in the order given (the API lists parents before children).
 * Example: `byParent([{ id: '2', parent: '1' }], (n) => n.parent).get('1')` -> `[{ id: '2', parent: '1' }]`.
 */
export function byParent<T>(items: readonly T[], parentOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = parentOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * The keys of every item that has a match below it (its ancestors'), so that a search opens the way down
 * to each match and leaves the rest closed.
 * Example: with nodes 1 > 2 > 3 and only 3 matching, `aboveMatches(nodes, ...)` -> `Set {'2', '1'}`.
 */
export function aboveMatches<T extends { match: boolean }>(
  items: readonly T[],
  keyOf: (item: T) => string,
  parentOf: (item: T) => string,
): Set<string> {
  const parents = new Map(items.map((item) => [keyOf(item), parentOf(item)]));
  const above = new Set<string>();
  for (const item of items) {
    if (!item.match) continue;
    for (
      let at = parents.get(keyOf(item));
      at !== undefined && at !== '' && !above.has(at);
      at = parents.get(at)
    )
      above.add(at);
  }
  return above;
}

/** "1 trait", "3 traits", "1,558 nodes", "2 matches" (with its plural). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : plural}`;
}
