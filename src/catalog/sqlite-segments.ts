import type { Segment, SegmentInput, SegmentStore } from './segment-store.ts';
import type { SegmentRow } from './segment-row.ts';
import { segmentColumns as columns, toSegment } from './segment-row.ts';
import { CatalogError } from './catalog-error.ts';
import type { CatalogContext } from './catalog-context.ts';
import {
  isUniqueViolation,
  optionalText,
  requireTenant,
  requireText,
  ruleJsonText,
} from './catalog-context.ts';

/**
 * Segments on SQLite. A segment keeps only its current rule: it is evaluated on profiles as they are
 * now, so there is no history to version.
 *
 * Example:
 * ```ts
 * await segments.createSegment('acme', { code: 'london', name: 'London', rule: 'geo.city == "London"', ruleJson });
 * ```
 */
export function sqliteSegments(ctx: CatalogContext): SegmentStore {
  const { db } = ctx;
  const segmentsOf = db.prepare<[string], SegmentRow>(
    `SELECT ${columns} FROM segments WHERE tenant = ? ORDER BY id`,
  );
  const segmentByCode = db.prepare<[string, string], SegmentRow>(
    `SELECT ${columns} FROM segments WHERE tenant = ? AND code = ?`,
  );
  const insert = db.prepare<[Record<string, unknown>], SegmentRow>(
    `INSERT INTO segments (tenant, code, name, rule, rule_json, description, integration_code, created_at, updated_at)
     VALUES (@tenant, @code, @name, @rule, @rule_json, @description, @integration_code, @at, @at)
     RETURNING ${columns}`,
  );
  const update = db.prepare<[Record<string, unknown>], SegmentRow>(
    `UPDATE segments SET name = @name, rule = @rule, rule_json = @rule_json, description = @description,
       integration_code = @integration_code, updated_at = @at
     WHERE tenant = @tenant AND code = @code RETURNING ${columns}`,
  );
  const deleteByCode = db.prepare<[string, string]>('DELETE FROM segments WHERE tenant = ? AND code = ?');

  const create = db.transaction((tenant: string, input: SegmentInput): Segment => {
    requireTenant(ctx, tenant);
    requireText('code', input.code);
    requireText('name', input.name);
    try {
      const row = insert.get({
        tenant,
        code: input.code,
        name: input.name,
        rule: input.rule,
        rule_json: ruleJsonText(input.ruleJson),
        description: optionalText(input.description, null),
        integration_code: optionalText(input.integrationCode, null),
        at: ctx.now(),
      });
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toSegment(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new CatalogError('conflict', `segment '${input.code}' already exists in this tenant`);
      }
      throw error;
    }
  });

  const change = db.transaction(
    (tenant: string, code: string, patch: Partial<Omit<SegmentInput, 'code'>>): Segment => {
      const row = segmentByCode.get(tenant, code);
      if (!row) throw new CatalogError('not_found', `segment '${code}' does not exist in this tenant`);
      if (patch.name !== undefined) requireText('name', patch.name);
      const ruleChanged = patch.rule !== undefined && patch.rule !== row.rule;
      if (ruleChanged && patch.ruleJson === undefined) {
        throw new CatalogError('invalid', 'ruleJson is required with a new rule');
      }
      const updated = update.get({
        tenant,
        code,
        name: patch.name ?? row.name,
        rule: patch.rule ?? row.rule,
        rule_json: patch.ruleJson === undefined ? row.rule_json : ruleJsonText(patch.ruleJson),
        description: optionalText(patch.description, row.description),
        integration_code: optionalText(patch.integrationCode, row.integration_code),
        at: ctx.now(),
      });
      if (!updated) throw new Error('UPDATE ... RETURNING gave no row');
      return toSegment(updated);
    },
  );

  return {
    async listSegments(tenant) {
      return segmentsOf.all(tenant).map(toSegment);
    },
    async getSegment(tenant, code) {
      const row = segmentByCode.get(tenant, code);
      return row && toSegment(row);
    },
    async createSegment(tenant, input) {
      return create(tenant, input);
    },
    async updateSegment(tenant, code, patch) {
      return change(tenant, code, patch);
    },
    async deleteSegment(tenant, code) {
      if (deleteByCode.run(tenant, code).changes === 0) {
        throw new CatalogError('not_found', `segment '${code}' does not exist in this tenant`);
      }
    },
  };
}
