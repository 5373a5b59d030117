/** What the partners page reads from the API, and how it words it (no DOM: unit-tested). */
import type { RuleError } from './api.ts';

/** An ID-sync partner as `GET /v1/partners` lists it. */
export interface Partner {
  code: string;
  name: string;
  syncUrl: string;
  type: 'redirect' | 'iframe';
  vendorId?: number;
  resyncDays: number;
  idLifetimeDays: number;
  uidMacro: string;
}

/** The form's fields, by the API's field names, each with its visible label. */
export const PARTNER_FIELDS = [
  { field: 'code', label: 'Code (its ID type)' },
  { field: 'name', label: 'Name' },
  { field: 'syncUrl', label: 'Sync URL' },
  { field: 'vendorId', label: 'IAB vendor ID (optional)' },
  { field: 'resyncDays', label: 'Sync again after (days)' },
  { field: 'idLifetimeDays', label: 'Keep IDs for (days)' },
] as const;

/** The name of a field of the form. Example: `const f: PartnerField = 'syncUrl';` */
export type PartnerField = (typeof PARTNER_FIELDS)[number]['field'];

/**
 * The errors of a refused partner by field (`422 invalid_partner` lists each with its field): those of a
 * field the form shows go under it, the rest (`body`, unknown) in `other`.
 *
 * Example: `errorsByField([{ field: 'syncUrl', message: 'must start with https://' }])`
 * -> `{ byField: { syncUrl: ['must start with https://'] }, other: [] }`.
 */
export function errorsByField(errors: readonly RuleError[]): {
  byField: Record<string, string[]>;
  other: string[];
} {
  const shown = new Set<string>([...PARTNER_FIELDS.map((f) => f.field), 'type']);
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const e of errors) {
    if (e.field !== undefined && shown.has(e.field)) (byField[e.field] ??= []).push(e.message);
    else other.push(e.field === undefined ? e.message : `${e.field}: ${e.message}`);
  }
  return { byField, other };
}

/** A partner's match rate as `GET /v1/partners/{code}/match-rate` answers it. */
export interface MatchRate {
  partner: string;
  profiles: number;
  matched: number;
  rate: number;
  byAgeDays: Record<string, number>;
  ageFrom: 'learntAt' | 'lastSeen';
  at: string;
}

/** The roles with the API's `compute` permission, which match rates need (`src/core/roles.ts`). */
export const COMPUTE_ROLES = new Set(['analyst', 'editor', 'admin']);

/**
 * A rate as a percentage with one decimal, the way the page and its tests write it.
 *
 * Example: `percent(1 / 3)` -> `'33.3%'`; `percent(0)` -> `'0.0%'`.
 */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
