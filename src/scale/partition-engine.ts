/**
 * One partition's engine in a worker (ADR 0035): today's embedded engine (`createApp`) over a view of
 * the stream that holds this partition's records and the shared ones (`PartitionLog`), its own profile
 * store, and the process's catalog and enricher. It recovers from the partition's newest snapshot in
 * the Object Store and the stream after it, up to where the worker's follower stands; then the follower
 * hands it each record after that, in stream order; its snapshots go to the Object Store. Records that
 * arrive while it recovers wait in a queue and are applied after it, in order.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { createApp } from '../app.ts';
import type { Stores } from '../app/open-stores.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import type { LogRecord } from '../log/event-log.ts';
import type { JetStreamEventLog } from '../log/nats/nats-event-log.ts';
import { partitionOfVisitor } from '../log/nats/partition.ts';
import { PartitionLog } from './partition-log.ts';
import type { RunStateStore } from '../activate/runs/run-state-store.ts';
import type { ExportErasures } from './export-erasures.ts';
import type { SnapshotStore } from './snapshot-store.ts';
import type { OnboardJobBoard } from './onboard-job-board.ts';

interface Queued {
  seq: number;
  record: LogRecord;
  appendedAt: number;
}

/** What an engine is built from: the process's adapters and the worker's follower. */
export interface EngineDeps {
  config: Config;
  clock: Clock;
  stream: JetStreamEventLog;
  shared: Pick<Stores, 'catalog' | 'enrich'>;
  /** resolves once the worker's follower has handed every engine the records up to `seq` */
  applied(seq: number): Promise<void>;
  /** the partitions' snapshots in the Object Store */
  snapshots: SnapshotStore;
  /** the batch runs' member state, shared with the API servers (a deletion erases IDs from it) */
  runState: RunStateStore;
  /** where a deletion tells the API servers to erase the visitor from their export files */
  erasures: ExportErasures;
  /** the onboarding jobs' specs the API servers share: recovery resumes the jobs a snapshot is in the middle of */
  onboardJobs: OnboardJobBoard;
}

/**
 * Example:
 * ```ts
 * const engine = PartitionEngine.start(deps, 5, follower.position); // recovering
 * follower.onRecord((seq, record, at, partition) => engine.deliver(seq, record, at, partition));
 * await engine.ready; await engine.app.server.inject({ url: '/v1/segments/s/size', headers });
 * ```
 */
export class PartitionEngine {
  private engine: App | undefined;
  private queue: Queued[] | undefined = [];
  private readonly view: PartitionLog;
  /** resolves once the engine has recovered and applied what arrived meanwhile */
  readonly ready: Promise<App>;

  private constructor(
    deps: EngineDeps,
    readonly partition: number,
    through: number,
  ) {
    this.view = new PartitionLog(deps.stream, partition, through);
    this.ready = this.open(deps);
  }

  /** Starts recovering partition `partition` from the stream up to `through` (the follower's position). */
  static start(deps: EngineDeps, partition: number, through: number): PartitionEngine {
    return new PartitionEngine(deps, partition, through);
  }

  /** The running engine, once recovered. */
  get app(): App | undefined {
    return this.queue === undefined ? this.engine : undefined;
  }

  /**
   * The follower hands over the record under `seq`, published to `published` (a partition's number or
   * `shared`): any partition's, as others only move the position.
   */
  deliver(seq: number, record: LogRecord, appendedAt: number, published: string): void {
    const mine = this.view.holdsPublished(published);
    if (this.queue !== undefined) {
      if (seq > this.view.lastSeq() && mine) this.queue.push({ seq, record, appendedAt });
      return;
    }
    this.applyNow(seq, record, appendedAt, mine);
  }

  private applyNow(seq: number, record: LogRecord, appendedAt: number, mine: boolean): void {
    const app = this.engine;
    if (app === undefined || seq <= this.view.lastSeq()) return;
    this.view.advance(seq);
    if (mine) {
      // a retry two collectors both stored is applied once, as recovery does (recover.ts)
      if (!app.ingest.eventIds.isRepeat(record, appendedAt)) {
        app.qualify.apply(seq, record);
        // the dashboard's events per second: collectors accept them, the engine that applies them counts
        if (record.kind === 'event') app.ingest.rate.add(record.tenant, 1, appendedAt);
      }
      app.ingest.eventIds.replayed(record, appendedAt);
    }
    // other partitions' seqs are gaps here: applied through them too
    app.qualify.markAppliedThrough(seq);
  }

  private async open(deps: EngineDeps): Promise<App> {
    const { config, clock, shared } = deps;
    const partitions = deps.stream.partitions;
    const dataDir = join(config.dataDir, 'partitions', String(this.partition));
    // the stream is the truth: a snapshot left from an earlier time this worker held the partition may
    // hold a visitor deleted since under another owner, so the engine starts from the stream alone
    await rm(dataDir, { recursive: true, force: true });
    // the partition's newest snapshot from the Object Store: recovery restores it and replays what follows
    await deps.snapshots.fetch(this.partition, join(dataDir, 'snapshots'));
    const engineConfig: Config = { ...config, dataDir };
    const app = await createApp(engineConfig, clock, {
      scaleOut: {
        stores: { ...shared, log: this.view },
        applied: (seq) => deps.applied(seq),
        keepVisitor: (tenant, uid) => partitionOfVisitor(tenant, uid, partitions) === this.partition,
        snapshotTaken: (file, seq) => deps.snapshots.put(this.partition, file, seq),
        runState: deps.runState,
        exportsElsewhere: (tenant, ids) => deps.erasures.publish(tenant, ids),
        onboardJobSpecs: deps.onboardJobs,
      },
    });
    this.engine = app;
    const waiting = this.queue ?? [];
    this.queue = undefined;
    for (const queued of waiting) this.applyNow(queued.seq, queued.record, queued.appendedAt, true);
    return app;
  }

  /** Stops the engine (a snapshot at stop, kept under the worker's data folder). */
  async close(): Promise<void> {
    const app = await this.ready.catch(() => undefined);
    await app?.close();
  }
}
