import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IabNode } from '../core/taxonomy/iab-nodes.ts';
import { parseIabTaxonomy } from '../core/taxonomy/iab-nodes.ts';

export type { IabNode } from '../core/taxonomy/iab-nodes.ts';

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
 * Reads the shipped taxonomy file (or another in the same format). Example: `readIabTaxonomy().length` -> `1558`.
 */
export function readIabTaxonomy(path = IAB_AUDIENCE_TAXONOMY): IabNode[] {
  return parseIabTaxonomy(readFileSync(path, 'utf8'));
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
