import type { Segment } from './segment-store.ts';

/** A row of `segments`, as SQLite and PostgreSQL return it. */
export interface SegmentRow {
  id: number;
  code: string;
  name: string;
  rule: string;
  rule_json: string;
  description: string | null;
  integration_code: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns of `segments` that `SegmentRow` holds, for SELECT and RETURNING lists. */
export const segmentColumns =
  'id, code, name, rule, rule_json, description, integration_code, created_at, updated_at';

/**
 * A segment from its row; absent optional texts are left out.
 *
 * Example: `toSegment(row)` -> `{ id: 3, code: 'london', name: 'London', rule: 'geo.city == "London"', ruleJson, createdAt, updatedAt }`.
 */
export function toSegment(row: SegmentRow): Segment {
  const segment: Segment = {
    id: row.id,
    code: row.code,
    name: row.name,
    rule: row.rule,
    ruleJson: JSON.parse(row.rule_json) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.description !== null) segment.description = row.description;
  if (row.integration_code !== null) segment.integrationCode = row.integration_code;
  return segment;
}
