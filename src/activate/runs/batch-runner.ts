import { randomUUID } from 'node:crypto';
import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Destination, RetryPolicy } from '../../core/activation/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { AddressPolicy } from '../../core/net/address-policy.ts';
import { addressPolicy } from '../../core/net/address-policy.ts';
import { ServiceError } from '../../core/service-error.ts';
import { ActiveRuns, RunCancelled } from './active-runs.ts';
import type { CancelInput } from './cancel-runs.ts';
import { cancelDestinationRuns, cancelRun, cancelTenantRuns, cancelledRun } from './cancel-runs.ts';
import { DestinationBuckets } from './destination-buckets.ts';
import type { GatherMembers, MemberSources } from './collect-members.ts';
import { collectMembers } from './collect-members.ts';
import type { MembersPart } from './merge-members.ts';
import type { RunStateStore } from './run-state-store.ts';
import { runStateFolder } from './run-state-store.ts';
import { deliverRun } from './deliver-run.ts';
import { guardedHttpClient } from './guarded-http-client.ts';
import type { HttpClient } from './http-client.ts';
import type { BatchDestination, RunOptions } from './open-run.ts';
import { batchDestination, dequeued, openRun } from './open-run.ts';
import { resumeRuns } from './resume-runs.ts';
import type { Release, RunLimits } from './run-slots.ts';
import { RunSlots } from './run-slots.ts';
import { scheduleRuns } from './schedule-runs.ts';

export type { RunOptions } from './open-run.ts';

/** Why a tenant's runs in progress stop when one of its visitors is deleted. */
export const STOPPED_BY_DELETION =
  'a visitor of this tenant was deleted; the next run sends what this one had not';

/**
 * What the runner is built from. Example: `{ catalog, qualify, destinations, gate, gvl, clock, dataDir, onError }`
 * (the app's own; `http`, `retry`, `requestTimeoutMs`, `scheduleTickMs` and `limits` have production defaults).
 */
export interface BatchRunnerDeps extends MemberSources {
  catalog: Catalog;
  clock: Clock;
  dataDir: string;
  /**
   * A scaled-out deployment's API server (ADR 0038): the members are every partition's, gathered from
   * the workers, and the last good runs' members are kept where every API server reads them. Its runs
   * are its own: another process's run of the same destination in progress is a 409 as one here is,
   * and a run stopped with its server is saved `cancelled` (none is resumed at a start).
   * Default: the members of this process's profiles, the state in `dataDir`.
   */
  shared?: { gather: GatherMembers; runState: RunStateStore };
  /** default: `guardedHttpClient(addressPolicy)` */
  http?: HttpClient;
  /** the addresses partners may have; default: public addresses only */
  addressPolicy?: AddressPolicy;
  /** runs working at once; default 2 per tenant, 4 in all (the others wait, `report.queued`) */
  limits?: Partial<RunLimits>;
  /** default: base 500 ms, cap 60 s, 8 attempts, `Math.random` jitter */
  retry?: Partial<RetryPolicy>;
  /** default 10 000 ms per request */
  requestTimeoutMs?: number;
  /** how often schedules are checked; default 30 000 ms */
  scheduleTickMs?: number;
  /**
   * Told of every failure of the runner's work that no caller waits for, with the task that failed:
   * `'run schedule'` (a tick listing tenants, destinations or runs, or starting a due run) and
   * `'saving an ended run'`. The app logs them; required so that none is lost.
   */
  onError: (error: unknown, task: 'run schedule' | 'saving an ended run') => void;
}

/** A started run: as saved (`running`), and the run as it ends (never rejects). */
export interface StartedRun {
  run: ActivationRun;
  done: Promise<ActivationRun>;
}

/**
 * Batch activation runs of http and file destinations: members and funnel, delta against the last good
 * run, files or batches, saved as runs with a report. One run at a time per destination (another is
 * refused with 409 `run_in_progress`); a few runs per tenant work at once (`limits`), the others wait
 * their turn; runs yield to the event loop between slices of profiles, files and batches. A run can be
 * cancelled (`cancel`, and every run of a destination when it is deleted): it stops and is saved
 * `cancelled`, its member state untouched, so the next delta sends again what it had not finished.
 *
 * Example:
 * ```ts
 * const runner = new BatchRunner({ catalog, qualify, destinations, gate, gvl, clock, dataDir, onError: (e) => log.error(e) });
 * const run = await runner.run('t1', 'crm-hook', { mode: 'delta' }); // run.status: 'succeeded'
 * ```
 */
export class BatchRunner {
  private readonly active = new ActiveRuns();
  private readonly slots: RunSlots;
  private readonly buckets = new DestinationBuckets();
  private readonly stopping = new AbortController();
  private readonly policy: RetryPolicy;
  private readonly http: HttpClient & { close?: () => void };
  private cancelSchedules: (() => void) | undefined;
  private readonly gather: GatherMembers;
  /** where the last good runs' members are kept (privacy's deletion erases IDs from it) */
  readonly runState: RunStateStore;

