import type { Catalog } from '../../catalog/catalog.ts';
import type { Destination } from '../../core/activation/index.ts';
import type { FieldError } from '../../core/activation/field-errors.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { Audit } from '../../governance/audit.ts';
import { wrap } from '../../catalog/catalog-call.ts';
import type { DestinationService } from '../destination-service.ts';
import type { Campaign } from './campaign.ts';
import { inFlight, parseCampaign } from './campaign.ts';
import { activeSegmentsOf } from './flight-gate.ts';

/**
 * Campaigns of a tenant: checked in full when saved (shape; segments and destinations that exist;
 * every segment mapped in every destination; export controls allowing every pair; start before end),
 * audited, and kept in memory for the flight gate, which real-time activation asks on every call.
 * `load` each tenant at start; the service's own writes keep the memory current, and `reload` other
 * processes' (a shared catalog).
 *
 * Example:
 * ```ts
 * await campaigns.create('t1', { code: 'xmas', name: 'Xmas', segments: ['fans'], destinations: ['ssp'],
 *   start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' }, 'key:ab12');
 * campaigns.activeSegments('t1', ssp, Date.parse('2026-11-30T00:00:00Z')); // 'fans' not in it
 * ```
 */
export class CampaignService {
  private readonly cache = new Map<string, Campaign[]>();
  /** this process's campaign writes so far, per tenant: a `reload` overtaken by one is dropped */
  private readonly writes = new Map<string, number>();

  constructor(
    private readonly catalog: Catalog,
    private readonly destinations: DestinationService,
    private readonly audit: Audit,
  ) {}

  /** Reads the tenant's campaigns into memory (at start; later writes keep it current). */
  async load(tenant: string): Promise<void> {
    this.cache.set(tenant, await this.read(tenant));
  }

  /**
   * Reads the tenant's campaigns again after another process changed them (`app/follow-catalog.ts`). A
   * read overtaken by a write of this process is dropped: that write's own change notification reloads.
   *
   * Example: `await campaigns.reload('acme'); campaigns.cached('acme'); // with the campaign made elsewhere`
   */
  async reload(tenant: string): Promise<void> {
    const writes = this.writes.get(tenant);
    const campaigns = await this.read(tenant);
    if (this.writes.get(tenant) === writes) this.cache.set(tenant, campaigns);
  }

  private wrote(tenant: string): void {
    this.writes.set(tenant, (this.writes.get(tenant) ?? 0) + 1);
  }

  private async read(tenant: string): Promise<Campaign[]> {
    const campaigns: Campaign[] = [];
    for (const s of await this.catalog.listCampaigns(tenant)) {
      const parsed = parseCampaign(s.definition);
      if (parsed.ok) campaigns.push(parsed.campaign);
    }
    return campaigns;
  }

  async list(tenant: string): Promise<Campaign[]> {
    await this.loaded(tenant);
    return [...this.cached(tenant)];
  }

  async get(tenant: string, code: string): Promise<Campaign> {
    await this.loaded(tenant);
    const found = this.cached(tenant).find((c) => c.code === code);
    if (found === undefined) {
      throw new ServiceError(404, 'not_found', `no campaign '${code}' in this tenant`, { field: 'code' });
    }
    return found;
  }

  /** Creates a campaign after every check; 409 when the code is taken. */
  async create(tenant: string, input: unknown, actor: string): Promise<Campaign> {
    const campaign = await this.check(tenant, input);
    await this.loaded(tenant);
    if (this.cached(tenant).some((c) => c.code === campaign.code)) {
      throw new ServiceError(409, 'conflict', `campaign '${campaign.code}' already exists in this tenant`, {
        field: 'code',
      });
    }
    await wrap(this.catalog.saveCampaign(tenant, campaign.code, campaign));
    this.wrote(tenant);
    this.cache.set(tenant, [...this.cached(tenant).filter((c) => c.code !== campaign.code), campaign]);
    await this.audit.record(
      tenant,
      actor,
      'campaign.create',
      `campaign:${campaign.code}`,
      undefined,
      campaign,
    );
    return campaign;
  }

