import type { Catalog, DataSource, Segment, SegmentInput } from '../catalog/catalog.ts';
import { overlapOf } from '../audience/overlap-of.ts';
import { CheckedRules } from './checked-rules.ts';
import type { SegmentLineage } from './segment-lineage.ts';
import { lineageOf } from './segment-lineage.ts';
import type { Clock } from '../core/clock.ts';
import { DAY_MS } from '../core/clock.ts';
import { ruleToJson, segmentRuleReferences } from '../core/rules/index.ts';
import type { Rule } from '../core/rules/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { AudienceReader, RuleReader, RuleWriter } from '../qualify/ports.ts';
import { checkContextOf, loadSegments } from '../qualify/rules-loader.ts';
import { checkCode, checkRuleInput } from '../qualify/rule-input.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { Audit } from '../governance/audit.ts';

export interface SegmentRequest extends Partial<Omit<SegmentInput, 'rule' | 'ruleJson'>> {
  rule?: unknown;
}

/** A segment as the API shows it: with the traits, data sources and labels behind it. */
export type DescribedSegment = Segment & SegmentLineage;

export interface SizeAnswer {
  size: number;
  exact: true;
  asOf: string;
}

/**
 * Segments of a tenant: rules checked (unknown names, cycles, operator kinds) before they are saved,
 * exact sizes and overlaps at the time asked.
 *
 * Example: `await segments.create('t1', { code: 'london_pricing', name: '...', rule: 'trait:pricing_visitor[within 30d]' })`.
 */
export class SegmentService {
  /** rules sized before, checked and compiled (`sizeOfRule`) */
  private readonly checked = new CheckedRules();

  constructor(
    private readonly catalog: Catalog,
    private readonly qualify: RuleReader & RuleWriter & AudienceReader,
    private readonly clock: Clock,
    private readonly audit: Audit,
  ) {}

  async list(tenant: string): Promise<DescribedSegment[]> {
    const sources = await this.catalog.listDataSources(tenant);
    return (await this.catalog.listSegments(tenant)).map((s) => this.described(tenant, s, sources));
  }

  async get(tenant: string, code: string): Promise<DescribedSegment> {
    const segment = await this.catalog.getSegment(tenant, code);
    if (segment === undefined) throw notFound(code);
    return this.described(tenant, segment, await this.catalog.listDataSources(tenant));
  }

  /** The segment with its lineage: traits used, their data sources, and the labels of those. */
  private described(tenant: string, segment: Segment, sources: readonly DataSource[]): DescribedSegment {
    return { ...segment, ...lineageOf(this.qualify.rules(tenant), segment.code, sources) };
  }

  async create(tenant: string, request: SegmentRequest, actor = 'system'): Promise<DescribedSegment> {
    const code = request.code ?? '';
    checkCode(code, 'segment');
    if (typeof request.name !== 'string' || request.name.trim() === '') {
      throw new ServiceError(422, 'invalid_segment', 'name is required: a short human-readable name', {
        field: 'name',
      });
    }
    const ctx = checkContextOf(this.qualify.rules(tenant), 'profile', code);
    const { rule, text } = checkRuleInput(request.rule, ctx);
    const segment = await wrap(
      this.catalog.createSegment(tenant, {
        ...request,
        code,
        name: request.name,
        rule: text,
        ruleJson: ruleToJson(rule),
      }),
    );
    await loadSegments(this.catalog, this.qualify, tenant);
    await this.audit.record(tenant, actor, 'segment.create', `segment:${code}`, undefined, segment);
    return this.get(tenant, code);
  }

  async update(
    tenant: string,
    code: string,
    request: SegmentRequest,
    actor = 'system',
  ): Promise<DescribedSegment> {
    const before = await this.get(tenant, code);
    const { code: _code, rule: _rule, ...rest } = request;
    const patch: Partial<Omit<SegmentInput, 'code'>> = rest;
    if (request.rule !== undefined) {
      const ctx = checkContextOf(this.qualify.rules(tenant), 'profile', code);
      const { rule, text } = checkRuleInput(request.rule, ctx);
      patch.rule = text;
      patch.ruleJson = ruleToJson(rule);
    }
    const segment = await wrap(this.catalog.updateSegment(tenant, code, patch));
    await loadSegments(this.catalog, this.qualify, tenant);
    await this.audit.record(tenant, actor, 'segment.update', `segment:${code}`, before, segment);
    return this.get(tenant, code);
  }

  async remove(tenant: string, code: string, actor = 'system'): Promise<void> {
    const before = await this.get(tenant, code);
    const users = [...this.qualify.rules(tenant).segmentDefinitions()]
      .filter((s) => segmentRuleReferences(s.ruleJson as Rule).segments.includes(code))
      .map((s) => s.code);
    if (users.length > 0) {
      throw new ServiceError(
        409,
        'in_use',
        `segment '${code}' is used by segment(s) ${users.join(', ')}: change or delete them first`,
        { field: 'code' },
      );
    }
    await wrap(this.catalog.deleteSegment(tenant, code));
    await loadSegments(this.catalog, this.qualify, tenant);
    await this.audit.record(tenant, actor, 'segment.delete', `segment:${code}`, before, undefined);
  }

  /** The exact size of a saved segment now. */
  size(tenant: string, code: string): SizeAnswer {
    const now = this.clock.now();
    const size = this.qualify.audience(tenant).index.size(this.planOf(tenant, code), now);
    return { size, exact: true, asOf: new Date(now).toISOString() };
  }

