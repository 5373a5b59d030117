import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shipped IAB Tech Lab Audience Taxonomy 1.1 (assets/README.md). */
export const IAB_AUDIENCE_TAXONOMY = join(
  import.meta.dirname,
  '..',
  '..',
  'assets',
  'taxonomy',
  'Audience Taxonomy 1.1.tsv',
);

/**
 * One node of the IAB Audience Taxonomy 1.1; `parent` is `''` for the three top nodes. Example:
 * `{ id: '3', parent: '2', name: 'Demographic | Age Range | 18-20', tier1: 'Demographic' }`
 */
export interface IabNode {
  id: string;
  parent: string;
  name: string;
  tier1: string;
}

/**
 * Reads the taxonomy's TSV (columns: an empty first one, Unique ID, Parent ID, Condensed Name, Tier 1..6,
 * Extension Notes; CRLF lines), in the file's order: every parent before its children.
 * Example: `readIabTaxonomy().length` -> `1558`.
 */
export function readIabTaxonomy(path = IAB_AUDIENCE_TAXONOMY): IabNode[] {
  const nodes: IabNode[] = [];
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const id = cells[1]?.trim() ?? '';
    if (id === '') continue;
    const name = (cells[3] ?? '').trim().replace(/\s*\|\s*$/, '');
    nodes.push({ id, parent: cells[2]?.trim() ?? '', name, tier1: (cells[4] ?? '').trim() });
  }
  return nodes;
}

let shipped: readonly IabNode[] | undefined;

/**
 * The shipped taxonomy, read once per process and then shared (frozen: callers must not change it).
 * Example: `iabAudienceTaxonomy()[2]?.name` -> `'Demographic | Age Range | 18-20'`.
 */
export function iabAudienceTaxonomy(): readonly IabNode[] {
  shipped ??= Object.freeze(readIabTaxonomy().map((node) => Object.freeze(node)));
  return shipped;
}
