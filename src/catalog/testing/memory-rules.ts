import { CatalogError } from '../catalog-error.ts';
import { optionalText, requireInteger, requireText } from '../catalog-context.ts';
import { normaliseLabels } from '../data-labels.ts';
import type { DataSource, DataSourceStore, Party } from '../data-source-store.ts';
import type { Segment, SegmentStore } from '../segment-store.ts';
import type { Trait, TraitInput, TraitKind, TraitStore } from '../trait-store.ts';
import type { CatalogState, TenantRows } from './memory-catalog-state.ts';
import { fromJson, jsonText, rowsOf } from './memory-catalog-state.ts';

const DEFAULTS: ReadonlySet<string> = new Set(['first-party', 'second-party', 'third-party']);
const PARTIES: ReadonlySet<string> = new Set<Party>(['first', 'second', 'third']);
const KINDS: ReadonlySet<string> = new Set<TraitKind>(['rule', 'onboarded', 'third-party', 'algorithmic']);

type TraitPatch = Partial<Omit<TraitInput, 'code'>>;
type StoredTrait = TenantRows['traits'] extends Map<string, infer T> ? T : never;
type StoredSegment = TenantRows['segments'] extends Map<string, infer T> ? T : never;

/**
 * Data sources in memory, with the same refusals as SQLite's (defaults and sources in use stay).
 *
 * Example: `await memoryDataSources(state).createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first' })`.
 */
export function memoryDataSources(state: CatalogState): DataSourceStore {
  const copy = (source: DataSource): DataSource => ({ ...source, labels: [...source.labels] });
  const found = (tenant: string, code: string): DataSource => {
    const source = state.tenants.get(tenant)?.sources.get(code);
    if (!source) throw new CatalogError('not_found', `data source '${code}' does not exist in this tenant`);
    return source;
  };
  return {
    async listDataSources(tenant) {
      return [...(state.tenants.get(tenant)?.sources.values() ?? [])].map(copy);
    },
    async getDataSource(tenant, code) {
      const source = state.tenants.get(tenant)?.sources.get(code);
      return source && copy(source);
    },
    async createDataSource(tenant, input) {
      const rows = rowsOf(state, tenant);
      requireText('code', input.code);
      requireText('name', input.name);
      if (!PARTIES.has(input.party)) {
        throw new CatalogError(
          'invalid',
          `party must be first, second or third, not '${String(input.party)}'`,
        );
      }
      const labels = normaliseLabels(input.labels ?? []);
      if (rows.sources.has(input.code)) {
        throw new CatalogError('conflict', `data source '${input.code}' already exists in this tenant`);
      }
      const source: DataSource = {
        id: ++state.lastId.source,
        code: input.code,
        name: input.name,
        party: input.party,
        labels,
        createdAt: state.now(),
      };
      rows.sources.set(input.code, source);
      return copy(source);
    },
    async updateDataSource(tenant, code, patch) {
      const source = found(tenant, code);
      if (patch.name !== undefined) requireText('name', patch.name);
      const labels = patch.labels === undefined ? source.labels : normaliseLabels(patch.labels);
      source.name = patch.name ?? source.name;
      source.labels = labels;
      return copy(source);
    },
    async deleteDataSource(tenant, code) {
      found(tenant, code);
      if (DEFAULTS.has(code)) {
        throw new CatalogError('conflict', `data source '${code}' is a default source and cannot be deleted`);
      }
      const rows = rowsOf(state, tenant);
      const users = [...rows.traits.values()]
        .filter((trait) => trait.source === code)
        .map((trait) => trait.code)
        .sort()
        .slice(0, 6);
      if (users.length > 0) {
        const named = users.length > 5 ? `${users.slice(0, 5).join(', ')}, ...` : users.join(', ');
        throw new CatalogError('conflict', `data source '${code}' is used by traits ${named}`);
      }
      rows.sources.delete(code);
    },
  };
}

/**
 * Traits and their versions in memory, versioned as `TraitStore` says.
 *
 * Example: `await memoryTraits(state).createTrait('acme', { code: 't', name: 'T', rule: 'x', ruleJson: null }, 0)`.
 */