  /** Replaces a campaign (its code stays; a body without `code` takes the one in the path). */
  async update(tenant: string, code: string, input: unknown, actor: string): Promise<Campaign> {
    const before = await this.get(tenant, code);
    const body =
      typeof input === 'object' && input !== null && !Array.isArray(input) && !('code' in input)
        ? { ...input, code }
        : input;
    const campaign = await this.check(tenant, body);
    if (campaign.code !== code) {
      throw new ServiceError(422, 'invalid_campaign', `code: a campaign keeps its code ('${code}')`, {
        field: 'code',
      });
    }
    await wrap(this.catalog.saveCampaign(tenant, code, campaign));
    this.wrote(tenant);
    this.cache.set(
      tenant,
      this.cached(tenant).map((c) => (c.code === code ? campaign : c)),
    );
    await this.audit.record(tenant, actor, 'campaign.update', `campaign:${code}`, before, campaign);
    return campaign;
  }

  async remove(tenant: string, code: string, actor: string): Promise<void> {
    const before = await this.get(tenant, code);
    await wrap(this.catalog.deleteCampaign(tenant, code));
    this.wrote(tenant);
    this.cache.set(
      tenant,
      this.cached(tenant).filter((c) => c.code !== code),
    );
    await this.audit.record(tenant, actor, 'campaign.delete', `campaign:${code}`, before, undefined);
  }

  /** Whether the campaign is in flight at `now` (epoch ms): `start <= now < end`. */
  inFlight(campaign: Pick<Campaign, 'start' | 'end'>, now: number): boolean {
    return inFlight(campaign, now);
  }

  /**
   * The flight gate (see `activeSegmentsOf`): the destination's mapped segments that may be delivered
   * at `now`, or undefined when no campaign names the destination (every mapped segment may go).
   */
  activeSegments(
    tenant: string,
    destination: Pick<Destination, 'code' | 'segments'>,
    now: number,
  ): Set<string> | undefined {
    return activeSegmentsOf(this.cached(tenant), destination, now);
  }

  /** The tenant's campaigns as held in memory (empty before `load`). */
  cached(tenant: string): readonly Campaign[] {
    return this.cache.get(tenant) ?? [];
  }

  private async loaded(tenant: string): Promise<void> {
    if (!this.cache.has(tenant)) await this.load(tenant);
  }

  /** The campaign, or a 422 naming every field at fault, stage by stage. */
  private async check(tenant: string, input: unknown): Promise<Campaign> {
    const parsed = parseCampaign(input);
    if (!parsed.ok) refuse('invalid_campaign', parsed.errors);
    const campaign = parsed.campaign;
    const errors: FieldError[] = [];
    const found: Destination[] = [];
    for (const [i, segment] of campaign.segments.entries()) {
      if ((await this.catalog.getSegment(tenant, segment)) === undefined) {
        errors.push({ field: `segments[${i}]`, message: `no segment '${segment}' in this tenant` });
      }
    }
    for (const [j, code] of campaign.destinations.entries()) {
      const stored = await this.catalog.getDestination(tenant, code);
      if (stored === undefined) {
        errors.push({ field: `destinations[${j}]`, message: `no destination '${code}' in this tenant` });
      } else found.push(stored.definition as Destination);
    }
    if (errors.length > 0) {
      refuse(
        errors[0]?.field.startsWith('segments') === true ? 'unknown_segment' : 'unknown_destination',
        errors,
      );
    }
    for (const destination of found) {
      for (const [i, segment] of campaign.segments.entries()) {
        if (!destination.segments.some((m) => m.segment === segment)) {
          errors.push({
            field: `segments[${i}]`,
            message: `segment '${segment}' is not mapped in destination '${destination.code}'`,
          });
        }
      }
    }
    if (errors.length > 0) refuse('unmapped_segment', errors);
    for (const destination of found) {
      const refused = await this.destinations.conflicts(tenant, destination);
      for (const [i, segment] of campaign.segments.entries()) {
        const reason = refused.get(segment);
        if (reason !== undefined) {
          errors.push({
            field: `segments[${i}]`,
            message: `segment '${segment}' may not go to ${destination.code}: ${reason}`,
          });
        }
      }
    }
    if (errors.length > 0) refuse('export_control', errors);
    return campaign;
  }
}

function refuse(code: string, errors: FieldError[]): never {
  const first = errors[0];
  throw new ServiceError(
    422,
    code,
    first === undefined ? 'invalid campaign' : `${first.field}: ${first.message}`,
    { field: first?.field, errors },
  );
}
