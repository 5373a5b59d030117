import type { Trait, TraitInput, TraitKind, TraitVersion } from './trait-store.ts';
import { CatalogError } from './catalog-error.ts';
import { requireInteger, requireText } from './catalog-context.ts';

/** The columns of `traits` that `TraitRow` holds, for SELECT lists. */
export const traitColumns = `id, code, name, kind, rule, rule_json, lifetime_days, folder, source, integration_code,
  description, created_at, updated_at`;

/** A row of `traits`, as SQLite returns it. */
export interface TraitRow {
  id: number;
  code: string;
  name: string;
  kind: TraitKind;
  rule: string;
  rule_json: string;
  lifetime_days: number;
  folder: string;
  source: string;
  integration_code: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** A row of `trait_versions`, as SQLite returns it. */
export interface VersionRow {
  trait: number;
  version: number;
  rule: string;
  rule_json: string;
  from_seq: number;
}

/**
 * A trait from its row and its versions' rows (oldest first); absent optional texts are left out.
 *
 * Example: `toTrait(row, [v1])` -> `{ id: 7, code: 'pricing_visitor', ..., versions: [{ version: 1, ... }] }`.
 */
export function toTrait(row: TraitRow, versions: readonly VersionRow[]): Trait {
  const trait: Trait = {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    rule: row.rule,
    ruleJson: JSON.parse(row.rule_json) as unknown,
    lifetimeDays: row.lifetime_days,
    folder: row.folder,
    source: row.source,
    versions: versions.map(toVersion),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.integration_code !== null) trait.integrationCode = row.integration_code;
  if (row.description !== null) trait.description = row.description;
  return trait;
}

/**
 * A trait version from its row.
 *
 * Example: `toVersion(row)` -> `{ version: 2, rule: 'x', ruleJson: null, fromSeq: 0 }`.
 */
export function toVersion(row: VersionRow): TraitVersion {
  return {
    version: row.version,
    rule: row.rule,
    ruleJson: JSON.parse(row.rule_json) as unknown,
    fromSeq: row.from_seq,
  };
}

/** The fields of a trait an update may change (all but its code). */
export type TraitPatch = Partial<Omit<TraitInput, 'code'>>;

const kinds: ReadonlySet<string> = new Set<TraitKind>(['rule', 'onboarded', 'third-party', 'algorithmic']);

/**
 * Refuses the given fields of a trait to create or update: an empty name, a lifetime under a day, an
 * unknown kind or a rule that is not a string (the code and the rule's JSON are checked by the adapters).
 *
 * Example: `checkTraitFields({ kind: 'magic' })` throws `invalid`: "kind must be one of rule, onboarded, ...".
 */
export function checkTraitFields(input: TraitPatch): void {
  if (input.name !== undefined) requireText('name', input.name);
  if (input.lifetimeDays !== undefined) requireInteger('lifetimeDays', input.lifetimeDays, 1);
  if (input.kind !== undefined && !kinds.has(input.kind)) {
    throw new CatalogError(
      'invalid',
      `kind must be one of ${[...kinds].join(', ')}, not '${String(input.kind)}'`,
    );
  }
  if (input.rule !== undefined && typeof input.rule !== 'string') {
    throw new CatalogError('invalid', 'rule must be a string');
  }
}

/**
 * The trait just written and read back; its absence is a bug of the adapter, not the caller's error.
 *
 * Example: `return foundTrait(await read(sql, tenant, input.code));`
 */
export function foundTrait(trait: Trait | undefined): Trait {
  if (!trait) throw new Error('a trait just written could not be read back');
  return trait;
}