export function memoryTraits(state: CatalogState): TraitStore {
  const requireSource = (rows: TenantRows, source: string): void => {
    if (!rows.sources.has(source)) {
      const known = [...rows.sources.keys()].join(', ');
      throw new CatalogError('invalid', `unknown data source '${source}'; known: ${known}`);
    }
  };
  return {
    async listTraits(tenant) {
      return [...(state.tenants.get(tenant)?.traits.values() ?? [])].map(traitOut);
    },
    async getTrait(tenant, code) {
      const trait = state.tenants.get(tenant)?.traits.get(code);
      return trait && traitOut(trait);
    },
    async createTrait(tenant, input, fromSeq) {
      const rows = rowsOf(state, tenant);
      requireText('code', input.code);
      checkTraitFields(input);
      requireInteger('fromSeq', fromSeq, 0);
      const source = input.source ?? 'first-party';
      requireSource(rows, source);
      if (rows.traits.has(input.code)) {
        throw new CatalogError('conflict', `trait '${input.code}' already exists in this tenant`);
      }
      const at = state.now();
      const ruleJsonText = jsonText(input.ruleJson);
      const trait: StoredTrait = {
        id: ++state.lastId.trait,
        code: input.code,
        name: input.name,
        kind: input.kind ?? 'rule',
        rule: input.rule,
        ruleJson: undefined,
        ruleJsonText,
        lifetimeDays: input.lifetimeDays ?? 120,
        folder: input.folder ?? '',
        source,
        versions: [{ version: 1, rule: input.rule, ruleJson: undefined, fromSeq }],
        versionJson: [ruleJsonText],
        createdAt: at,
        updatedAt: at,
      };
      setOptional(trait, 'integrationCode', optionalText(input.integrationCode, null));
      setOptional(trait, 'description', optionalText(input.description, null));
      rows.traits.set(input.code, trait);
      return traitOut(trait);
    },
    async updateTrait(tenant, code, patch, fromSeq) {
      const rows = state.tenants.get(tenant);
      const trait = rows?.traits.get(code);
      if (!rows || !trait)
        throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
      checkTraitFields(patch);
      requireInteger('fromSeq', fromSeq, 0);
      if (patch.source !== undefined) requireSource(rows, patch.source);
      const ruleChanged = patch.rule !== undefined && patch.rule !== trait.rule;
      if (ruleChanged && patch.ruleJson === undefined) {
        throw new CatalogError('invalid', 'ruleJson is required with a new rule');
      }
      const ruleJsonText = patch.ruleJson === undefined ? trait.ruleJsonText : jsonText(patch.ruleJson);
      trait.name = patch.name ?? trait.name;
      trait.kind = patch.kind ?? trait.kind;
      trait.lifetimeDays = patch.lifetimeDays ?? trait.lifetimeDays;
      trait.folder = patch.folder ?? trait.folder;
      trait.source = patch.source ?? trait.source;
      setOptional(
        trait,
        'integrationCode',
        optionalText(patch.integrationCode, trait.integrationCode ?? null),
      );
      setOptional(trait, 'description', optionalText(patch.description, trait.description ?? null));
      trait.updatedAt = state.now();
      if (ruleChanged && patch.rule !== undefined) {
        const version = Math.max(...trait.versions.map((v) => v.version)) + 1;
        const kept = trait.versions.map((v, i) => ({ v, json: trait.versionJson[i] ?? 'null' }));
        const before = kept.filter(({ v }) => v.fromSeq < fromSeq);
        trait.versions = [
          ...before.map(({ v }) => v),
          { version, rule: patch.rule, ruleJson: undefined, fromSeq },
        ];
        trait.versionJson = [...before.map(({ json }) => json), ruleJsonText];
        trait.rule = patch.rule;
      } else if (patch.ruleJson !== undefined) {
        // the same rule text re-parsed: same meaning, so no new version
        trait.versionJson[trait.versionJson.length - 1] = ruleJsonText;
      }
      trait.ruleJsonText = ruleJsonText;
      return traitOut(trait);
    },
    async deleteTrait(tenant, code) {
      if (!state.tenants.get(tenant)?.traits.delete(code)) {
        throw new CatalogError('not_found', `trait '${code}' does not exist in this tenant`);
      }
    },
  };
}

