import type { FastifyInstance } from 'fastify';
import type { Catalog } from './catalog/catalog.ts';
import type { Config } from './config/config.ts';
import type { Clock } from './core/clock.ts';
import { systemClock } from './core/clock.ts';
import type { EventLog } from './log/event-log.ts';
import type { ProfileStore } from './profiles/profile-store.ts';
import type { QualifyService } from './qualify/qualify-service.ts';
import type { IngestService } from './ingest/ingest-service.ts';
import type { TraitService } from './traits/trait-service.ts';
import type { SegmentService } from './segments/segment-service.ts';
import type { ProfileService } from './profiles/profile-service.ts';
import type { PrivacyService } from './privacy/privacy-service.ts';
import type { DestinationService } from './activate/destination-service.ts';
import type { RealtimeActivation } from './activate/realtime-activation.ts';
import type { BatchRunner } from './activate/runs/batch-runner.ts';
import type { CampaignService } from './activate/campaigns/campaign-service.ts';
import type { CampaignDelivery } from './activate/campaigns/campaign-delivery.ts';
import type { OnboardingService } from './onboard/onboarding-service.ts';
import type { Snapshots } from './snapshot/snapshots.ts';
import { defaultLimits } from './collect/index.ts';
import { createLogger } from './api/request-log.ts';
import { buildServer } from './api/server.ts';
import type { AppOptions } from './app/app-parts.ts';
import { openStores, providedStores } from './app/open-stores.ts';
import type { Recovered, Startup } from './app/recover.ts';
import { recover } from './app/recover.ts';
import type { Services } from './app/build-services.ts';
import { buildServices } from './app/build-services.ts';
import { Background } from './app/background.ts';
import { CatalogFollower } from './app/follow-catalog.ts';

export type { AppOptions } from './app/app-parts.ts';

/** The running program: every part, built from configuration in one place. */
export interface App {
  server: FastifyInstance;
  catalog: Catalog;
  log: EventLog;
  profiles: ProfileStore;
  qualify: QualifyService;
  ingest: IngestService;
  traits: TraitService;
  segments: SegmentService;
  profileService: ProfileService;
  privacy: PrivacyService;
  destinations: DestinationService;
  realtime: RealtimeActivation;
  runner: BatchRunner;
  campaigns: CampaignService;
  campaignDelivery: CampaignDelivery;
  onboarding: OnboardingService;
  clock: Clock;
  snapshots: Snapshots;
  /** how the profiles were loaded at start: the snapshot used (if any) and the log records replayed */
  startup: Startup;
  /** removes expired profiles, realisations and log files now */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root, in order: the logger (so that everything after it reports through it), the
 * adapters under `config.dataDir` (`app/open-stores.ts`), the follower of other processes' catalog
 * changes (`app/follow-catalog.ts`: on PostgreSQL it listens before recovery reads the catalog, and keeps
 * the caches current once the services exist), recovery at start (`app/recover.ts`: snapshot, log
 * replay, interrupted deletions), the services (`app/build-services.ts`), the first sweep, the HTTP
 * server (not yet listening), and the background work (`app/background.ts`: sweeps, snapshots, runs,
 * schedules, onboarding jobs).
 *
 * Example: `const app = await createApp(loadConfig({ dataDir: tmp })); await app.server.listen({ port: 0 });`
 */
export async function createApp(
  config: Config,
  clock: Clock = systemClock,
  options: AppOptions = {},
): Promise<App> {
  const logger = createLogger(config.logLevel, options.logStream);
  const stores =
    options.scaleOut === undefined
      ? await openStores(config, options.wrapLog)
      : await providedStores(config, options.scaleOut.stores);
  // before recovery reads the catalog: no other process's change falls between the two (PostgreSQL)
  const follower = await CatalogFollower.listen(stores.catalog, logger);
  let state: Recovered;
  let services: Services;
  try {
    state = await recover(config, stores, logger, {
      ...(options.scaleOut?.keepVisitor === undefined ? {} : { keepVisitor: options.scaleOut.keepVisitor }),
      ...(options.scaleOut?.runState === undefined ? {} : { runState: options.scaleOut.runState }),
      ...(options.scaleOut?.exportsElsewhere === undefined
        ? {}
        : { exportsElsewhere: options.scaleOut.exportsElsewhere }),
      ...(options.scaleOut?.onboardJobSpecs === undefined
        ? {}
        : { onboardJobSpecs: options.scaleOut.onboardJobSpecs }),
    });
    services = await buildServices({ config, clock, logger, stores, state, options });
  } catch (error) {
    await follower.close(); // a start that fails leaves no listening connection behind
    throw error;
  }
  const parts = { config, clock, logger, stores, state, options };
  follower.follow({ catalog: stores.catalog, qualify: state.qualify, optOuts: state.optOuts, ...services });
  const background = new Background({ ...parts, services });
  let ready = false;
  await background.sweep({ atStart: true });
  ready = true;
  const server = await buildServer(
    {
      ...services,
      limits: defaultLimits,
      rateLimits: config.rateLimits,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
      ready: () => ready,
      ...(options.scaleOut?.forwarder === undefined ? {} : { forwarder: options.scaleOut.forwarder }),
    },
    logger,
  );
  await background.start();

  return {
    server,
    catalog: stores.catalog,
    log: stores.log,
    profiles: stores.profiles,
    qualify: state.qualify,
    ingest: services.ingest,
    traits: services.traits,
    segments: services.segments,
    profileService: services.profiles,
    privacy: services.privacy,
    destinations: services.destinations,
    realtime: services.realtime,
    runner: services.runner,
    campaigns: services.campaigns,
    campaignDelivery: services.campaignDelivery,
    onboarding: services.onboarding,
    clock,
    snapshots: state.snapshots,
    startup: state.startup,
    sweep: () => background.sweep(),
    async close() {
      await background.stop();
      await follower.close();
      await server.close();
      await background.snapshotAtStop();
      await stores.close();
    },
  };
}
