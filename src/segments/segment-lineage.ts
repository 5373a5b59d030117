import type { DataSource } from '../catalog/catalog.ts';
import type { Rule } from '../core/rules/index.ts';
import { segmentRuleReferences } from '../core/rules/index.ts';
import type { TenantRules } from '../qualify/tenant-rules.ts';

/** Where a segment's data comes from: the traits it uses (through other segments too), their sources, their labels. */
export interface SegmentLineage {
  traits: string[];
  sources: string[];
  /** the export-control labels of those sources: activation refuses a destination they forbid */
  labels: string[];
}

/**
 * Follows a segment's rule through the segments it names to the traits it uses, and from them to the
 * data sources and their labels. Example: `lineageOf(rules, 'london_pricing', sources)` ->
 * `{ traits: ['pricing_visitor'], sources: ['first-party'], labels: [] }`.
 */
export function lineageOf(rules: TenantRules, code: string, sources: readonly DataSource[]): SegmentLineage {
  const definitions = new Map([...rules.segmentDefinitions()].map((s) => [s.code, s]));
  const traits = new Set<string>();
  const seen = new Set<string>();
  const visit = (segmentCode: string): void => {
    if (seen.has(segmentCode)) return;
    seen.add(segmentCode);
    const segment = definitions.get(segmentCode);
    if (segment === undefined) return;
    const refs = segmentRuleReferences(segment.ruleJson as Rule);
    for (const t of refs.traits) traits.add(t);
    for (const s of refs.segments) visit(s);
  };
  visit(code);
  const sourceCodes = new Set<string>();
  for (const t of traits) {
    const trait = rules.traitsByCode.get(t);
    if (trait !== undefined) sourceCodes.add(trait.source);
  }
  const labels = new Set<string>();
  for (const source of sources)
    if (sourceCodes.has(source.code)) for (const l of source.labels) labels.add(l);
  return { traits: [...traits].sort(), sources: [...sourceCodes].sort(), labels: [...labels].sort() };
}
