import type { SegmentInput, SegmentStore } from '../segment-store.ts';
import type { SegmentRow } from '../segment-row.ts';
import { segmentColumns as columns, toSegment } from '../segment-row.ts';
import { CatalogError } from '../catalog-error.ts';
import { optionalText, requireText, ruleJsonText } from '../catalog-context.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, conflictAs, one, requireTenantPg } from './pg-sql.ts';

/**
 * Segments on PostgreSQL: only the current rule, as in the SQLite adapter.
 *
 * Example: `await pgSegments(ctx).createSegment('acme', { code: 'london', name: 'London', rule, ruleJson })`.
 */
export function pgSegments(ctx: PgContext): SegmentStore {
  const { pool } = ctx;
  return {
    async listSegments(tenant) {
      const rows = await all<SegmentRow>(
        pool,
        `SELECT ${columns} FROM segments WHERE tenant = $1 ORDER BY id`,
        [tenant],
      );
      return rows.map(toSegment);
    },
    async getSegment(tenant, code) {
      const row = await one<SegmentRow>(
        pool,
        `SELECT ${columns} FROM segments WHERE tenant = $1 AND code = $2`,
        [tenant, code],
      );
      return row && toSegment(row);
    },
    async createSegment(tenant, input: SegmentInput) {
      return ctx.write(tenant, 'segment', async (sql) => {
        await requireTenantPg(sql, tenant);
        requireText('code', input.code);
        requireText('name', input.name);
        const at = ctx.now();
        const row = await conflictAs(`segment '${input.code}' already exists in this tenant`, () =>
          one<SegmentRow>(
            sql,
            `INSERT INTO segments (tenant, code, name, rule, rule_json, description, integration_code, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${columns}`,
            [
              tenant,
              input.code,
              input.name,
              input.rule,
              ruleJsonText(input.ruleJson),
              optionalText(input.description, null),
              optionalText(input.integrationCode, null),
              at,
            ],
          ),
        );
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        return toSegment(row);
      });
    },
    async updateSegment(tenant, code, patch) {
      return ctx.write(tenant, 'segment', async (sql) => {
        const row = await one<SegmentRow>(
          sql,
          `SELECT ${columns} FROM segments WHERE tenant = $1 AND code = $2 FOR UPDATE`,
          [tenant, code],
        );
        if (!row) throw new CatalogError('not_found', `segment '${code}' does not exist in this tenant`);
        if (patch.name !== undefined) requireText('name', patch.name);
        const ruleChanged = patch.rule !== undefined && patch.rule !== row.rule;
        if (ruleChanged && patch.ruleJson === undefined) {
          throw new CatalogError('invalid', 'ruleJson is required with a new rule');
        }
        const updated = await one<SegmentRow>(
          sql,
          `UPDATE segments SET name = $1, rule = $2, rule_json = $3, description = $4, integration_code = $5,
             updated_at = $6 WHERE tenant = $7 AND code = $8 RETURNING ${columns}`,
          [
            patch.name ?? row.name,
            patch.rule ?? row.rule,
            patch.ruleJson === undefined ? row.rule_json : ruleJsonText(patch.ruleJson),
            optionalText(patch.description, row.description),
            optionalText(patch.integrationCode, row.integration_code),
            ctx.now(),
            tenant,
            code,
          ],
        );
        if (!updated) throw new Error('UPDATE ... RETURNING gave no row');
        return toSegment(updated);
      });
    },
    async deleteSegment(tenant, code) {
      await ctx.write(tenant, 'segment', async (sql) => {
        if (
          (await changed(sql, 'DELETE FROM segments WHERE tenant = $1 AND code = $2', [tenant, code])) === 0
        )
          throw new CatalogError('not_found', `segment '${code}' does not exist in this tenant`);
      });
    },
  };
}
