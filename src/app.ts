import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.ts';
import type { Clock } from './core/clock.ts';
import { DAY_MS, systemClock } from './core/clock.ts';
import type { Catalog } from './catalog/catalog.ts';
import { openSqliteCatalog } from './catalog/sqlite-catalog.ts';
import type { EventLog } from './log/event-log.ts';
import { openFileEventLog } from './log/file-event-log.ts';
import { createMemoryProfileStore } from './profiles/memory-profile-store.ts';
import type { ProfileStore } from './profiles/profile-store.ts';
import { QualifyService } from './qualify/qualify-service.ts';
import { loadRules } from './qualify/rules-loader.ts';
import { createEnricher, createUserAgentParser, defaultLimits, openGeo } from './collect/index.ts';
import { DemoRecordEvents } from './demo/demo-record-events.ts';
import { IngestService } from './ingest/ingest-service.ts';
import { EventIdDedup } from './ingest/event-id-dedup.ts';
import { TraitService } from './traits/trait-service.ts';
import { SegmentService } from './segments/segment-service.ts';
import { ProfileService } from './profiles/profile-service.ts';
import { createMetrics } from './api/metrics.ts';
import { loadGvl } from './core/consent/index.ts';
import { DestinationService } from './activate/destination-service.ts';
import { RealtimeActivation } from './activate/realtime-activation.ts';
import { BatchRunner } from './activate/runs/batch-runner.ts';
import { addressPolicy } from './core/net/address-policy.ts';
import type { BatchRunnerDeps } from './activate/runs/batch-runner.ts';
import { CampaignService } from './activate/campaigns/campaign-service.ts';
import { CampaignDelivery } from './activate/campaigns/campaign-delivery.ts';
import { RealtimeCounts } from './activate/campaigns/realtime-counts.ts';
import { Audit } from './governance/audit.ts';
import { SourceService } from './governance/source-service.ts';
import { Revision } from './governance/revision.ts';
import { OptOutRegistry } from './privacy/opt-out-registry.ts';
import { ConsentGate } from './privacy/consent-gate.ts';
import { PrivacyService } from './privacy/privacy-service.ts';
import { DeletionCompletion } from './privacy/deletion-completion.ts';
import type { PendingDeletion } from './privacy/privacy-service.ts';
import { buildServer } from './api/server.ts';
import { OnboardingService } from './onboard/onboarding-service.ts';
import type { OnboardingOptions } from './onboard/onboarding-service.ts';
import { optOutTest } from './onboard/opt-out-test.ts';
import { observeUnfinishedJobs } from './onboard/observe-jobs.ts';
import { OnboardJobs } from './onboard/onboard-jobs.ts';
import { Snapshots } from './snapshot/snapshots.ts';
import type { RestoreResult } from './snapshot/snapshots.ts';
import { ServerSigner, loadServerSecret } from './privacy/server-signer.ts';
import { VisitorTokens } from './privacy/visitor-tokens.ts';

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
  onboarding: OnboardingService;
  clock: Clock;
  snapshots: Snapshots;
  /** how the profiles were loaded at start: the snapshot used (if any) and the log records replayed */
  startup: RestoreResult & { replayed: number; ms: number };
  /** removes expired profiles, realisations and log files now */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root: opens the embedded stores under `config.dataDir`, replays the event log into
 * the profiles, and builds the HTTP server (not yet listening).
 *
 * Example: `const app = await createApp(loadConfig({ dataDir: tmp })); await app.server.listen({ port: 0 });`
 */
/** Settings for tests and benchmarks that configuration does not carry (e.g. quick retries). */
export interface AppOptions {
  batchRunner?: Pick<BatchRunnerDeps, 'retry' | 'requestTimeoutMs' | 'scheduleTickMs' | 'http'>;
  onboarding?: OnboardingOptions;
  /** the event log as the program uses it: a test may wrap the file log (e.g. slow appends, a slow disk) */
  wrapLog?: (log: EventLog) => EventLog;
  /** where the server's log lines go (default: standard output): a test reads what a log would keep */
  logStream?: DestinationStream;
}

/** The least time between two sweeps that forget expired realisations and profiles. */
const FORGET_EVERY_MS = 3_600_000;

