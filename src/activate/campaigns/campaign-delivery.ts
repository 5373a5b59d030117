import type { Catalog } from '../../catalog/catalog.ts';
import type { Clock } from '../../core/clock.ts';
import type { Destination, FunnelReport } from '../../core/activation/index.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { Audit } from '../../governance/audit.ts';
import type { CampaignService } from './campaign-service.ts';
import type { RealtimeCounts } from './realtime-counts.ts';
import { funnelOfRun, sumFunnels } from './sum-funnels.ts';

/**
 * Starts a batch run of one destination for a campaign: the batch runner's `run`. Resolves to what the
 * runner answers (its run, for instance).
 *
 * Example: `(tenant, 'ttd', { campaign: 'xmas', segments: ['fans'] }) => runner.run(tenant, 'ttd', options)`
 */
export type BatchRun = (
  tenant: string,
  destination: string,
  options: { campaign: string; segments: string[] },
) => Promise<unknown>;

/** The kinds delivered by batch runs; the others are delivered in real time. */
export const BATCH_KINDS: readonly string[] = ['http', 'file'];

/**
 * One destination of a campaign's report: real-time counts, batch runs (their funnels summed), and
 * both together. Example: `{ destination: 'ssp', kind: 'openrtb', delivery: 'realtime', realtime, batch: { runs: 0, funnel }, total }`
 */
export interface DestinationDelivery {
  destination: string;
  /** undefined when the destination was deleted after the campaign was saved */
  kind?: string;
  delivery: 'realtime' | 'batch';
  realtime: FunnelReport;
  batch: { runs: number; funnel: FunnelReport };
  total: FunnelReport;
}

/** Example: `{ campaign: 'xmas', name: 'Xmas', start, end, inFlight: true, at: '2026-12-02T…Z', destinations: [...] }` */
export interface CampaignReport {
  campaign: string;
  name: string;
  start: string;
  end: string;
  inFlight: boolean;
  at: string;
  destinations: DestinationDelivery[];
}

/** How many runs of a campaign and destination the report reads at most. */
const RUNS_READ = 10_000;

/**
 * What a campaign's delivery is built from (the app's own). Example:
 * `{ campaigns, catalog, counts: realtimeCounts, audit, clock, runBatch: (t, d, o) => runner.start(t, d, o) }`
 */
export interface CampaignDeliveryDeps {
  campaigns: CampaignService;
  catalog: Catalog;
  /** the real-time decisions counted in memory */
  counts: RealtimeCounts;
  audit: Audit;
  clock: Clock;
  /** starts a batch destination's run; undefined: campaigns cannot start runs (`run` answers 503) */
  runBatch?: BatchRun;
  /**
   * The real-time decisions other processes counted (a scaled-out deployment's API server: the workers'
   * engines decide, ADR 38), by destination, added to this process's own; undefined: none
   */
  realtimeElsewhere?: (
    tenant: string,
    campaign: string,
    destinations: readonly string[],
  ) => Promise<Record<string, FunnelReport>>;
}

/**
 * A campaign's delivery: the report per destination (real-time funnels counted in memory, batch runs'
 * funnels from the catalog) and batch runs started for each batch destination while in flight.
 *
 * Example: `await delivery.report('t1', 'xmas')`; `await delivery.run('t1', 'xmas', 'key:ab12')`.
 */
export class CampaignDelivery {
  constructor(private readonly deps: CampaignDeliveryDeps) {}

  async report(tenant: string, code: string): Promise<CampaignReport> {
    const campaign = await this.deps.campaigns.get(tenant, code);
    const now = this.deps.clock.now();
    const destinations: DestinationDelivery[] = [];
    const elsewhere = await this.deps.realtimeElsewhere?.(tenant, code, campaign.destinations);
    for (const d of campaign.destinations) {
      const kind = (await this.destinationOf(tenant, d))?.kind;
      const here = this.deps.counts.report(tenant, code, d);
      const other = elsewhere?.[d];
      const realtime = other === undefined ? here : sumFunnels([here, other]);
      const runs = await this.deps.catalog.listRuns(tenant, {
        campaign: code,
        destination: d,
        limit: RUNS_READ,
      });
      const funnels = runs.map((r) => funnelOfRun(r.report)).filter((f) => f !== undefined);
      const batch = { runs: runs.length, funnel: sumFunnels(funnels) };
      destinations.push({
        destination: d,
        ...(kind === undefined ? {} : { kind }),
        delivery: kind !== undefined && BATCH_KINDS.includes(kind) ? 'batch' : 'realtime',
        realtime,
        batch,
        total: sumFunnels([realtime, batch.funnel]),
      });
    }
    return {
      campaign: code,
      name: campaign.name,
      start: campaign.start,
      end: campaign.end,
      inFlight: this.deps.campaigns.inFlight(campaign, now),
      at: new Date(now).toISOString(),
      destinations,
    };
  }

  /**
   * Starts a batch run for each batch destination of the campaign (409 outside the flight; 503 with no
   * batch runner). Runs start together; one that fails to start is answered with its error.
   */
  /**
   * This process's real-time counts of the campaign, by destination (a worker's engine answers an API
   * server's report with them). Example: `delivery.realtimeHere('t1', 'xmas', ['ssp'])` -> `{ ssp: { steps } }`
   */
  realtimeHere(
    tenant: string,
    campaign: string,
    destinations: readonly string[],
  ): Record<string, FunnelReport> {
    const out: Record<string, FunnelReport> = {};
    for (const d of destinations) out[d] = this.deps.counts.report(tenant, campaign, d);
    return out;
  }

  async run(
    tenant: string,
    code: string,
    actor: string,
  ): Promise<{
    campaign: string;
    runs: ({ destination: string; run: unknown } | { destination: string; error: string })[];
  }> {
    const campaign = await this.deps.campaigns.get(tenant, code);
    if (!this.deps.campaigns.inFlight(campaign, this.deps.clock.now())) {
      throw new ServiceError(
        409,
        'not_in_flight',
        `campaign '${code}' is not in flight (${campaign.start} to ${campaign.end})`,
        { field: 'code' },
      );
    }
    const runBatch = this.deps.runBatch;
    if (runBatch === undefined) {
      throw new ServiceError(503, 'unavailable', 'batch runs are not available in this deployment');
    }
    const targets: Destination[] = [];
    for (const d of campaign.destinations) {
      const destination = await this.destinationOf(tenant, d);
      if (destination !== undefined && BATCH_KINDS.includes(destination.kind)) targets.push(destination);
    }
    const settled = await Promise.allSettled(
      targets.map((d) =>
        runBatch(tenant, d.code, {
          campaign: code,
          segments: campaign.segments.filter((s) => d.segments.some((m) => m.segment === s)),
        }),
      ),
    );
    const runs = settled.map((s, i) => {
      const destination = targets[i]?.code ?? '';
      return s.status === 'fulfilled'
        ? { destination, run: s.value }
        : { destination, error: s.reason instanceof Error ? s.reason.message : String(s.reason) };
    });
    await this.deps.audit.record(tenant, actor, 'campaign.run', `campaign:${code}`, undefined, {
      destinations: targets.map((d) => d.code),
    });
    return { campaign: code, runs };
  }

  /** Forgets the real-time counts of a deleted campaign. */
  forget(tenant: string, code: string): void {
    this.deps.counts.forget(tenant, code);
  }

  private async destinationOf(tenant: string, code: string): Promise<Destination | undefined> {
    return (await this.deps.catalog.getDestination(tenant, code))?.definition as Destination | undefined;
  }
}