  constructor(private readonly deps: BatchRunnerDeps) {
    this.policy = { baseMs: 500, maxMs: 60_000, maxAttempts: 8, jitter: Math.random, ...deps.retry };
    this.slots = new RunSlots({ perTenant: 2, total: 4, ...deps.limits });
    this.http = deps.http ?? guardedHttpClient(deps.addressPolicy ?? addressPolicy());
    this.gather =
      deps.shared?.gather ??
      ((tenant, destination, now, only, signal) =>
        collectMembers(deps, tenant, destination, now, only, signal));
    this.runState = deps.shared?.runState ?? runStateFolder(deps.dataDir);
  }

  /**
   * This process's part of a run of destination `code` started at `now`: the members of the profiles
   * it holds (a scaled-out deployment's worker answers an API server's run with it, for one partition).
   *
   * Example: `await runner.membersHere('acme', 'crm', Date.parse(run.startedAt))` -> `{ members, funnel, visited }`
   */
  async membersHere(
    tenant: string,
    code: string,
    now: number,
    only?: readonly string[],
  ): Promise<MembersPart> {
    const destination = batchDestination(await this.deps.destinations.get(tenant, code));
    const { members, funnel, visited } = await collectMembers(this.deps, tenant, destination, now, only);
    return { members, funnel: funnel.report(), visited };
  }

  /** Runs a destination now and resolves with the finished run (succeeded, partial, failed or cancelled). */
  async run(tenant: string, code: string, options: RunOptions = {}): Promise<ActivationRun> {
    return (await this.start(tenant, code, options)).done;
  }

  /**
   * Saves the run as `running` and starts it (or queues it); throws a `ServiceError` for an unknown
   * destination (404), one of another kind (422), a run of it in progress (409 `run_in_progress`) or a
   * run ID of another destination.
   */
  async start(tenant: string, code: string, options: RunOptions = {}): Promise<StartedRun> {
    const destination = batchDestination(await this.deps.destinations.get(tenant, code));
    if (this.stopping.signal.aborted)
      throw new ServiceError(503, 'unavailable', 'the batch runner is stopping');
    const runId = options.runId ?? `run-${randomUUID()}`;
    const claim = this.active.claim(tenant, code, runId);
    if (claim === undefined) {
      throw new ServiceError(
        409,
        'run_in_progress',
        `a run of '${code}' is in progress; wait for it to finish or cancel it`,
        { field: 'destination' },
      );
    }
    const elsewhere = this.deps.shared === undefined ? undefined : await this.runningElsewhere(tenant, code);
    if (elsewhere !== undefined) {
      claim.ended(undefined);
      throw new ServiceError(
        409,
        'run_in_progress',
        `run '${elsewhere}' of '${code}' is in progress on another API server; wait for it to finish or ` +
          `cancel it (POST /v1/runs/${elsewhere}/cancel), as you would if that server stopped`,
        { field: 'destination' },
      );
    }
    const slot = this.slots.tryAcquire(tenant);
    let run: ActivationRun;
    try {
      run = await openRun(
        this.deps.catalog,
        tenant,
        destination,
        runId,
        options,
        slot === undefined,
        this.iso(),
      );
    } catch (error) {
      slot?.();
      claim.ended(undefined);
      throw error;
    }
    const done = this.execute(tenant, destination, run, claim.run.controller.signal, slot, options.segments);
    claim.ended(done);
    return { run, done };
  }

  /** Stops a run of the tenant (`cancelRun`): resolves with it as it ended; 404 unknown, 409 `run_ended`. */
  cancel(tenant: string, runId: string, reason = 'cancelled through the API'): Promise<ActivationRun> {
    return cancelRun(this.cancelling(), tenant, runId, reason);
  }

  /** Cancels the destination's runs (the one in progress, and any left `running`): it was deleted. */
  cancelDestination(tenant: string, code: string, reason: string): Promise<void> {
    return cancelDestinationRuns(this.cancelling(), tenant, code, reason);
  }

  /**
   * Another process changed the tenant's destinations (`app/follow-catalog.ts`): the runs this process has
   * in progress for a destination the catalog no longer has are stopped, as a deletion made here stops them.
   *
   * Example: `await runner.destinationsChangedElsewhere('acme'); // the run of a deleted 'ssp' ends cancelled`
   */
  async destinationsChangedElsewhere(tenant: string): Promise<void> {
    for (const run of this.active.ofTenant(tenant)) {
      if ((await this.deps.catalog.getDestination(tenant, run.destination)) !== undefined) continue;
      await this.cancelDestination(tenant, run.destination, `destination '${run.destination}' was deleted`);
    }
  }

  /**
   * Another process changed the tenant's runs (`app/follow-catalog.ts`): a run this process is doing that
   * the catalog now holds as `cancelled` (`POST /v1/runs/:id/cancel` answered by another process) stops,
   * with the reason saved. Example: `await runner.runsChangedElsewhere('acme')`
   */
  async runsChangedElsewhere(tenant: string): Promise<void> {
    for (const run of this.active.ofTenant(tenant)) {
      const stored = await this.deps.catalog.getRun(tenant, run.runId);
      if (stored?.status !== 'cancelled') continue;
      const reason = (stored.report as { cancelled?: unknown } | undefined)?.cancelled;
      run.controller.abort(
        new RunCancelled(typeof reason === 'string' ? reason : 'cancelled through another process'),
      );
    }
  }

