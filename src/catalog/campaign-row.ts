import type { StoredCampaign } from './campaign-store.ts';

/** A row of `campaigns`, as SQLite and PostgreSQL return it (without its tenant). */
export interface CampaignRow {
  code: string;
  definition: string;
  created_at: string;
  updated_at: string;
}

/**
 * A stored campaign from its row, its definition parsed.
 *
 * Example: `toCampaign(row)` -> `{ code: 'xmas', definition: { ... }, createdAt, updatedAt }`.
 */
export function toCampaign(r: CampaignRow): StoredCampaign {
  return {
    code: r.code,
    definition: JSON.parse(r.definition) as unknown,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
