import type { DestinationStream, Logger } from 'pino';
import type { BatchRunnerDeps } from '../activate/runs/batch-runner.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../log/event-log.ts';
import type { OnboardingOptions } from '../onboard/onboarding-service.ts';
import type { JobSpecBoard, OnboardElsewhere } from '../onboard/onboard-elsewhere.ts';
import type { Stores } from './open-stores.ts';
import type { RequestForwarder } from '../api/request-forwarder.ts';
import type { GatherMembers } from '../activate/runs/collect-members.ts';
import type { RunStateStore } from '../activate/runs/run-state-store.ts';
import type { FunnelReport } from '../core/activation/index.ts';
import type { OptOutElsewhere } from '../privacy/privacy-service.ts';
import type { Recovered } from './recover.ts';

/**
 * Settings for tests and benchmarks that configuration does not carry (e.g. quick retries).
 * Example: `{ batchRunner: { retry: { baseMs: 1 }, scheduleTickMs: 50 }, logStream: stream }`.
 */
export interface AppOptions {
  batchRunner?: Pick<BatchRunnerDeps, 'retry' | 'requestTimeoutMs' | 'scheduleTickMs' | 'http'>;
  onboarding?: OnboardingOptions;
  /** the event log as the program uses it: a test may wrap the file log (e.g. slow appends, a slow disk) */
  wrapLog?: (log: EventLog) => EventLog;
  /** where the log lines go (default: standard output): a test reads what a log would keep */
  logStream?: DestinationStream;
  /**
   * scale-out (ADR 0035): the engine of one partition in a worker, or a front (collector, API server)
   * that holds no profiles; absent for the embedded server
   */
  scaleOut?: ScaleOutPart;
}

/**
 * How an engine takes part in a scaled-out deployment. Its adapters are the process's own (`stores`:
 * opened once per process and closed by it, not by the engine). Appended records are applied by whoever
 * follows the stream (`applied`: resolves once the record under that seq is applied here; a front that
 * holds no profiles resolves at once). `keepVisitor` says which visitors this engine holds (records
 * about many visitors, a demo day, are applied only for those). Run schedules are the embedded
 * server's alone (background.ts skips them whenever `scaleOut` is set).
 *
 * Example: `{ stores, applied: (seq) => worker.appliedThrough(seq), keepVisitor: (t, uid) => mine(t, uid) }`
 */
export interface ScaleOutPart {
  stores: Pick<Stores, 'catalog' | 'log' | 'enrich'>;
  applied(seq: number): Promise<void>;
  keepVisitor?: (tenant: string, uid: string) => boolean;
  /** a front (collector, API server): it holds no profiles, and forwards the routes that read them */
  front?: boolean;
  forwarder?: RequestForwarder;
  /** a front's opt-outs, carried out by the engines that may hold the visitor */
  optOutElsewhere?: OptOutElsewhere;
  /** a front's sum of every partition's size of each of the tenant's segments, recorded for the trends */
  gatherSizes?: (tenant: string) => Promise<{ segmentId: number; size: number }[]>;
  /** where the last good runs' members are kept, shared by every process (deletions erase IDs there) */
  runState?: RunStateStore;
  /** an engine's deletions reach the API servers' export files through this (ADR 0038) */
  exportsElsewhere?: (tenant: string, ids: ReadonlySet<string>) => Promise<void>;
  /** an API server's campaign reports: the real-time decisions the partitions' engines counted */
  realtimeElsewhere?: (
    tenant: string,
    campaign: string,
    destinations: readonly string[],
  ) => Promise<Record<string, FunnelReport>>;
  /** an API server's batch runs: every partition's members of a destination, merged (ADR 0038) */
  gatherMembers?: GatherMembers;
  /** an engine's: the onboarding jobs' specs the API servers share, for the jobs its snapshot is in the middle of */
  onboardJobSpecs?: JobSpecBoard;
  /** an API server's file onboarding: chunks to the partitions holding their visitors (ADR 0039) */
  onboardElsewhere?: OnboardElsewhere;
  /** a partition engine's snapshot was written (`file`, holding the log through `seq`): share it */
  snapshotTaken?: (file: string, seq: number) => Promise<void>;
}

/**
 * What each step of the composition root builds on: the configuration, the clock, the logger (made
 * first), the adapters (`openStores`) and the state recovery rebuilt (`recover`).
 *
 * Example: `const parts = { config, clock, logger, stores, state, options }; await buildServices(parts);`
 */
export interface AppParts {
  config: Config;
  clock: Clock;
  logger: Logger;
  stores: Stores;
  state: Recovered;
  options: AppOptions;
}
