import { BatchRunner, STOPPED_BY_DELETION } from '../activate/runs/batch-runner.ts';
import type { BatchRunnerDeps } from '../activate/runs/batch-runner.ts';
import { RunHistory } from '../activate/runs/run-history.ts';
import { CampaignDelivery } from '../activate/campaigns/campaign-delivery.ts';
import { CampaignService } from '../activate/campaigns/campaign-service.ts';
import { RealtimeCounts } from '../activate/campaigns/realtime-counts.ts';
import { DestinationService } from '../activate/destination-service.ts';
import { RealtimeActivation } from '../activate/realtime-activation.ts';
import type { Gvl } from '../core/consent/index.ts';
import type { EidsMapping, IdLifetimes } from '../core/identity/index.ts';
import { loadGvl } from '../core/consent/index.ts';
import { addressPolicy } from '../core/net/address-policy.ts';
import type { Audit } from '../governance/audit.ts';
import type { Revision } from '../governance/revision.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';
import type { AppParts, ScaleOutPart } from './app-parts.ts';
import { reportFailure } from './report-failure.ts';

/** Activation's services: destinations, campaigns, real-time and batch delivery. */
export interface Activation {
  /** the Global Vendor List consent is decided against (`config.gvlFile`) */
  gvl: Gvl;
  destinations: DestinationService;
  campaigns: CampaignService;
  realtime: RealtimeActivation;
  runner: BatchRunner;
  /** the runs and dead letters batch runs left, for reading */
  runHistory: RunHistory;
  campaignDelivery: CampaignDelivery;
}

/** What activation shares with the other services. */
export interface SharedServices {
  audit: Audit;
  revision: Revision;
  gate: ConsentGate;
  /** the tenant's eids source -> ID type mapping (the identity settings), for bid enrichment */
  eidsMapping: (tenant: string) => Promise<EidsMapping>;
  /** how long each ID type lives for the tenant (identity settings and partners), for enrichment and runs */
  idLifetimes: (tenant: string) => Promise<IdLifetimes>;
}

/**
 * Builds activation: loads the GVL (a start fails on an unusable one), each tenant's campaigns, and wires
 * the runner to the rest: its background failures to the logger, the stop of a tenant's runs to
 * deletions, the cancel of a destination's runs to its removal, batch runs to campaigns.
 *
 * Example: `const { runner, realtime } = await buildActivation(parts, { audit, revision, gate });`
 */
export async function buildActivation(parts: AppParts, shared: SharedServices): Promise<Activation> {
  const { config, clock, logger, stores, state } = parts;
  const { catalog } = stores;
  const { qualify } = state;
  const { audit, revision, gate, eidsMapping, idLifetimes } = shared;
  const loaded = await loadGvl(config.gvlFile);
  if (!loaded.ok)
    throw new Error(`the Global Vendor List ${config.gvlFile} cannot be used: ${loaded.reason}`);
  const gvl = loaded.gvl;
  // the addresses partners may have: public ones, plus the ranges the operator allows
  const partners = addressPolicy(config.allowPrivateDestinations);
  const destinations = new DestinationService({
    catalog,
    qualify,
    audit,
    revision,
    addressAllowed: partners.allows,
  });
  const campaigns = new CampaignService(catalog, destinations, audit);
  for (const tenant of state.tenants) await campaigns.load(tenant);
  const counts = new RealtimeCounts((tenant) => campaigns.cached(tenant));
  const realtime = new RealtimeActivation({
    qualify,
    destinations,
    gate,
    gvl,
    clock,
    host: config.publicHost,
    eidsMapping,
    idLifetimes,
    hooks: {
      activeSegments: (tenant, destination, now) => campaigns.activeSegments(tenant, destination, now),
      onDecision: (decision) => counts.record(decision),
    },
  });
  const runner = new BatchRunner({
    scheduleTickMs: config.scheduleTickMs,
    ...parts.options.batchRunner,
    activeSegments: (tenant, destination, now) => campaigns.activeSegments(tenant, destination, now),
    catalog,
    qualify,
    destinations,
    gate,
    gvl,
    clock,
    dataDir: config.dataDir,
    ...sharedRuns(parts.options.scaleOut),
    addressPolicy: partners,
    idLifetimes,
    onError: (error, task) => reportFailure(logger, task)(error),
  });
  state.runs.stop = (tenant) => runner.cancelTenant(tenant, STOPPED_BY_DELETION);
  destinations.onRemoved((tenant, code) =>
    runner.cancelDestination(tenant, code, `destination '${code}' was deleted`),
  );
  const campaignDelivery = new CampaignDelivery({
    campaigns,
    catalog,
    counts,
    audit,
    clock,
    runBatch: (tenant, destination, options) =>
      runner.start(tenant, destination, options).then((started) => started.run),
    ...(parts.options.scaleOut?.realtimeElsewhere === undefined
      ? {}
      : { realtimeElsewhere: parts.options.scaleOut.realtimeElsewhere }),
  });
  const runHistory = new RunHistory(catalog);
  return { gvl, destinations, campaigns, realtime, runner, runHistory, campaignDelivery };
}

/**
 * A scaled-out deployment's API server does its runs over every partition's members, with the member
 * state shared (ADR 0038); an engine and the embedded server over their own profiles and data folder.
 */
function sharedRuns(scaleOut: ScaleOutPart | undefined): Pick<BatchRunnerDeps, 'shared'> {
  if (scaleOut?.gatherMembers === undefined || scaleOut.runState === undefined) return {};
  return { shared: { gather: scaleOut.gatherMembers, runState: scaleOut.runState } };
}
