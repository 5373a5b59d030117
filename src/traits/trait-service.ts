import type { Catalog, Trait, TraitInput } from '../catalog/catalog.ts';
import type { EventLog } from '../log/event-log.ts';
import type { Clock } from '../core/clock.ts';
import { ruleToJson, segmentRuleReferences } from '../core/rules/index.ts';
import type { Rule } from '../core/rules/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { RuleWriter } from '../qualify/ports.ts';
import { checkContextOf, loadRules } from '../qualify/rules-loader.ts';
import { checkCode, checkRuleInput } from '../qualify/rule-input.ts';
import { type BackfillTarget, backfillTrait } from '../qualify/backfill.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { Audit } from '../governance/audit.ts';

export interface TraitRequest extends Partial<Omit<TraitInput, 'rule' | 'ruleJson'>> {
  rule?: unknown;
  /** also apply the rule to the stored events of the trait's lifetime */
  backfill?: boolean;
}

/**
 * Traits of a tenant: rules checked before they are saved, qualification updated at once, and
 * history rewritten only on request (`backfill`).
 *
 * Example: `await traits.create('t1', { code: 'pricing_visitor', name: 'Visited pricing', rule: 'url.path startsWith "/pricing"' })`.
 */
export class TraitService {
  constructor(
    private readonly catalog: Catalog,
    private readonly qualify: RuleWriter & BackfillTarget,
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly audit: Audit,
  ) {}

  list(tenant: string): Promise<Trait[]> {
    return this.catalog.listTraits(tenant);
  }

  async get(tenant: string, code: string): Promise<Trait> {
    const trait = await this.catalog.getTrait(tenant, code);
    if (trait === undefined) throw notFound(code);
    return trait;
  }

  async create(tenant: string, request: TraitRequest, actor = 'system'): Promise<Trait> {
    const trait = await this.save(tenant, request);
    await this.audit.record(tenant, actor, 'trait.create', `trait:${trait.code}`, undefined, trait);
    await loadRules(this.catalog, this.qualify, tenant);
    if (request.backfill === true)
      await backfillTrait(this.qualify, this.log, tenant, trait.id, this.clock.now());
    return trait;
  }

  /** Creates many traits and recompiles the tenant's rules once (an import, the demo data set). */
  async createMany(tenant: string, requests: readonly TraitRequest[], actor = 'system'): Promise<Trait[]> {
    const traits: Trait[] = [];
    for (const request of requests) {
      const trait = await this.save(tenant, request);
      await this.audit.record(tenant, actor, 'trait.create', `trait:${trait.code}`, undefined, trait);
      traits.push(trait);
    }
    await loadRules(this.catalog, this.qualify, tenant);
    for (const [i, trait] of traits.entries()) {
      if (requests[i]?.backfill === true)
        await backfillTrait(this.qualify, this.log, tenant, trait.id, this.clock.now());
    }
    return traits;
  }

  private async save(tenant: string, request: TraitRequest): Promise<Trait> {
    const code = request.code ?? '';
    checkCode(code, 'trait');
    if (typeof request.name !== 'string' || request.name.trim() === '') {
      throw new ServiceError(422, 'invalid_trait', 'name is required: a short human-readable name', {
        field: 'name',
      });
    }
    const { rule, text } = checkRuleInput(request.rule, checkContextOf(this.qualify.rules(tenant), 'event'));
    const fromSeq = request.backfill === true ? 0 : this.log.lastSeq() + 1;
    const { backfill: _backfill, rule: _rule, ...rest } = request;
    const input: TraitInput = { ...rest, code, name: request.name, rule: text, ruleJson: ruleToJson(rule) };
    return wrap(this.catalog.createTrait(tenant, input, fromSeq));
  }

  async update(tenant: string, code: string, request: TraitRequest, actor = 'system'): Promise<Trait> {
    const before = await this.get(tenant, code);
    const { code: _code, rule: _rule, backfill: _backfill, ...rest } = request;
    const patch: Partial<Omit<TraitInput, 'code'>> = rest;
    if (request.rule !== undefined) {
      const { rule, text } = checkRuleInput(
        request.rule,
        checkContextOf(this.qualify.rules(tenant), 'event'),
      );
      patch.rule = text;
      patch.ruleJson = ruleToJson(rule);
    }
    const backfill = request.backfill === true;
    const fromSeq = backfill ? 0 : this.log.lastSeq() + 1;
    const trait = await wrap(this.catalog.updateTrait(tenant, code, patch, fromSeq));
    await this.audit.record(tenant, actor, 'trait.update', `trait:${code}`, before, trait);
    await loadRules(this.catalog, this.qualify, tenant);
    if (backfill) await backfillTrait(this.qualify, this.log, tenant, before.id, this.clock.now());
    return trait;
  }

  async remove(tenant: string, code: string, actor = 'system'): Promise<void> {
    const trait = await this.get(tenant, code);
    const users = [...this.qualify.rules(tenant).segmentDefinitions()]
      .filter((s) => segmentRuleReferences(s.ruleJson as Rule).traits.includes(code))
      .map((s) => s.code);
    if (users.length > 0) {
      throw new ServiceError(
        409,
        'in_use',
        `trait '${code}' is used by segment(s) ${users.join(', ')}: change or delete them first`,
        { field: 'code' },
      );
    }
    await wrap(this.catalog.deleteTrait(tenant, code));
    await this.audit.record(tenant, actor, 'trait.delete', `trait:${code}`, trait, undefined);
    this.qualify.clearTrait(tenant, trait.id);
    await loadRules(this.catalog, this.qualify, tenant);
  }
}

function notFound(code: string): ServiceError {
  return new ServiceError(404, 'not_found', `no trait '${code}' in this tenant`, { field: 'code' });
}