  /** Stops the tenant's runs in progress; resolves when none writes any more (see `cancelTenantRuns`). */
  cancelTenant(tenant: string, reason: string): Promise<void> {
    return cancelTenantRuns(this.cancelling(), tenant, reason);
  }

  /**
   * Re-runs, with the same run IDs, the runs a crash left `running`; resolves when they have ended. (A
   * scaled-out deployment calls it nowhere: a run there may be another server's, `app/background.ts`.)
   */
  async resumeUnfinished(): Promise<ActivationRun[]> {
    return resumeRuns({
      catalog: this.deps.catalog,
      busy: (tenant, code) => this.active.has(tenant, code),
      start: (tenant, code, options) => this.start(tenant, code, options),
      now: () => this.iso(),
    });
  }

  /** Runs destinations with `schedule.everyMinutes` when due, checked on an unref'd timer; failures go to `onError`. */
  startSchedules(tenants: () => Promise<string[]>): void {
    this.cancelSchedules?.();
    this.cancelSchedules = scheduleRuns({
      tickMs: this.deps.scheduleTickMs ?? 30_000,
      tenants,
      destinations: this.deps.destinations,
      catalog: this.deps.catalog,
      clock: this.deps.clock,
      busy: (tenant, code) => this.active.has(tenant, code),
      start: (tenant, code) => this.start(tenant, code),
      onError: (error) => this.deps.onError(error, 'run schedule'),
    });
  }

  /** Stops checking the schedules (a scaled-out API server that no longer holds that duty); runs go on. */
  stopSchedules(): void {
    this.cancelSchedules?.();
    this.cancelSchedules = undefined;
  }

  /**
   * Cancels the schedules and stops runs in progress: they stay `running`, to be resumed at the next
   * start, or, on a scaled-out deployment's API server (which resumes none), are saved `cancelled`.
   */
  async stop(): Promise<void> {
    this.stopSchedules();
    this.stopping.abort();
    await Promise.allSettled(this.active.endings());
    if (this.deps.http === undefined) this.http.close?.();
  }

  private async execute(
    tenant: string,
    destination: BatchDestination,
    opened: ActivationRun,
    cancelled: AbortSignal,
    slot: Release | undefined,
    segments?: string[],
  ): Promise<ActivationRun> {
    const signal = AbortSignal.any([this.stopping.signal, cancelled]);
    let run = opened;
    let release = slot;
    try {
      if (release === undefined) {
        release = await this.slots.acquire(tenant, signal);
        run = dequeued(run);
        await this.deps.catalog.saveRun(tenant, run);
      }
      const context = {
        ...this.deps,
        gather: this.gather,
        runState: this.runState,
        http: this.http,
        policy: this.policy,
        timeoutMs: this.deps.requestTimeoutMs ?? 10_000,
        bucketFor: (t: string, d: Destination) => this.buckets.for(t, d),
        signal,
      };
      const { status, report } = await deliverRun(context, tenant, destination, run, segments);
      const finished: ActivationRun = { ...run, status, finishedAt: this.iso(), report };
      await this.deps.catalog.saveRun(tenant, finished);
      return finished;
    } catch (error) {
      if (cancelled.aborted) {
        const reason = cancelled.reason instanceof RunCancelled ? cancelled.reason.message : 'cancelled';
        return this.saveQuietly(tenant, cancelledRun(run, reason, this.iso()));
      }
      if (this.stopping.signal.aborted) {
        if (this.deps.shared === undefined) return run; // stopped: left running, resumed at the next start
        const reason =
          'the API server doing it stopped; run it again (the next delta sends what this one had not)';
        return this.saveQuietly(tenant, cancelledRun(run, reason, this.iso()));
      }
      const message = error instanceof Error ? error.message : String(error);
      return this.saveQuietly(tenant, {
        ...run,
        status: 'failed',
        finishedAt: this.iso(),
        report: { ...(run.report as object), error: message },
      });
    } finally {
      release?.();
    }
  }

  /** The ID of the destination's newest run when another process is doing it (saved `running`, not ours). */
  private async runningElsewhere(tenant: string, code: string): Promise<string | undefined> {
    const [newest] = await this.deps.catalog.listRuns(tenant, { destination: code, limit: 1 });
    if (newest?.status !== 'running' || this.active.byRun(tenant, newest.runId) !== undefined)
      return undefined;
    return newest.runId;
  }

  private cancelling(): CancelInput {
    return {
      active: this.active,
      catalog: this.deps.catalog,
      save: (tenant, run) => this.saveQuietly(tenant, run),
      now: () => this.iso(),
    };
  }

  /** Saves a run that ended; a failure to save is reported, not thrown (the run ended all the same). */
  private async saveQuietly(tenant: string, run: ActivationRun): Promise<ActivationRun> {
    try {
      await this.deps.catalog.saveRun(tenant, run);
    } catch (saveError) {
      this.deps.onError(saveError, 'saving an ended run');
    }
    return run;
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