/**
 * Segments in memory.
 *
 * Example: `await memorySegments(state).createSegment('acme', { code: 's', name: 'S', rule: 'true', ruleJson: true })`.
 */
export function memorySegments(state: CatalogState): SegmentStore {
  const notFound = (code: string): CatalogError =>
    new CatalogError('not_found', `segment '${code}' does not exist in this tenant`);
  return {
    async listSegments(tenant) {
      return [...(state.tenants.get(tenant)?.segments.values() ?? [])].map(segmentOut);
    },
    async getSegment(tenant, code) {
      const segment = state.tenants.get(tenant)?.segments.get(code);
      return segment && segmentOut(segment);
    },
    async createSegment(tenant, input) {
      const rows = rowsOf(state, tenant);
      requireText('code', input.code);
      requireText('name', input.name);
      if (rows.segments.has(input.code)) {
        throw new CatalogError('conflict', `segment '${input.code}' already exists in this tenant`);
      }
      const at = state.now();
      const segment: StoredSegment = {
        id: ++state.lastId.segment,
        code: input.code,
        name: input.name,
        rule: input.rule,
        ruleJson: undefined,
        ruleJsonText: jsonText(input.ruleJson),
        createdAt: at,
        updatedAt: at,
      };
      setOptional(segment, 'description', optionalText(input.description, null));
      setOptional(segment, 'integrationCode', optionalText(input.integrationCode, null));
      rows.segments.set(input.code, segment);
      return segmentOut(segment);
    },
    async updateSegment(tenant, code, patch) {
      const segment = state.tenants.get(tenant)?.segments.get(code);
      if (!segment) throw notFound(code);
      if (patch.name !== undefined) requireText('name', patch.name);
      const ruleChanged = patch.rule !== undefined && patch.rule !== segment.rule;
      if (ruleChanged && patch.ruleJson === undefined) {
        throw new CatalogError('invalid', 'ruleJson is required with a new rule');
      }
      segment.name = patch.name ?? segment.name;
      segment.rule = patch.rule ?? segment.rule;
      if (patch.ruleJson !== undefined) segment.ruleJsonText = jsonText(patch.ruleJson);
      setOptional(segment, 'description', optionalText(patch.description, segment.description ?? null));
      setOptional(
        segment,
        'integrationCode',
        optionalText(patch.integrationCode, segment.integrationCode ?? null),
      );
      segment.updatedAt = state.now();
      return segmentOut(segment);
    },
    async deleteSegment(tenant, code) {
      if (!state.tenants.get(tenant)?.segments.delete(code)) throw notFound(code);
    },
  };
}

function checkTraitFields(input: TraitPatch): void {
  if (input.name !== undefined) requireText('name', input.name);
  if (input.lifetimeDays !== undefined) requireInteger('lifetimeDays', input.lifetimeDays, 1);
  if (input.kind !== undefined && !KINDS.has(input.kind)) {
    throw new CatalogError(
      'invalid',
      `kind must be one of ${[...KINDS].join(', ')}, not '${String(input.kind)}'`,
    );
  }
  if (input.rule !== undefined && typeof input.rule !== 'string') {
    throw new CatalogError('invalid', 'rule must be a string');
  }
}

/** Sets an optional text, or leaves the key out when it is cleared (`null`), as the SQLite rows read back. */
function setOptional<K extends 'integrationCode' | 'description'>(
  row: { [key in K]?: string },
  key: K,
  value: string | null,
): void {
  if (value === null) delete row[key];
  else row[key] = value;
}

function traitOut(trait: StoredTrait): Trait {
  const { ruleJsonText, versionJson, versions, ...rest } = trait;
  return {
    ...rest,
    ruleJson: fromJson(ruleJsonText),
    versions: versions.map((v, i) => ({ ...v, ruleJson: fromJson(versionJson[i] ?? 'null') })),
  };
}

function segmentOut(segment: StoredSegment): Segment {
  const { ruleJsonText, ...rest } = segment;
  return { ...rest, ruleJson: fromJson(ruleJsonText) };
}
