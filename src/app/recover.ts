import { join } from 'node:path';
import type { Logger } from 'pino';
import { defaultLimits } from '../collect/index.ts';
import type { Config } from '../config/config.ts';
import { DAY_MS } from '../core/clock.ts';
import { DemoRecordEvents } from '../demo/demo-record-events.ts';
import { EventIdDedup } from '../ingest/event-id-dedup.ts';
import { eraseMemberStates } from '../activate/runs/member-state.ts';
import { runStateFolder } from '../activate/runs/run-state-store.ts';
import type { RunStateStore } from '../activate/runs/run-state-store.ts';
import type { JobSpecBoard } from '../onboard/onboard-elsewhere.ts';
import { JobFiles } from '../onboard/job-files.ts';
import { observeUnfinishedJobs } from '../onboard/observe-jobs.ts';
import { OnboardJobs } from '../onboard/onboard-jobs.ts';
import { optOutTest } from '../onboard/opt-out-test.ts';
import { DeletionCompletion } from '../privacy/deletion-completion.ts';
import { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import type { PendingDeletion } from '../privacy/privacy-service.ts';
import { RoaringAudienceIndex } from '../audience/roaring-audience-index.ts';
import { QualifyService } from '../qualify/qualify-service.ts';
import type { DemoEventSource } from '../qualify/record-appliers.ts';
import { loadRules } from '../qualify/rules-loader.ts';
import type { AudienceIndexFactory } from '../qualify/tenant-audiences.ts';
import { Snapshots } from '../snapshot/snapshots.ts';
import type { RestoreResult } from '../snapshot/snapshots.ts';
import type { Stores } from './open-stores.ts';

/** How the profiles were loaded at start: the snapshot used (if any), the log records replayed, the time. */
export type Startup = RestoreResult & { replayed: number; ms: number };

/**
 * Stops a tenant's batch runs when one of its visitors is deleted. Recovery completes deletions before
 * the runner exists (no run is in progress then); the services plug the runner in (`stop = ...`).
 */
export interface RunStopper {
  stop(tenant: string): Promise<void>;
}

/** The state recovery rebuilt, which the services are built over. */
export interface Recovered {
  /** the tenants' rules and profiles, the log applied through its last seq */
  qualify: QualifyService;
  /** accepted event IDs: in each snapshot, and rebuilt from the log after it */
  eventIds: EventIdDedup;
  snapshots: Snapshots;
  /** every tenant's opted-out IDs, loaded */
  optOuts: OptOutRegistry;
  /** the progress of onboarding jobs, as the log holds it */
  onboardJobs: OnboardJobs;
  /** carries deletions to every copy of a visitor (those a crash interrupted are completed) */
  deletions: DeletionCompletion;
  runs: RunStopper;
  /** the tenants at start */
  tenants: string[];
  startup: Startup;
}

/**
 * Recovery at start: loads each tenant's rules, restores the newest usable profile snapshot, replays the
 * log after it (applying records, rebuilding the event IDs, finding deletion requests), completes the
 * deletions a crash interrupted, and logs how the profiles were loaded.
 *
 * Example: `const state = await recover(config, stores, logger); state.startup.replayed; // 1234`
 */
export async function recover(
  config: Config,
  stores: Stores,
  logger: Logger,
  options?: {
    keepVisitor?: (tenant: string, uid: string) => boolean;
    /** where the runs' member state is kept (default: the data folder) */
    runState?: RunStateStore;
    /** a scaled-out engine: the API servers' export files hear of each deletion (ADR 38) */
    exportsElsewhere?: (tenant: string, ids: ReadonlySet<string>) => Promise<void>;
    /** a scaled-out engine: the onboarding jobs' specs, shared by the API servers (ADR 39) */
    onboardJobSpecs?: JobSpecBoard;
  },
): Promise<Recovered> {
  const keepVisitor = options?.keepVisitor;
  const { catalog, log, profiles } = stores;
  // each tenant's audience index is the embedded one, of roaring bitmaps (src/audience)
  const newIndex: AudienceIndexFactory = (tenantProfiles) => new RoaringAudienceIndex(tenantProfiles);
  const qualify = new QualifyService(profiles, config.profileLifetimeDays, newIndex);
  const tenants = (await catalog.listTenants()).map((tenant) => tenant.id);
  for (const tenant of tenants) await loadRules(catalog, qualify, tenant);
  // `demo` records (the standard data set) are drawn again and validated as trusted events when applied
  const demoEvents = new DemoRecordEvents(stores.enrich, defaultLimits);
  qualify.useDemoEvents(keepVisitor === undefined ? demoEvents : visitorsKept(demoEvents, keepVisitor));
  // `onboard` records (file onboarding) are applied by the onboarding feature, which keeps each job's progress
  const onboardJobs = new OnboardJobs();
  qualify.useOnboardRecords(onboardJobs);

  const started = performance.now();
  const eventIds = new EventIdDedup(config.dedupWindowDays * DAY_MS);
  const snapshots = new Snapshots(join(config.dataDir, 'snapshots'), profiles, qualify, [
    eventIds,
    qualify.idLimits,
  ]);
  const restored = snapshots.restore(log.lastSeq());
  // opted-out IDs are skipped when onboarded files are replayed, so a file never brings one back
  const optOuts = new OptOutRegistry(catalog);
  for (const tenant of tenants) await optOuts.load(tenant);
  onboardJobs.useOptOuts(optOutTest(optOuts));
  const jobSpecs = options?.onboardJobSpecs ?? new JobFiles(join(config.dataDir, 'onboarding'));
  await observeUnfinishedJobs(jobSpecs, log, qualify, onboardJobs, restored.fromSeq);
  const runs: RunStopper = { stop: () => Promise.resolve() };
  const deletions = await DeletionCompletion.open({
    log,
    catalog,
    dataDir: config.dataDir,
    snapshots,
    stopRuns: (tenant) => runs.stop(tenant),
    // activation owns its member state; privacy reaches it through this port
    eraseMemberStates: (tenant, ids) =>
      eraseMemberStates(options?.runState ?? runStateFolder(config.dataDir), tenant, ids),
    ...(options?.exportsElsewhere === undefined ? {} : { exportsElsewhere: options.exportsElsewhere }),
  });

  // with a snapshot, the audience indexes it restored (or builds now) follow the short log tail
  if (restored.used !== undefined) qualify.startIndexing();
  const pending: PendingDeletion[] = [];
  let replayed = 0;
  let deletes = 0;
  await log.replay(restored.fromSeq, (seq, record, appendedAt) => {
    replayed++;
    // a scaled-out deployment's collectors may both store a retry: a partition's engine applies it once
    if (keepVisitor === undefined || !eventIds.isRepeat(record, appendedAt)) qualify.apply(seq, record);
    eventIds.replayed(record, appendedAt);
    if (record.kind !== 'delete') return;
    deletes++;
    // a record kept only until a newer snapshot is done; one a crash interrupted is completed below
    if (!deletions.isKept(seq))
      pending.push({ seq, tenant: record.tenant, uid: record.uid, ids: record.ids ?? {}, more: record.more });
  });
  await completeDeletions(deletes, pending, deletions, snapshots);
  // kept records the snapshot restored covers (a crash came between that snapshot and their erasure)
  if (restored.used !== undefined) await deletions.afterSnapshot(restored.used.seq);
  qualify.markAppliedThrough(log.lastSeq());
  qualify.startIndexing();

  const startup = { ...restored, replayed, ms: performance.now() - started };
  logStartup(logger, startup);
  return { qualify, eventIds, snapshots, optOuts, onboardJobs, deletions, runs, tenants, startup };
}

/** A demo day's events of the visitors this engine holds only (one partition's, in scale-out). */
function visitorsKept(
  source: DemoEventSource,
  keep: (tenant: string, uid: string) => boolean,
): DemoEventSource {
  return {
    *eventsOf(record) {
      for (const event of source.eventsOf(record)) if (keep(record.tenant, event.uid)) yield event;
    },
    visitorEvents: (record, uid) => (keep(record.tenant, uid) ? source.visitorEvents(record, uid) : []),
  };
}

/**
 * Completes the deletions a crash interrupted; the snapshots count every `delete` record replayed (kept
 * ones too) as finished, and take none while they are in flight.
 */
async function completeDeletions(
  deletes: number,
  pending: readonly PendingDeletion[],
  deletions: DeletionCompletion,
  snapshots: Snapshots,
): Promise<void> {
  if (deletes > 0) snapshots.deletionStarted();
  await deletions.complete(pending);
  if (deletes > 0) snapshots.deletionFinished(deletes);
}

function logStartup(logger: Logger, startup: Startup): void {
  logger.info(
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
}