export async function createApp(
  config: Config,
  clock: Clock = systemClock,
  options: AppOptions = {},
): Promise<App> {
  await mkdir(config.dataDir, { recursive: true });
  const catalog = await openSqliteCatalog(join(config.dataDir, 'catalog.sqlite'));
  const fileLog = await openFileEventLog(join(config.dataDir, 'log'));
  const log = options.wrapLog?.(fileLog) ?? fileLog;
  const profiles = createMemoryProfileStore();
  const qualify = new QualifyService(profiles, config.profileLifetimeDays);
  const tenants = await catalog.listTenants();
  for (const tenant of tenants) await loadRules(catalog, qualify, tenant.id);

  const enrich = createEnricher({ geo: await openGeo(), userAgent: createUserAgentParser(10_000) });
  // `demo` records (the standard data set) are drawn again and validated as trusted events when applied
  const demoEvents = new DemoRecordEvents(enrich, defaultLimits);
  qualify.useDemoEvents(demoEvents);
  // `onboard` records (file onboarding) are applied by the onboarding feature, which keeps each job's progress
  const onboardJobs = new OnboardJobs();
  qualify.useOnboardRecords(onboardJobs);

  let ready = false;
  const started = performance.now();
  // accepted event IDs: in each snapshot, and rebuilt from the log after it (retries are not applied twice)
  const eventIds = new EventIdDedup(config.dedupWindowDays * DAY_MS);
  const snapshots = new Snapshots(join(config.dataDir, 'snapshots'), profiles, qualify, [eventIds]);
  const restored = snapshots.restore(log.lastSeq());
  // opted-out IDs are skipped when onboarded files are replayed, so a file never brings one back
  const optOuts = new OptOutRegistry(catalog);
  for (const tenant of tenants) await optOuts.load(tenant.id);
  onboardJobs.useOptOuts(optOutTest(optOuts));
  await observeUnfinishedJobs(config.dataDir, log, qualify, onboardJobs, restored.fromSeq);
  const pendingDeletions: PendingDeletion[] = [];
  // the runner is built later; until then (recovery at start) no run is in progress
  let stopRuns = (_tenant: string): Promise<void> => Promise.resolve();
  const deletions = await DeletionCompletion.open({
    log,
    catalog,
    dataDir: config.dataDir,
    snapshots,
    stopRuns: (tenant) => stopRuns(tenant),
  });
  let deletesReplayed = 0;
  let replayed = 0;
  // with a snapshot, the audience indexes it restored (or builds now) follow the short log tail
  if (restored.used !== undefined) qualify.startIndexing();
  await log.replay(restored.fromSeq, (seq, record, appendedAt) => {
    replayed++;
    qualify.apply(seq, record);
    eventIds.replayed(record, appendedAt);
    if (record.kind !== 'delete') return;
    deletesReplayed++;
    // a record kept only until a newer snapshot is done; one a crash interrupted is completed below
    if (!deletions.isKept(seq))
      pendingDeletions.push({ seq, tenant: record.tenant, uid: record.uid, ids: record.ids ?? {} });
  });
  if (deletesReplayed > 0) snapshots.deletionStarted();
  await deletions.complete(pendingDeletions);
  if (deletesReplayed > 0) snapshots.deletionFinished(deletesReplayed);
  // kept records the snapshot restored covers (a crash came between that snapshot and their erasure)
  if (restored.used !== undefined) await deletions.afterSnapshot(restored.used.seq);
  qualify.markAppliedThrough(log.lastSeq());
  qualify.startIndexing();
  const startup = { ...restored, replayed, ms: performance.now() - started };

  const gate = new ConsentGate(optOuts);
  const ingest = new IngestService(log, qualify, clock, {
    limits: defaultLimits,
    enrich,
    gate,
    eventIds,
    maxWaitMs: config.maxWaitMs,
  });
  const audit = new Audit(catalog);
  const traits = new TraitService(catalog, qualify, log, clock, audit);
  const segments = new SegmentService(catalog, qualify, clock, audit);
  const profileService = new ProfileService(qualify, clock);
  const privacy = new PrivacyService(
    qualify,
    profileService,
    ingest,
    log,
    optOuts,
    gate,
    audit,
    clock,
    snapshots,
    deletions,
  );
  const revision = new Revision();
  const sources = new SourceService(catalog, audit, revision);
  const gvl = await loadGvl(config.gvlFile);
  if (!gvl.ok) throw new Error(`the Global Vendor List ${config.gvlFile} cannot be used: ${gvl.reason}`);
  // the addresses partners may have: public ones, plus the ranges the operator allows
  const partners = addressPolicy(config.allowPrivateDestinations);
  const destinations = new DestinationService(catalog, qualify, audit, revision, partners.allows);
  const campaigns = new CampaignService(catalog, destinations, audit);
  for (const tenant of tenants) await campaigns.load(tenant.id);
  const realtimeCounts = new RealtimeCounts((tenant) => campaigns.cached(tenant));
  const realtime = new RealtimeActivation(qualify, destinations, gate, gvl.gvl, clock, config.publicHost, {
    activeSegments: (tenant, destination, now) => campaigns.activeSegments(tenant, destination, now),
    onDecision: (decision) => realtimeCounts.record(decision),
  });
  const runner = new BatchRunner({
    ...options.batchRunner,
    activeSegments: (tenant, destination, now) => campaigns.activeSegments(tenant, destination, now),
    catalog,
    qualify,
    destinations,
    gate,
    gvl: gvl.gvl,
    clock,
    dataDir: config.dataDir,
    addressPolicy: partners,
  });
  stopRuns = (tenant) =>
    runner.cancelTenant(
      tenant,
      'a visitor of this tenant was deleted; the next run sends what this one had not',
    );
  destinations.onRemoved((tenant, code) =>
    runner.cancelDestination(tenant, code, `destination '${code}' was deleted`),
  );
  const campaignDelivery = new CampaignDelivery(campaigns, catalog, realtimeCounts, audit, clock, (t, d, o) =>
    runner.start(t, d, o).then((started) => started.run),
  );
  const metrics = createMetrics(() => tenantsProfileCount(profiles, qualify));
  const onboarding = new OnboardingService(
    {
      catalog,
      qualify,
      onboardJobs,
      append: (records) => ingest.append(records),
      lastSeq: () => log.lastSeq(),
      optOuts,
      audit,
      clock,
      dataDir: config.dataDir,
    },
    options.onboarding,
  );

  let logSnapshot = (_taken: unknown): void => {};
  // forgetting expired realisations decodes every profile's (about 7 s for the 1M standard data set), and
  // answers never depend on it (windows include lifetimes): not at start, then at most once an hour
  let lastForget = -Infinity;
  const sweep = async (): Promise<void> => {
    const now = clock.now();
    let longest = config.profileLifetimeDays * DAY_MS;
    const forget = ready && now - lastForget >= FORGET_EVERY_MS;
    if (forget) lastForget = now;
    for (const tenant of await catalog.listTenants()) {
      const rules = qualify.rules(tenant.id);
      longest = Math.max(longest, rules.longestLifetimeMs);
      if (forget) qualify.forget(tenant.id, now, config.profileLifetimeDays * DAY_MS);
      // not in the sweep at start: sizing every segment (and writing a snapshot) would delay readiness;
      // the first timed sweep does both, and answers are exact before it (windows include lifetimes)
      if (ready && (await segments.dailySizesDue(tenant.id))) await segments.recordDailySizes(tenant.id);
    }
    if (ready && snapshots.due(config.snapshotEveryRecords)) {
      try {
        const taken = snapshots.take();
        // the older snapshots and the delete records this one covers go now
        if (taken.taken) await deletions.afterSnapshot(taken.seq);
        logSnapshot(taken);
      } catch (error) {
        logSnapshot(error);
      }
    }
    await catalog.pruneSegmentSizes(new Date(now - 366 * DAY_MS).toISOString().slice(0, 10));
    const keepRawMs =
      config.rawEventRetentionDays === undefined ? longest + DAY_MS : config.rawEventRetentionDays * DAY_MS;
    await log.dropOlderThan(now - keepRawMs);
  };
  await sweep();
  ready = true;

  // signs visitor tokens and the opt-out form's token (DMP_SERVER_SECRET, else a file made once)
  const signer = new ServerSigner(
    await loadServerSecret(join(config.dataDir, 'server-secret'), config.serverSecret),
  );
  const server = await buildServer(
    {
      catalog,
      signer,
      visitorTokens: new VisitorTokens(signer, clock),
      ingest,
      traits,
      segments,
      profiles: profileService,
      privacy,
      sources,
      gate,
      gvl: gvl.gvl,
      destinations,
      realtime,
      runner,
      campaigns,
      campaignDelivery,
      onboarding,
      metrics,
      limits: defaultLimits,
      rateLimits: config.rateLimits,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
      ready: () => ready,
    },
    config.logLevel,
    options.logStream,
  );
  logSnapshot = (taken) => {
    if (taken instanceof Error)
      server.log.error({ err: taken }, 'snapshot failed; the log still holds everything');
    else server.log.info({ snapshot: taken }, 'snapshot written');
  };
  server.log.info(
    {
      snapshot: startup.used ?? null,
      skipped: startup.skipped,
      replayed: startup.replayed,
      ms: Math.round(startup.ms),
    },
    startup.used === undefined
      ? 'profiles loaded from the log'
      : 'profiles loaded from a snapshot and the log after it',
  );
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => server.log.error({ err: error }, 'retention sweep failed'));
  }, config.retentionIntervalMs);
  timer.unref();
  runner
    .resumeUnfinished()
    .catch((error: unknown) => server.log.error({ err: error }, 'resuming activation runs failed'));
  runner.startSchedules(async () => (await catalog.listTenants()).map((t) => t.id));
  await onboarding.start();

  return {
    server,
    catalog,
    log,
    profiles,
    qualify,
    ingest,
    traits,
    segments,
    profileService,
    privacy,
    destinations,
    realtime,
    runner,
    campaigns,
    onboarding,
    clock,
    snapshots,
    startup,
    sweep,
    async close() {
      await onboarding.stop();
      await runner.stop();
      clearInterval(timer);
      await server.close();
      // a failed snapshot costs only a longer next start (the log is replayed): the stop goes on
      try {
        const taken = snapshots.take();
        if (taken.taken) await deletions.afterSnapshot(taken.seq);
        if (taken.taken) server.log.info({ snapshot: taken }, 'snapshot written at stop');
      } catch (error) {
        server.log.error({ err: error }, 'snapshot at stop failed; the next start replays the log');
      }
      await log.close();
      await catalog.close();
    },
  };
}

function tenantsProfileCount(profiles: ProfileStore, qualify: QualifyService): number {
  let n = 0;
  for (const tenant of qualify.tenants()) n += profiles.tenant(tenant).count();
  return n;
}
