import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IabNode } from '../core/taxonomy/iab-nodes.ts';
import { parseIabTaxonomy } from '../core/taxonomy/iab-nodes.ts';

export type { IabNode } from '../core/taxonomy/iab-nodes.ts';

/** The shipped IAB Tech Lab Audience Taxonomy 1.1 (assets/README.md), whose nodes the demo's third-party file uses. */
export const IAB_AUDIENCE_TAXONOMY = join(
  import.meta.dirname,
  '..',
  '..',
  'assets',
  'taxonomy',
  'Audience Taxonomy 1.1.tsv',
);

/** Reads the shipped taxonomy (the parser is core's, as the API's reader uses). Example: `readIabTaxonomy().length` -> `1558`. */
export function readIabTaxonomy(path = IAB_AUDIENCE_TAXONOMY): IabNode[] {
  return parseIabTaxonomy(readFileSync(path, 'utf8'));
}
