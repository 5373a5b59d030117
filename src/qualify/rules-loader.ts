import type { Catalog } from '../catalog/catalog.ts';
import type { CheckContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { segmentRuleReferences } from '../core/rules/index.ts';
import type { RealisationWriter, RuleReader, RuleWriter } from './ports.ts';
import type { TenantRules } from './tenant-rules.ts';
import { beginRuleRead } from './rule-reads.ts';

/**
 * Reads a tenant's traits and segments from the catalog and installs them, compiled, in qualification;
 * unless a read begun later has installed its rules meanwhile (`beginRuleRead`), which saw this one's
 * writes too: then the rules installed are kept and returned.
 *
 * Example: `await loadRules(catalog, qualify, 'acme'); // after a trait of 'acme' was written`
 */
export async function loadRules(
  catalog: Pick<Catalog, 'listTraits' | 'listSegments'>,
  qualify: Pick<RuleWriter, 'setRules'> & RuleReader,
  tenant: string,
): Promise<TenantRules> {
  const read = beginRuleRead(qualify, tenant);
  const [traits, segments] = await Promise.all([catalog.listTraits(tenant), catalog.listSegments(tenant)]);
  if (!read.newest()) return qualify.rules(tenant);
  read.installed();
  return qualify.setRules(tenant, traits, segments);
}

/** Reloads only the tenant's segments (traits unchanged), as `loadRules` does: a later read's rules are kept. */
export async function loadSegments(
  catalog: Pick<Catalog, 'listSegments'>,
  qualify: Pick<RuleWriter, 'setSegments'> & RuleReader,
  tenant: string,
): Promise<TenantRules> {
  const read = beginRuleRead(qualify, tenant);
  const segments = await catalog.listSegments(tenant);
  if (!read.newest()) return qualify.rules(tenant);
  read.installed();
  return qualify.setSegments(tenant, segments);
}

/**
 * Reloads a tenant's rules after another process changed them in a shared catalog (`app/follow-catalog.ts`):
 * `loadRules`, and the realisations of every trait the catalog no longer has are cleared (what
 * `TraitService.remove` does in the process that removed it). Nothing is cleared when a read begun later
 * installed its rules meanwhile: that one saw everything this one did.
 *
 * Example: `await reloadRules(catalog, qualify, 'acme'); // a trait made by another process now qualifies`
 */
export async function reloadRules(
  catalog: Pick<Catalog, 'listTraits' | 'listSegments'>,
  qualify: Pick<RuleWriter, 'setRules'> & RuleReader & Pick<RealisationWriter, 'clearTrait'>,
  tenant: string,
): Promise<TenantRules> {
  const read = beginRuleRead(qualify, tenant);
  const [traits, segments] = await Promise.all([catalog.listTraits(tenant), catalog.listSegments(tenant)]);
  if (!read.newest()) return qualify.rules(tenant);
  read.installed();
  const kept = new Set(traits.map((trait) => trait.id));
  for (const id of qualify.rules(tenant).traitsById.keys()) if (!kept.has(id)) qualify.clearTrait(tenant, id);
  return qualify.setRules(tenant, traits, segments);
}

/** What a new or changed rule of this tenant is checked against (docs/rule-language.md, Errors). */
export function checkContextOf(
  rules: TenantRules,
  scope: CheckContext['scope'],
  selfCode?: string,
): CheckContext {
  const segments = new Map<string, readonly string[]>();
  for (const segment of rules.segmentDefinitions()) {
    segments.set(segment.code, segmentRuleReferences(segment.ruleJson as Rule).segments);
  }
  return { scope, traits: new Set(rules.traitsByCode.keys()), segments, selfCode };
}
