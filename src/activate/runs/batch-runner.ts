import { randomUUID } from 'node:crypto';
import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Destination, RetryPolicy } from '../../core/activation/index.ts';
import type { Clock } from '../../core/clock.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { MemberSources } from './collect-members.ts';
import type { RunReport } from './deliver-run.ts';
import { deliverRun } from './deliver-run.ts';
import type { HttpClient } from './http-client.ts';
import { fetchHttpClient } from './http-client.ts';
import { scheduleRuns } from './schedule-runs.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * What the runner is built from. Example: `{ catalog, qualify, destinations, gate, gvl, clock, dataDir }`
 * (the app's own; `http`, `retry`, `requestTimeoutMs` and `scheduleTickMs` have production defaults).
 */
export interface BatchRunnerDeps extends MemberSources {
  catalog: Catalog;
  clock: Clock;
  dataDir: string;
  /** default: `fetchHttpClient` */
  http?: HttpClient;
  /** default: base 500 ms, cap 60 s, 8 attempts, `Math.random` jitter */
  retry?: Partial<RetryPolicy>;
  /** default 10 000 ms per request */
  requestTimeoutMs?: number;
  /** how often schedules are checked; default 30 000 ms */
  scheduleTickMs?: number;
  /** unexpected failures of background work (a run's final save, a schedule tick) */
  onError?: (error: unknown) => void;
}

/**
 * How to run. Example: `{ mode: 'delta', runId: 'nightly-2026-11-20', campaign: 'xmas', segments: ['gifts'] }`
 */
export interface RunOptions {
  /** default: a file destination's `settings.mode`; `delta` for http */
  mode?: 'full' | 'delta';
  /** a run ID already used by the destination re-runs it (same batch IDs, same files) */
  runId?: string;
  campaign?: string;
  /** limit the run to these segments (a campaign's) */
  segments?: string[];
}

/** A started run: as saved (`running`), and the run as it ends (never rejects). */
export interface StartedRun {
  run: ActivationRun;
  done: Promise<ActivationRun>;
}

/**
 * Batch activation runs of http and file destinations: members and funnel, delta against the last good
 * run, files or batches, saved as runs with a report. One run at a time per destination (another is
 * refused with 409 `run_in_progress`); runs of different destinations run side by side, yielding to the
 * event loop between pages of profiles, files and batches.
 *
 * Example:
 * ```ts
 * const runner = new BatchRunner({ catalog, qualify, destinations, gate, gvl, clock, dataDir });
 * const run = await runner.run('t1', 'crm-hook', { mode: 'delta' }); // run.status: 'succeeded'
 * ```
 */
export class BatchRunner {
  private readonly active = new Map<string, Promise<ActivationRun> | undefined>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly stopping = new AbortController();
  private readonly policy: RetryPolicy;
  private cancelSchedules: (() => void) | undefined;

  constructor(private readonly deps: BatchRunnerDeps) {
    this.policy = { baseMs: 500, maxMs: 60_000, maxAttempts: 8, jitter: Math.random, ...deps.retry };
  }

  /** Runs a destination now and resolves with the finished run (succeeded, partial or failed). */
  async run(tenant: string, code: string, options: RunOptions = {}): Promise<ActivationRun> {
    return (await this.start(tenant, code, options)).done;
  }

  /**
   * Saves the run as `running` and starts it; throws a `ServiceError` for an unknown destination (404), one
   * of another kind (422), a run of it in progress (409 `run_in_progress`) or a run ID of another destination.
   */
  async start(tenant: string, code: string, options: RunOptions = {}): Promise<StartedRun> {
    const destination = await this.deps.destinations.get(tenant, code);
    if (destination.kind !== 'http' && destination.kind !== 'file') {
      throw new ServiceError(
        422,
        'wrong_destination_kind',
        `destination '${code}' is ${destination.kind}; runs are for http and file destinations`,
        { field: 'destination' },
      );
    }
    if (this.stopping.signal.aborted)
      throw new ServiceError(503, 'unavailable', 'the batch runner is stopping');
    const key = `${tenant}\n${code}`;
    if (this.active.has(key)) {
      throw new ServiceError(
        409,
        'run_in_progress',
        `a run of '${code}' is in progress; wait for it to finish`,
        { field: 'destination' },
      );
    }
    this.active.set(key, undefined);
    let run: ActivationRun;
    try {
      run = await this.open(tenant, destination, options);
    } catch (error) {
      this.active.delete(key);
      throw error;
    }
    const done = this.execute(tenant, destination, run, options.segments).finally(() =>
      this.active.delete(key),
    );
    this.active.set(key, done);
    return { run, done };
  }

  /** Re-runs, with the same run IDs, the runs a crash left `running`; resolves when they have ended. */
  async resumeUnfinished(): Promise<ActivationRun[]> {
    const started: Promise<ActivationRun>[] = [];
    for (const tenant of await this.deps.catalog.listTenants()) {
      for (const run of await this.deps.catalog.listRuns(tenant.id, { status: 'running', limit: 1000 })) {
        if (this.active.has(`${tenant.id}\n${run.destination}`)) continue;
        const segments = (run.report as Partial<RunReport> | undefined)?.segments;
        try {
          const { done } = await this.start(tenant.id, run.destination, {
            runId: run.runId,
            mode: run.mode,
            ...(run.campaign === undefined ? {} : { campaign: run.campaign }),
            ...(segments === undefined ? {} : { segments }),
          });
          started.push(done);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const failed = {
            ...run,
            status: 'failed' as const,
            finishedAt: this.iso(),
            report: { ...(run.report as object), error: `not resumed: ${reason}` },
          };
          await this.deps.catalog.saveRun(tenant.id, failed);
          started.push(Promise.resolve(failed));
        }
      }
    }
    return Promise.all(started);
  }

  /** Runs destinations with `schedule.everyMinutes` when due, checked on an unref'd timer. */
  startSchedules(tenants: () => Promise<string[]>): void {
    this.cancelSchedules?.();
    this.cancelSchedules = scheduleRuns({
      tickMs: this.deps.scheduleTickMs ?? 30_000,
      tenants,
      destinations: this.deps.destinations,
      catalog: this.deps.catalog,
      clock: this.deps.clock,
      busy: (tenant, code) => this.active.has(`${tenant}\n${code}`),
      start: (tenant, code) => this.start(tenant, code),
      onError: (error) => this.deps.onError?.(error),
    });
  }

  /** Cancels the schedules and stops runs in progress (they stay `running`, to be resumed at the next start). */
  async stop(): Promise<void> {
    this.cancelSchedules?.();
    this.cancelSchedules = undefined;
    this.stopping.abort();
    await Promise.allSettled([...this.active.values()]);
  }

  private async open(tenant: string, destination: Destination, options: RunOptions): Promise<ActivationRun> {
    const runId = options.runId ?? `run-${randomUUID()}`;
    const existing = options.runId === undefined ? undefined : await this.deps.catalog.getRun(tenant, runId);
    if (existing !== undefined && existing.destination !== destination.code) {
      throw new ServiceError(
        409,
        'conflict',
        `run '${runId}' belongs to destination '${existing.destination}'`,
        { field: 'runId' },
      );
    }
    const fileMode = destination.kind === 'file' ? destination.settings.mode : 'delta';
    const campaign = options.campaign ?? existing?.campaign;
    const run: ActivationRun = {
      runId,
      destination: destination.code,
      ...(campaign === undefined ? {} : { campaign }),
      mode: options.mode ?? existing?.mode ?? fileMode,
      status: 'running',
      // a re-run keeps its start: the rows' timestamps and the manifest come out the same
      startedAt: existing?.startedAt ?? this.iso(),
      report: {
        kind: destination.kind,
        ...(options.segments === undefined ? {} : { segments: options.segments }),
      },
    };
    await this.deps.catalog.saveRun(tenant, run);
    return run;
  }

  private async execute(
    tenant: string,
    destination: Destination,
    run: ActivationRun,
    segments?: string[],
  ): Promise<ActivationRun> {
    const signal = this.stopping.signal;
    try {
      if (destination.kind !== 'http' && destination.kind !== 'file')
        throw new Error('not a batch destination');
      const context = {
        ...this.deps,
        http: this.deps.http ?? fetchHttpClient,
        policy: this.policy,
        timeoutMs: this.deps.requestTimeoutMs ?? 10_000,
        bucketFor: (t: string, d: Destination) => this.bucketFor(t, d),
        signal,
      };
      const { status, report } = await deliverRun(context, tenant, destination, run, segments);
      const finished: ActivationRun = { ...run, status, finishedAt: this.iso(), report };
      await this.deps.catalog.saveRun(tenant, finished);
      return finished;
    } catch (error) {
      if (signal.aborted) return run; // stopped: left running, resumed at the next start
      const message = error instanceof Error ? error.message : String(error);
      const failed: ActivationRun = {
        ...run,
        status: 'failed',
        finishedAt: this.iso(),
        report: { ...(run.report as object), error: message },
      };
      try {
        await this.deps.catalog.saveRun(tenant, failed);
      } catch (saveError) {
        this.deps.onError?.(saveError);
      }
      return failed;
    }
  }

  private bucketFor(tenant: string, destination: Destination): TokenBucket | undefined {
    const rate = destination.rateLimitPerSecond;
    const key = `${tenant}\n${destination.code}`;
    if (rate === undefined || rate <= 0) return undefined;
    let bucket = this.buckets.get(key);
    if (bucket?.ratePerSecond !== rate) {
      bucket = new TokenBucket(rate);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