  /** The exact size of any rule, saved or not (the rule being edited). */
  sizeOfRule(tenant: string, input: unknown): SizeAnswer & { rule: string } {
    const rules = this.qualify.rules(tenant);
    const audience = this.qualify.audience(tenant);
    const { text, plan } = this.checked.of(rules, audience, input);
    const now = this.clock.now();
    const size = audience.index.size(plan, now);
    return { size, exact: true, asOf: new Date(now).toISOString(), rule: text };
  }

  /** Sizes of the segments and the number of profiles in each pair. */
  overlap(
    tenant: string,
    codes: readonly string[],
  ): { segments: string[]; sizes: number[]; overlap: number[][]; asOf: string } {
    const rules = this.qualify.rules(tenant);
    const ids = codes.map((code, i) => this.savedId(tenant, code, `segments[${i}]`));
    const now = this.clock.now();
    const { sizes, overlap } = this.qualify.audience(tenant).withMembers(rules, ids, now, overlapOf);
    return { segments: [...codes], sizes, overlap, asOf: new Date(now).toISOString() };
  }

  /**
   * The traits most over-represented in the segment against the whole population: count, share of the
   * segment, share of the population and index (100 = as common as everywhere); cells under `minCount`
   * are left out so that small groups are not shown.
   */
  insights(tenant: string, code: string, minCount: number, limit: number) {
    const rules = this.qualify.rules(tenant);
    const audience = this.qualify.audience(tenant);
    const now = this.clock.now();
    const members = audience.index.evaluate(this.planOf(tenant, code), now);
    const traits = audience.index
      .insights(members, [...rules.traitsById.keys()], minCount)
      .slice(0, limit)
      .map(({ traitId, ...figures }) => ({
        trait: rules.traitsById.get(traitId)?.code ?? String(traitId),
        ...figures,
      }));
    const size = members.size;
    members.dispose();
    const population = audience.index.live().size;
    return { segment: code, size, minCount, asOf: new Date(now).toISOString(), population, traits };
  }

  /**
   * Batch re-segmentation: sizes every segment of the tenant now and keeps the sizes as today's (UTC)
   * point of each segment's trend. Runs once a day from the retention sweep, and after rules change.
   */
  async recordDailySizes(tenant: string): Promise<number> {
    const { now, sizes } = this.sizesOfAll(tenant);
    return this.recordSizes(tenant, now, sizes);
  }

  /**
   * Keeps `sizes` (every segment's, at `now`) as the day's points of the trends: a scaled-out API server
   * records the sums of every partition's sizes this way. Example: `await segments.recordSizes('t1', now, sizes)`.
   */
  async recordSizes(
    tenant: string,
    now: number,
    sizes: readonly { segmentId: number; size: number }[],
  ): Promise<number> {
    await this.catalog.recordSegmentSizes(tenant, dayOf(now), sizes);
    return sizes.length;
  }

  /**
   * The exact size of every saved segment at one moment, each segment evaluated once: a segment that
   * others refer to (`segment:x`) is not evaluated again inside each of them.
   * Example: `segments.sizesOfAll('t1').sizes` -> `[{ segmentId: 3, code: 'london', size: 1204 }]`.
   */
  sizesOfAll(tenant: string): { now: number; sizes: { segmentId: number; code: string; size: number }[] } {
    const rules = this.qualify.rules(tenant);
    const saved = [...rules.segmentDefinitions()];
    const now = this.clock.now();
    const sizes = this.qualify.audience(tenant).withMembers(
      rules,
      saved.map((s) => s.id),
      now,
      (members) => saved.map((s, i) => ({ segmentId: s.id, code: s.code, size: members[i]?.size ?? 0 })),
    );
    return { now, sizes };
  }

  /** Whether today's sizes are still to be recorded. */
  async dailySizesDue(tenant: string): Promise<boolean> {
    const today = dayOf(this.clock.now());
    return !(await this.catalog.sizeDays(tenant, today)).includes(today);
  }

  /** The segment's daily size over the last `days` days (today's is the exact size now). */
  async trend(tenant: string, code: string, days: number) {
    const rules = this.qualify.rules(tenant);
    const segment = rules.segmentByCode(code);
    if (segment === undefined) throw notFound(code);
    const now = this.clock.now();
    const today = dayOf(now);
    const from = dayOf(now - (days - 1) * DAY_MS);
    const kept = (await this.catalog.segmentSizes(tenant, segment.id, from)).filter((p) => p.day !== today);
    const points = [
      ...kept.map((p) => ({ date: p.day, size: p.size })),
      { date: today, size: this.size(tenant, code).size },
    ];
    return { segment: code, days, asOf: new Date(now).toISOString(), points };
  }

  /** The id of a saved segment, or the error the API shows for an unknown code in `field`. */
  private savedId(tenant: string, code: string, field: string): number {
    this.planOf(tenant, code, field);
    return this.qualify.rules(tenant).segmentByCode(code)?.id ?? 0;
  }

  private planOf(tenant: string, code: string, field = 'code') {
    const rules = this.qualify.rules(tenant);
    const segment = rules.segmentByCode(code);
    const plan =
      segment === undefined ? undefined : this.qualify.audience(tenant).plansFor(rules).get(segment.id);
    if (plan === undefined) {
      throw new ServiceError(
        field === 'code' ? 404 : 422,
        field === 'code' ? 'not_found' : 'unknown_segment',
        `${field === 'code' ? '' : `${field}: `}no segment '${code}' in this tenant`,
        { field },
      );
    }
    return plan;
  }
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function notFound(code: string): ServiceError {
  return new ServiceError(404, 'not_found', `no segment '${code}' in this tenant`, { field: 'code' });
}
