import { join } from 'node:path';
import { DAY_MS } from '../core/clock.ts';
import type { AppParts } from './app-parts.ts';
import type { Services } from './build-services.ts';
import { reportFailure } from './report-failure.ts';

/** The least time between two sweeps that forget expired realisations and profiles. */
const FORGET_EVERY_MS = 3_600_000;

/** What the background work reaches. Example: `{ ...parts, services }` */
export interface BackgroundDeps extends AppParts {
  services: Pick<Services, 'segments' | 'runner' | 'onboarding'>;
}

/**
 * The work no request waits for, each failure reported through the logger (`reportFailure`): the
 * retention sweep every `config.retentionIntervalMs` (expired realisations and profiles forgotten,
 * segment sizes recorded, a snapshot when due, old raw events dropped), activation runs a crash left
 * unfinished, run schedules, and onboarding jobs.
 *
 * Example:
 * ```ts
 * const background = new Background({ ...parts, services });
 * await background.sweep({ atStart: true }); // before the server answers
 * await background.start();
 * // ...
 * await background.stop(); await server.close(); background.snapshotAtStop();
 * ```
 */
export class Background {
  private lastForget = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BackgroundDeps) {}

  /**
   * Removes what expired: realisations and profiles (at most once an hour: it decodes every profile,
   * about 7 s for the 1M standard data set, and answers never depend on it as windows include
   * lifetimes), old segment sizes and raw events; records the day's segment sizes and takes a snapshot
   * when due. `atStart`: only the cheap part, so that readiness is not delayed.
   */
  async sweep(options: { atStart?: boolean } = {}): Promise<void> {
    const { config, clock, stores, state, services } = this.deps;
    const full = options.atStart !== true;
    const now = clock.now();
    const lifetimeMs = config.profileLifetimeDays * DAY_MS;
    let longest = lifetimeMs;
    const forget = full && now - this.lastForget >= FORGET_EVERY_MS;
    if (forget) this.lastForget = now;
    for (const tenant of await stores.catalog.listTenants()) {
      longest = Math.max(longest, state.qualify.rules(tenant.id).longestLifetimeMs);
      if (forget) state.qualify.forget(tenant.id, now, lifetimeMs);
      // not at start: sizing every segment (and writing a snapshot) would delay readiness; the first
      // timed sweep does both, and answers are exact before it (windows include lifetimes)
      if (full && (await services.segments.dailySizesDue(tenant.id))) await this.recordSizes(tenant.id);
    }
    if (full && state.snapshots.due(config.snapshotEveryRecords)) await this.snapshot();
    await stores.catalog.pruneSegmentSizes(new Date(now - 366 * DAY_MS).toISOString().slice(0, 10));
    const keepRawMs =
      config.rawEventRetentionDays === undefined ? longest + DAY_MS : config.rawEventRetentionDays * DAY_MS;
    await stores.log.dropOlderThan(now - keepRawMs);
  }

  /** Starts the sweep's timer, resumes unfinished runs, starts the run schedules and the queued onboarding jobs. */
  async start(): Promise<void> {
    const { config, logger, stores, services } = this.deps;
    this.timer = setInterval(() => {
      this.sweep().catch(reportFailure(logger, 'retention sweep'));
    }, config.retentionIntervalMs);
    this.timer.unref();
    // in a scaled-out deployment an engine does no run (an API server does, ADR 0038) and none resumes
    // one (the run may be another server's) or runs the schedules (no process owns them yet)
    if (this.deps.options.scaleOut === undefined) {
      services.runner.resumeUnfinished().catch(reportFailure(logger, 'resuming activation runs'));
      services.runner.startSchedules(async () => (await stores.catalog.listTenants()).map((t) => t.id));
    }
    await services.onboarding.start();
  }

  /** Stops onboarding after its current chunk, the runs (resumed at the next start) and the timer. */
  async stop(): Promise<void> {
    await this.deps.services.onboarding.stop();
    await this.deps.services.runner.stop();
    clearInterval(this.timer);
  }

  /** A snapshot at a clean stop; a failed one costs only a longer next start (the log is replayed). */
  async snapshotAtStop(): Promise<void> {
    const { logger, state } = this.deps;
    try {
      const taken = state.snapshots.take();
      if (taken.taken) await this.shared(taken.file, taken.seq);
      if (taken.taken) await state.deletions.afterSnapshot(taken.seq);
      if (taken.taken) logger.info({ snapshot: taken }, 'snapshot written at stop');
    } catch (error) {
      reportFailure(logger, 'snapshot at stop', 'the next start replays the log')(error);
    }
  }

  /** A snapshot (due); the older snapshots and the delete records it covers go now. */
  private async snapshot(): Promise<void> {
    const { logger, state } = this.deps;
    try {
      const taken = state.snapshots.take();
      if (taken.taken) await this.shared(taken.file, taken.seq);
      if (taken.taken) await state.deletions.afterSnapshot(taken.seq);
      logger.info({ snapshot: taken }, 'snapshot written');
    } catch (error) {
      reportFailure(logger, 'snapshot', 'the log still holds everything')(error);
    }
  }

  /**
   * The day's sizes of every segment, for the trends. A scaled-out engine holds one partition, so its
   * sizes are not the segments': a front (`gatherSizes`) records the sum of every partition's instead,
   * and the engines record nothing (ADR 37).
   */
  private async recordSizes(tenant: string): Promise<void> {
    const { options, services, clock } = this.deps;
    const scaleOut = options.scaleOut;
    if (scaleOut === undefined) {
      await services.segments.recordDailySizes(tenant);
      return;
    }
    if (scaleOut.gatherSizes === undefined) return;
    const sizes = await scaleOut.gatherSizes(tenant);
    await services.segments.recordSizes(tenant, clock.now(), sizes);
  }

  /**
   * A scaled-out engine's snapshot goes to the Object Store before the deletion records it covers are
   * erased: a worker taking the partition over restores it, and a visitor deleted after it is deleted
   * again by its record (ADR 35). Throws if it could not: the records then stay.
   */
  private async shared(file: string, seq: number): Promise<void> {
    const { config, options } = this.deps;
    await options.scaleOut?.snapshotTaken?.(join(config.dataDir, 'snapshots', file), seq);
  }
}
