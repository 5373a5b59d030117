import type { Trait, TraitInput, TraitStore } from './trait-store.ts';
import type { TraitPatch, TraitRow, VersionRow } from './trait-row.ts';
import { checkTraitFields, foundTrait, toTrait, traitColumns as columns } from './trait-row.ts';
import { CatalogError } from './catalog-error.ts';
import type { CatalogContext } from './catalog-context.ts';
import {
  isUniqueViolation,
  optionalText,
  requireInteger,
  requireTenant,
  requireText,
  ruleJsonText,
} from './catalog-context.ts';

/**
 * Traits and their rule versions on SQLite. A new rule from log position `fromSeq` ends every version
 * that would start at or after it, since none of those can apply to any event any more; so a backfill
 * (`fromSeq` 0) leaves the new version alone, and two saves at the same position keep the later.
 *
 * Example:
 * ```ts
 * await traits.updateTrait('acme', 'pricing_visitor', { rule: 'url.path == "/pricing"', ruleJson }, 0);
 * // versions: [{ version: 2, fromSeq: 0, ... }]
 * ```
 */
export function sqliteTraits(ctx: CatalogContext): TraitStore {
  const { db } = ctx;
  const traitsOf = db.prepare<[string], TraitRow>(
    `SELECT ${columns} FROM traits WHERE tenant = ? ORDER BY id`,
  );
  const traitByCode = db.prepare<[string, string], TraitRow>(
    `SELECT ${columns} FROM traits WHERE tenant = ? AND code = ?`,
  );
  const versionsOfTenant = db.prepare<[string], VersionRow>(
    `SELECT v.trait, v.version, v.rule, v.rule_json, v.from_seq FROM trait_versions v
     JOIN traits t ON t.id = v.trait WHERE t.tenant = ? ORDER BY v.trait, v.version`,
  );
  const versionsOfTrait = db.prepare<[number], VersionRow>(
    'SELECT trait, version, rule, rule_json, from_seq FROM trait_versions WHERE trait = ? ORDER BY version',
  );
  const sourceCodes = db.prepare<[string], { code: string }>(
    'SELECT code FROM data_sources WHERE tenant = ? ORDER BY id',
  );
  const insertTrait = db.prepare<[Record<string, unknown>], { id: number }>(
    `INSERT INTO traits (tenant, code, name, kind, rule, rule_json, lifetime_days, folder, source,
       integration_code, description, created_at, updated_at)
     VALUES (@tenant, @code, @name, @kind, @rule, @rule_json, @lifetime_days, @folder, @source,
       @integration_code, @description, @at, @at) RETURNING id`,
  );
  const updateRow = db.prepare<[Record<string, unknown>]>(
    `UPDATE traits SET name = @name, kind = @kind, rule = @rule, rule_json = @rule_json,
       lifetime_days = @lifetime_days, folder = @folder, source = @source,
       integration_code = @integration_code, description = @description, updated_at = @at
     WHERE id = @id`,
  );
  const nextVersion = db.prepare<[number], { v: number }>(
    'SELECT coalesce(max(version), 0) + 1 AS v FROM trait_versions WHERE trait = ?',
  );
  const endVersionsFrom = db.prepare<[number, number]>(
    'DELETE FROM trait_versions WHERE trait = ? AND from_seq >= ?',
  );
  const insertVersion = db.prepare<[number, number, string, string, number, string]>(
    'INSERT INTO trait_versions (trait, version, rule, rule_json, from_seq, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setLatestRuleJson = db.prepare<[string, number, number]>(
    `UPDATE trait_versions SET rule_json = ?
     WHERE trait = ? AND version = (SELECT max(version) FROM trait_versions WHERE trait = ?)`,
  );
  const deleteByCode = db.prepare<[string, string]>('DELETE FROM traits WHERE tenant = ? AND code = ?');

  const requireSource = (tenant: string, source: string): void => {
    const known = sourceCodes.all(tenant).map((row) => row.code);
    if (!known.includes(source)) {
      throw new CatalogError('invalid', `unknown data source '${source}'; known: ${known.join(', ')}`);
    }
  };

  const read = (tenant: string, code: string): Trait | undefined => {
    const row = traitByCode.get(tenant, code);
    return row && toTrait(row, versionsOfTrait.all(row.id));
  };

  const create = db.transaction((tenant: string, input: TraitInput, fromSeq: number): Trait => {
    requireTenant(ctx, tenant);
    requireText('code', input.code);
    checkTraitFields(input);
    requireInteger('fromSeq', fromSeq, 0);
    const source = input.source ?? 'first-party';
    requireSource(tenant, source);
    const at = ctx.now();
    let id: number;
    try {
      const row = insertTrait.get({
        tenant,
        code: input.code,
        name: input.name,
        kind: input.kind ?? 'rule',
        rule: input.rule,
        rule_json: ruleJsonText(input.ruleJson),
        lifetime_days: input.lifetimeDays ?? 120,
        folder: input.folder ?? '',
        source,
        integration_code: optionalText(input.integrationCode, null),
        description: optionalText(input.description, null),
        at,
      });
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      id = row.id;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new CatalogError('conflict', `trait '${input.code}' already exists in this tenant`);
      }
      throw error;
    }
    insertVersion.run(id, 1, input.rule, ruleJsonText(input.ruleJson), fromSeq, at);
    return foundTrait(read(tenant, input.code));
  });

  const update = db.transaction((tenant: string, code: string, patch: TraitPatch, fromSeq: number): Trait => {
    const row = traitByCode.get(tenant, code);
    if (!row) throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
    checkTraitFields(patch);
    requireInteger('fromSeq', fromSeq, 0);
    if (patch.source !== undefined) requireSource(tenant, patch.source);
    const ruleChanged = patch.rule !== undefined && patch.rule !== row.rule;
    if (ruleChanged && patch.ruleJson === undefined) {
      throw new CatalogError('invalid', 'ruleJson is required with a new rule');
    }
    const at = ctx.now();
    const ruleJson = patch.ruleJson === undefined ? row.rule_json : ruleJsonText(patch.ruleJson);
    updateRow.run({
      id: row.id,
      name: patch.name ?? row.name,
      kind: patch.kind ?? row.kind,
      rule: patch.rule ?? row.rule,
      rule_json: ruleJson,
      lifetime_days: patch.lifetimeDays ?? row.lifetime_days,
      folder: patch.folder ?? row.folder,
      source: patch.source ?? row.source,
      integration_code: optionalText(patch.integrationCode, row.integration_code),
      description: optionalText(patch.description, row.description),
      at,
    });
    if (ruleChanged && patch.rule !== undefined) {
      const version = nextVersion.get(row.id)?.v ?? 1;
      endVersionsFrom.run(row.id, fromSeq);
      insertVersion.run(row.id, version, patch.rule, ruleJson, fromSeq, at);
    } else if (patch.ruleJson !== undefined) {
      // the same rule text re-parsed: same meaning, so no new version
      setLatestRuleJson.run(ruleJson, row.id, row.id);
    }
    return foundTrait(read(tenant, code));
  });

  return {
    async listTraits(tenant) {
      const byTrait = new Map<number, VersionRow[]>();
      for (const v of versionsOfTenant.all(tenant)) {
        const list = byTrait.get(v.trait);
        if (list) list.push(v);
        else byTrait.set(v.trait, [v]);
      }
      return traitsOf.all(tenant).map((row) => toTrait(row, byTrait.get(row.id) ?? []));
    },
    async getTrait(tenant, code) {
      return read(tenant, code);
    },
    async createTrait(tenant, input, fromSeq) {
      return create(tenant, input, fromSeq);
    },
    async updateTrait(tenant, code, patch, fromSeq) {
      return update(tenant, code, patch, fromSeq);
    },
    async deleteTrait(tenant, code) {
      if (deleteByCode.run(tenant, code).changes === 0) {
        throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
      }
    },
  };
}
