import type { Trait, TraitInput, TraitStore } from '../trait-store.ts';
import type { TraitPatch, TraitRow, VersionRow } from '../trait-row.ts';
import { checkTraitFields, foundTrait, toTrait, traitColumns as columns } from '../trait-row.ts';
import { CatalogError } from '../catalog-error.ts';
import { optionalText, requireInteger, requireText, ruleJsonText } from '../catalog-context.ts';
import type { PgContext, Sql } from './pg-sql.ts';
import { all, changed, conflictAs, one, requireTenantPg } from './pg-sql.ts';

const versionColumns = 'trait, version, rule, rule_json, from_seq';

const traitByCode = (sql: Sql, tenant: string, code: string, lock = ''): Promise<TraitRow | undefined> =>
  one<TraitRow>(sql, `SELECT ${columns} FROM traits WHERE tenant = $1 AND code = $2 ${lock}`, [tenant, code]);

async function read(sql: Sql, tenant: string, code: string): Promise<Trait | undefined> {
  const row = await traitByCode(sql, tenant, code);
  if (!row) return undefined;
  const versions = await all<VersionRow>(
    sql,
    `SELECT ${versionColumns} FROM trait_versions WHERE trait = $1 ORDER BY version`,
    [row.id],
  );
  return toTrait(row, versions);
}

async function requireSource(sql: Sql, tenant: string, source: string): Promise<void> {
  const known = (
    await all<{ code: string }>(sql, 'SELECT code FROM data_sources WHERE tenant = $1 ORDER BY id', [tenant])
  ).map((row) => row.code);
  if (!known.includes(source)) {
    throw new CatalogError('invalid', `unknown data source '${source}'; known: ${known.join(', ')}`);
  }
}

const insertVersion = (sql: Sql, values: [number, number, string, string, number, string]) =>
  sql.query(
    'INSERT INTO trait_versions (trait, version, rule, rule_json, from_seq, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    values,
  );

/**
 * Traits and their rule versions on PostgreSQL, with the SQLite adapter's rules: a new rule from log
 * position `fromSeq` ends every version that would start at or after it. An update locks the trait's
 * row, so two writers cannot take the same version number.
 *
 * Example: `await pgTraits(ctx).createTrait('acme', { code: 'pricing_visitor', name: 'Pricing', rule, ruleJson }, 42)`.
 */
export function pgTraits(ctx: PgContext): TraitStore {
  const { pool } = ctx;

  const create = (tenant: string, input: TraitInput, fromSeq: number): Promise<Trait> =>
    ctx.write(tenant, 'trait', async (sql) => {
      await requireTenantPg(sql, tenant);
      requireText('code', input.code);
      checkTraitFields(input);
      requireInteger('fromSeq', fromSeq, 0);
      const source = input.source ?? 'first-party';
      await requireSource(sql, tenant, source);
      const at = ctx.now();
      const ruleJson = ruleJsonText(input.ruleJson);
      const row = await conflictAs(`trait '${input.code}' already exists in this tenant`, () =>
        one<{ id: number }>(
          sql,
          `INSERT INTO traits (tenant, code, name, kind, rule, rule_json, lifetime_days, folder, source,
             integration_code, description, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
          [
            tenant,
            input.code,
            input.name,
            input.kind ?? 'rule',
            input.rule,
            ruleJson,
            input.lifetimeDays ?? 120,
            input.folder ?? '',
            source,
            optionalText(input.integrationCode, null),
            optionalText(input.description, null),
            at,
          ],
        ),
      );
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      await insertVersion(sql, [row.id, 1, input.rule, ruleJson, fromSeq, at]);
      return foundTrait(await read(sql, tenant, input.code));
    });

  const update = (tenant: string, code: string, patch: TraitPatch, fromSeq: number): Promise<Trait> =>
    ctx.write(tenant, 'trait', async (sql) => {
      const row = await traitByCode(sql, tenant, code, 'FOR UPDATE');
      if (!row) throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
      checkTraitFields(patch);
      requireInteger('fromSeq', fromSeq, 0);
      if (patch.source !== undefined) await requireSource(sql, tenant, patch.source);
      const ruleChanged = patch.rule !== undefined && patch.rule !== row.rule;
      if (ruleChanged && patch.ruleJson === undefined) {
        throw new CatalogError('invalid', 'ruleJson is required with a new rule');
      }
      const at = ctx.now();
      const ruleJson = patch.ruleJson === undefined ? row.rule_json : ruleJsonText(patch.ruleJson);
      await sql.query(
        `UPDATE traits SET name = $1, kind = $2, rule = $3, rule_json = $4, lifetime_days = $5, folder = $6,
           source = $7, integration_code = $8, description = $9, updated_at = $10
         WHERE id = $11`,
        [
          patch.name ?? row.name,
          patch.kind ?? row.kind,
          patch.rule ?? row.rule,
          ruleJson,
          patch.lifetimeDays ?? row.lifetime_days,
          patch.folder ?? row.folder,
          patch.source ?? row.source,
          optionalText(patch.integrationCode, row.integration_code),
          optionalText(patch.description, row.description),
          at,
          row.id,
        ],
      );
      if (ruleChanged && patch.rule !== undefined) {
        const next = await one<{ v: number }>(
          sql,
          'SELECT coalesce(max(version), 0) + 1 AS v FROM trait_versions WHERE trait = $1',
          [row.id],
        );
        await sql.query('DELETE FROM trait_versions WHERE trait = $1 AND from_seq >= $2', [row.id, fromSeq]);
        await insertVersion(sql, [row.id, next?.v ?? 1, patch.rule, ruleJson, fromSeq, at]);
      } else if (patch.ruleJson !== undefined) {
        // the same rule text re-parsed: same meaning, so no new version
        await sql.query(
          `UPDATE trait_versions SET rule_json = $1
           WHERE trait = $2 AND version = (SELECT max(version) FROM trait_versions WHERE trait = $2)`,
          [ruleJson, row.id],
        );
      }
      return foundTrait(await read(sql, tenant, code));
    });

  return {
    async listTraits(tenant) {
      const rows = await all<TraitRow>(pool, `SELECT ${columns} FROM traits WHERE tenant = $1 ORDER BY id`, [
        tenant,
      ]);
      const versions = await all<VersionRow>(
        pool,
        `SELECT v.trait, v.version, v.rule, v.rule_json, v.from_seq FROM trait_versions v
         JOIN traits t ON t.id = v.trait WHERE t.tenant = $1 ORDER BY v.trait, v.version`,
        [tenant],
      );
      const byTrait = new Map<number, VersionRow[]>();
      for (const v of versions) {
        const list = byTrait.get(v.trait);
        if (list) list.push(v);
        else byTrait.set(v.trait, [v]);
      }
      return rows.map((row) => toTrait(row, byTrait.get(row.id) ?? []));
    },
    async getTrait(tenant, code) {
      return read(pool, tenant, code);
    },
    createTrait: create,
    updateTrait: update,
    async deleteTrait(tenant, code) {
      await ctx.write(tenant, 'trait', async (sql) => {
        if ((await changed(sql, 'DELETE FROM traits WHERE tenant = $1 AND code = $2', [tenant, code])) === 0)
          throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
      });
    },
  };
}
