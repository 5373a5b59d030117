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
 * Parses the taxonomy's TSV as IAB Tech Lab ships it (columns: an empty first one, Unique ID, Parent ID,
 * Condensed Name, Tier 1..6, Extension Notes; CRLF lines), in the file's order: every parent before its
 * children. Rows without an ID are skipped; the name loses the trailing ` |` some rows have.
 * Example: `parseIabTaxonomy(text)[2]` -> `{ id: '3', parent: '2', name: 'Demographic | Age Range | 18-20', tier1: 'Demographic' }`.
 */
export function parseIabTaxonomy(text: string): IabNode[] {
  const nodes: IabNode[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const cells = line.split('\t');
    const id = cells[1]?.trim() ?? '';
    if (id === '') continue;
    const name = (cells[3] ?? '').trim().replace(/\s*\|\s*$/, '');
    nodes.push({ id, parent: cells[2]?.trim() ?? '', name, tier1: (cells[4] ?? '').trim() });
  }
  return nodes;
}
