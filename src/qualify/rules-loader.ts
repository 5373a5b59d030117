import type { Catalog } from '../catalog/catalog.ts';
import type { CheckContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { segmentRuleReferences } from '../core/rules/index.ts';
import type { RuleWriter } from './ports.ts';
import type { TenantRules } from './tenant-rules.ts';

/** Reads a tenant's traits and segments from the catalog and installs them, compiled, in qualification. */
export async function loadRules(
  catalog: Catalog,
  qualify: Pick<RuleWriter, 'setRules'>,
  tenant: string,
): Promise<TenantRules> {
  const [traits, segments] = await Promise.all([catalog.listTraits(tenant), catalog.listSegments(tenant)]);
  return qualify.setRules(tenant, traits, segments);
}

/** Reloads only the tenant's segments (traits unchanged). */
export async function loadSegments(
  catalog: Catalog,
  qualify: Pick<RuleWriter, 'setSegments'>,
  tenant: string,
): Promise<TenantRules> {
  return qualify.setSegments(tenant, await catalog.listSegments(tenant));
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
