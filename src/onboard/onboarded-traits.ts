import type { Catalog, Trait, TraitKind } from '../catalog/catalog.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { RuleReader, RuleWriter } from '../qualify/ports.ts';
import { checkCode } from '../qualify/rule-input.ts';
import { loadRules } from '../qualify/rules-loader.ts';

/**
 * A trait that files realise: no rule. `kind` defaults to `third-party` for a third-party source and to
 * `onboarded` otherwise; `integrationCode` is the partner's own code, which files may use instead.
 *
 * Example: `{ code: 'iab_48', name: 'Demographic | Gender | Female', integrationCode: '48', folder: 'IAB/Demographic', lifetimeDays: 90 }`
 */
export interface OnboardedTraitInput {
  code: string;
  name: string;
  kind?: 'onboarded' | 'third-party';
  integrationCode?: string;
  lifetimeDays?: number;
  folder?: string;
  description?: string;
}

/**
 * Creates a data source's onboarded traits in one go (a partner's taxonomy: 1,558 IAB nodes), each
 * audited, the tenant's rules reloaded once. Refuses the whole list, creating nothing, when a code is
 * invalid or already taken.
 *
 * Example: `await createOnboardedTraits(deps, 'acme', 'iab-provider', [{ code: 'iab_1', name: 'Demographic' }], 'key:ab12')`.
 */
export async function createOnboardedTraits(
  deps: { catalog: Catalog; qualify: RuleWriter & RuleReader; audit: Audit },
  tenant: string,
  source: string,
  inputs: readonly OnboardedTraitInput[],
  actor: string,
): Promise<Trait[]> {
  const found = await deps.catalog.getDataSource(tenant, source);
  if (found === undefined) {
    throw new ServiceError(404, 'not_found', `no data source '${source}' in this tenant`, {
      field: 'source',
    });
  }
  const existing = new Set((await deps.catalog.listTraits(tenant)).map((t) => t.code));
  const seen = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    checkCode(input.code, 'trait');
    if (existing.has(input.code) || seen.has(input.code)) {
      throw new ServiceError(409, 'conflict', `trait '${input.code}' already exists in this tenant`, {
        field: `traits/${i}/code`,
      });
    }
    seen.add(input.code);
  }
  const kind: TraitKind = found.party === 'third' ? 'third-party' : 'onboarded';
  const created: Trait[] = [];
  for (const input of inputs) {
    const trait = await wrap(
      deps.catalog.createTrait(
        tenant,
        { ...input, kind: input.kind ?? kind, rule: '', ruleJson: null, source },
        0,
      ),
    );
    await deps.audit.record(tenant, actor, 'trait.create', `trait:${trait.code}`, undefined, trait);
    created.push(trait);
  }
  await loadRules(deps.catalog, deps.qualify, tenant);
  return created;
}
