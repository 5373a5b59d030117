import type { App } from '../src/app.ts';
import type { CheckContext, Rule } from '../src/core/rules/index.ts';
import { checkRule, ruleToJson, segmentRuleReferences } from '../src/core/rules/index.ts';
import type { DemoSegmentSpec, DemoTraitSpec } from '../src/demo/generate-demo.ts';
import { loadRules } from '../src/qualify/rules-loader.ts';

/**
 * Saves the data set's traits and segments in the catalog, each rule checked as the services check it,
 * and installs them in qualification once. The services (`app.traits.create`) reload every rule of the
 * tenant after each save, which is quadratic: 1,000 traits and 200 segments take about 40 s that way.
 * Example: `await installRules(app, tenant, demo.traits, demo.segments)`.
 */
export async function installRules(
  app: App,
  tenant: string,
  traits: readonly DemoTraitSpec[],
  segments: readonly DemoSegmentSpec[],
): Promise<void> {
  const traitCodes = new Set<string>();
  const eventScope: CheckContext = { scope: 'event', traits: traitCodes, segments: new Map() };
  const fromSeq = app.log.lastSeq() + 1;
  for (const trait of traits) {
    const rule = checked(trait.code, trait.rule, eventScope);
    await app.catalog.createTrait(
      tenant,
      { ...trait, source: 'first-party', ruleJson: ruleToJson(rule) },
      fromSeq,
    );
    traitCodes.add(trait.code);
  }
  const segmentRefs = new Map<string, readonly string[]>();
  for (const segment of segments) {
    const ctx: CheckContext = {
      scope: 'profile',
      traits: traitCodes,
      segments: segmentRefs,
      selfCode: segment.code,
    };
    const rule = checked(segment.code, segment.rule, ctx);
    await app.catalog.createSegment(tenant, { ...segment, ruleJson: ruleToJson(rule) });
    segmentRefs.set(segment.code, segmentRuleReferences(rule).segments);
  }
  await loadRules(app.catalog, app.qualify, tenant);
}

function checked(code: string, text: string, ctx: CheckContext): Rule {
  const result = checkRule(text, ctx);
  if (!result.ok) {
    throw new Error(`bench data set: rule of ${code} does not check: ${result.errors[0]?.message ?? ''}`);
  }
  return result.rule;
}
