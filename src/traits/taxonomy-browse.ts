import type { TraitKind } from '../catalog/trait-store.ts';
import type { IabNode } from './iab-audience-taxonomy.ts';

/** The little of a trait the taxonomy shows. */
export interface TraitEntry {
  code: string;
  name: string;
  kind: TraitKind;
  /** true when the search matched its code or name */
  match: boolean;
}

/** One of the tenant's folders (`Site/Intent`), with the traits filed directly in it. */
export interface FolderEntry {
  /** the whole path, segments joined by `/`, e.g. `Site/Intent` */
  path: string;
  /** the last segment, e.g. `Intent` */
  name: string;
  /** the parent's path; `''` for a top folder */
  parent: string;
  /** true when the search matched this folder (its path holds it and its parent's does not) */
  match: boolean;
  traits: TraitEntry[];
}

/** One IAB node as the taxonomy answers it. */
export interface IabEntry {
  id: string;
  /** the parent's ID; `''` for a top node */
  parent: string;
  name: string;
  /** true when the search matched its name or it is the ID searched */
  match: boolean;
}

/** What `GET /v1/taxonomy` answers. */
export interface TaxonomyView {
  /** the search applied (trimmed); `''`: none, everything is listed */
  q: string;
  /** how many folders, traits and IAB nodes the search matched (0 without a search) */
  matches: number;
  /** the tenant's folders, each parent before its children, sorted by path */
  folders: FolderEntry[];
  /** the traits with no folder */
  unfiled: TraitEntry[];
  iab: { name: string; total: number; nodes: IabEntry[] };
}

/** A trait as the catalog lists it (only what the taxonomy reads). */
export interface FiledTrait {
  code: string;
  name: string;
  kind: TraitKind;
  folder: string;
}

/** The taxonomy's title, as the IAB Tech Lab names it. */
export const IAB_TAXONOMY_NAME = 'IAB Tech Lab Audience Taxonomy 1.1';

/**
 * The segments of a folder: split on `/`, trimmed, empty ones dropped.
 * Example: `folderSegments(' Site / Intent/')` -> `['Site', 'Intent']`.
 */
export function folderSegments(folder: string): string[] {
  return folder
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The tenant's folders and the IAB taxonomy, whole, or with a search `q` (any case) only what matches it,
 * everything under a match, and the path down to each: an IAB node matches by its name or its exact ID,
 * a trait by its code or name, a folder by its path (where the match reaches into its own segment).
 *
 * Example: `browseTaxonomy(traits, nodes, '18-20')` -> `{ q: '18-20', matches: 1, folders: [], unfiled: [],
 * iab: { nodes: [{ id: '1', ... match: false }, { id: '2', ... }, { id: '3', name: 'Demographic | Age Range | 18-20', match: true }] } }`.
 */
export function browseTaxonomy(
  traits: readonly FiledTrait[],
  nodes: readonly IabNode[],
  q = '',
): TaxonomyView {
  const query = q.trim();
  const needle = query.toLowerCase();
  const folders = browseFolders(traits, needle);
  const iab = browseIab(nodes, needle, query);
  const count = <T extends { match: boolean }>(list: readonly T[]) => list.filter((x) => x.match).length;
  const matches =
    count(folders.folders) +
    folders.folders.reduce((sum, f) => sum + count(f.traits), 0) +
    count(folders.unfiled) +
    count(iab);
  return {
    q: query,
    matches,
    ...folders,
    iab: { name: IAB_TAXONOMY_NAME, total: nodes.length, nodes: iab },
  };
}

function browseFolders(
  traits: readonly FiledTrait[],
  needle: string,
): { folders: FolderEntry[]; unfiled: TraitEntry[] } {
  const folders = new Map<string, FolderEntry>();
  const unfiled: TraitEntry[] = [];
  const has = (text: string) => needle !== '' && text.toLowerCase().includes(needle);
  for (const trait of traits) {
    const segments = folderSegments(trait.folder);
    const paths = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    // a folder matches where the search reaches into its own segment: its path holds it, its parent's not
    const matched = paths.map((path, i) => has(path) && !has(paths[i - 1] ?? ''));
    const entry = {
      code: trait.code,
      name: trait.name,
      kind: trait.kind,
      match: has(trait.code) || has(trait.name),
    };
    if (needle !== '' && !entry.match && !matched.includes(true)) continue;
    paths.forEach((path, i) => {
      if (!folders.has(path))
        folders.set(path, {
          path,
          name: segments[i] ?? '',
          parent: paths[i - 1] ?? '',
          match: matched[i] ?? false,
          traits: [],
        });
    });
    (folders.get(paths.at(-1) ?? '')?.traits ?? unfiled).push(entry);
  }
  const sorted = [...folders.values()].sort((a, b) => compareText(a.path, b.path));
  for (const folder of sorted) folder.traits.sort((a, b) => compareText(a.code, b.code));
  return { folders: sorted, unfiled: unfiled.sort((a, b) => compareText(a.code, b.code)) };
}

function browseIab(nodes: readonly IabNode[], needle: string, query: string): IabEntry[] {
  if (needle === '') return nodes.map((n) => ({ id: n.id, parent: n.parent, name: n.name, match: false }));
  const matched = new Set<string>();
  const under = new Set<string>();
  // the file lists every parent before its children, so one pass finds what lies under a match
  for (const n of nodes) {
    if (n.id === query || n.name.toLowerCase().includes(needle)) matched.add(n.id);
    if (matched.has(n.id) || under.has(n.parent)) under.add(n.id);
  }
  const parents = new Map(nodes.map((n) => [n.id, n.parent]));
  const kept = new Set<string>();
  for (const id of under) {
    for (
      let at: string | undefined = id;
      at !== undefined && at !== '' && !kept.has(at);
      at = parents.get(at)
    )
      kept.add(at);
  }
  return nodes
    .filter((n) => kept.has(n.id))
    .map((n) => ({ id: n.id, parent: n.parent, name: n.name, match: matched.has(n.id) }));
}

/** Paths and codes in the same order for everyone: by code point, not by the server's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
