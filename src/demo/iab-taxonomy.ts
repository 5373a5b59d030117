/**
 * The demo's IAB nodes come from the taxonomy the API serves (`GET /v1/taxonomy`): one reader, in
 * src/traits. Example: `readIabTaxonomy().length` -> `1558`.
 */
export { IAB_AUDIENCE_TAXONOMY, readIabTaxonomy } from '../traits/iab-audience-taxonomy.ts';
export type { IabNode } from '../traits/iab-audience-taxonomy.ts';
