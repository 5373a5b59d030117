import type { StoredDestination } from './destination-store.ts';

/** A row of `destinations`, as SQLite and PostgreSQL return it (without its tenant). */
export interface DestinationRow {
  code: string;
  kind: string;
  definition: string;
  created_at: string;
  updated_at: string;
}

/**
 * A stored destination from its row, its definition parsed.
 *
 * Example: `toDestination(row)` -> `{ code: 'ttd', kind: 'http', definition: { ... }, createdAt, updatedAt }`.
 */
export function toDestination(r: DestinationRow): StoredDestination {
  return {
    code: r.code,
    kind: r.kind,
    definition: JSON.parse(r.definition) as unknown,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
