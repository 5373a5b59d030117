import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Catalog, Trait } from '../catalog/catalog.ts';
import type { Clock } from '../core/clock.ts';
import { MINUTE_MS } from '../core/clock.ts';
import type { ChunkContext, OnboardMode } from '../core/onboard/index.ts';
import { CodeTable } from '../core/onboard/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';
import type { LogRecord } from '../log/event-log.ts';
import type { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import type { RecentDeletions } from '../privacy/recent-deletions.ts';
import type { RuleReader, RuleWriter } from '../qualify/ports.ts';
import type { JobSpec, OnboardFormat } from './job-files.ts';
import { JobFiles } from './job-files.ts';
import type { JobReport } from './job-report.ts';
import type { JobProgress, OnboardJobs } from './onboard-jobs.ts';
import type { OnboardElsewhere } from './onboard-elsewhere.ts';
import { jobReport } from './job-report.ts';
import type { RunJobDeps } from './job-runner.ts';
import { runJob } from './job-runner.ts';
import type { OnboardedTraitInput } from './onboarded-traits.ts';
import { createOnboardedTraits } from './onboarded-traits.ts';
import { optOutTest } from './opt-out-test.ts';
import { readHeader } from './read-header.ts';
import { sourceTraits } from './source-traits.ts';
import { spoolUpload } from './spool-upload.ts';

/**
 * What the onboarding service uses: `append` is the ingestion service's (durable, then applied in log
 * order, like every other record).
 *
 * Example: `{ catalog, qualify, onboardJobs, append: (r) => ingest.append(r), lastSeq: () => log.lastSeq(), optOuts, audit, clock, dataDir }`
 */
export interface OnboardingDeps {
  catalog: Catalog;
  qualify: RuleReader & RuleWriter;
  /** applies `onboard` records for qualify and keeps each job's progress */
  onboardJobs: OnboardJobs;
  append(records: readonly LogRecord[]): Promise<number>;
  /** the log's last durable seq */
  lastSeq(): number;
  optOuts: OptOutRegistry;
  audit: Audit;
  clock: Clock;
  dataDir: string;
  /** told when a job fails in a way its report cannot say (its final state not saved): nothing else may wait for it */
  onError?: (error: unknown) => void;
  /** visitors deleted lately: a running job leaves out the rows of those deleted since it started */
  recentDeletions?: RecentDeletions;
  /** a scaled-out API server's: chunks go to the partitions holding their visitors, progress is theirs (ADR 0039) */
  elsewhere?: OnboardElsewhere;
}

/**
 * Settings tests and benchmarks change. Example: `{ chunkBytes: 256, afterChunk: (job, chunk) => pause }`.
 */
export interface OnboardingOptions {
  /** bytes of the file per log record (default 2 MiB, about 17,000 rows of ID + 10 traits) */
  chunkBytes?: number;
  /** the largest upload taken (default 4 GiB) */
  maxUploadBytes?: number;
  /** called after each chunk is durable and applied */
  afterChunk?: (job: string, chunk: number) => Promise<void> | void;
  /** on a deployment: how long a finished job waits for every partition to apply its last chunk (default 5 min) */
  settleLimitMs?: number;
}

/**
 * How a file is sent. Example: `{ mode: 'full', format: 'csv', idType: 'uid' }`.
 */
export interface UploadRequest {
  mode: OnboardMode;
  format: OnboardFormat;
  idType: string;
}

const ID_TYPE = /^(uid|[a-z][a-z0-9_]{0,31})$/;

/**
 * File onboarding (ADR 13): an upload is streamed to disk, then parsed a chunk at a time into `onboard`
 * log records, each acknowledged after its fdatasync and applied to the profiles. Jobs run one at a
 * time, in upload order; a job interrupted by a stop or a crash continues after its last durable chunk
 * at the next start.
 *
 * Example:
 * ```ts
 * const { report, done } = await onboarding.upload('acme', 'iab-provider', stream, { mode: 'delta', format: 'csv', idType: 'uid' }, 'key:ab12');
 * (await done).rows; // { read: 20000, accepted: 19998, rejected: 2, optedOut: 0 }
 * ```
 */
export class OnboardingService {
  private readonly files: JobFiles;
  private readonly specs = new Map<string, JobSpec>();
  private readonly running = new Map<string, Promise<JobReport>>();
  private readonly optedOut: (tenant: string, type: string, id: string) => boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly deps: OnboardingDeps,
    private readonly options: OnboardingOptions = {},
  ) {
    this.files = new JobFiles(join(deps.dataDir, 'onboarding'));
    this.optedOut = optOutTest(deps.optOuts);
  }

  /** Loads the saved jobs and queues those not finished (after the log has been replayed). */
  async start(): Promise<void> {
    for (const spec of await this.files.loadAll()) {
      this.specs.set(spec.job, spec);
      if (spec.status === 'succeeded' || spec.status === 'failed') continue;
      spec.status = 'queued';
      this.running.set(spec.job, this.enqueue(spec));
    }
  }

  /** Stops after the chunk being written; unfinished jobs resume at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  /** See `createOnboardedTraits`. */
  createTraits(
    tenant: string,
    source: string,
    traits: readonly OnboardedTraitInput[],
    actor: string,
  ): Promise<Trait[]> {
    return createOnboardedTraits(this.deps, tenant, source, traits, actor);
  }

  /**
   * Takes an uploaded file: streams it to disk and fsyncs it, checks the header, saves the job and
   * queues it. `done` resolves with the report when the job ends (or stops).
   */
  async upload(
    tenant: string,
    source: string,
    body: Readable,
    request: UploadRequest,
    actor: string,
  ): Promise<{ report: JobReport; done: Promise<JobReport> }> {
    if (this.stopping)
      throw new ServiceError(503, 'stopping', 'the server is stopping; upload again shortly');
    if ((await this.deps.catalog.getDataSource(tenant, source)) === undefined) {
      throw new ServiceError(404, 'not_found', `no data source '${source}' in this tenant`, {
        field: 'source',
      });
    }
    if (!ID_TYPE.test(request.idType)) {
      throw new ServiceError(
        422,
        'invalid_id_type',
        `idType '${request.idType}' is not valid: use uid, maid, ...`,
        {
          field: 'idType',
        },
      );
    }
    const job = randomUUID();
    await this.files.create(job);
    let spec: JobSpec;
    try {
      const bytes = await spoolUpload(
        body,
        this.files.uploadPath(job),
        this.options.maxUploadBytes ?? 4 * 1024 ** 3,
      );
      const head = await readHeader(this.files.uploadPath(job), request.format);
      if (!head.ok) throw new ServiceError(422, 'invalid_header', head.message, { field: 'header' });
      const rules = this.deps.qualify.rules(tenant);
      spec = {
        job,
        tenant,
        source,
        mode: request.mode,
        format: request.format,
        idType: request.idType,
        createdAt: this.deps.clock.now(),
        bytes,
        dataStart: head.dataStart,
        status: 'queued',
      };
      if (head.header !== undefined) spec.header = head.header;
      if (request.mode === 'full') spec.sourceTraits = sourceTraits(rules.traitsById.values(), source).ids;
      await this.save(spec);
    } catch (error) {
      await this.files.removeJob(job);
      throw error;
    }
    this.specs.set(job, spec);
    await this.deps.audit.record(tenant, actor, 'onboarding.upload', `source:${source}`, undefined, {
      job,
      mode: spec.mode,
      format: spec.format,
      bytes: spec.bytes,
    });
    const done = this.enqueue(spec);
    this.running.set(job, done);
    return { report: await this.reportOf(spec), done };
  }

  /** A job of the tenant (404 for another tenant's); on a deployment, one any API server took. */
  async report(tenant: string, job: string): Promise<JobReport> {
    const spec = this.specs.get(job) ?? (await this.deps.elsewhere?.board.get(job));
    if (spec === undefined || spec.tenant !== tenant) {
      throw new ServiceError(404, 'not_found', `no onboarding job '${job}' in this tenant`, { field: 'job' });
    }
    return this.reportOf(spec);
  }

  /** The tenant's jobs, newest first; on a deployment, those of every API server. */
  async list(tenant: string): Promise<JobReport[]> {
    const specs = new Map<string, JobSpec>();
    for (const spec of (await this.deps.elsewhere?.board.list(tenant)) ?? []) specs.set(spec.job, spec);
    // this server's own are the freshest
    for (const spec of this.specs.values()) if (spec.tenant === tenant) specs.set(spec.job, spec);
    const newestFirst = [...specs.values()].sort(
      (a, b) => b.createdAt - a.createdAt || b.job.localeCompare(a.job),
    );
    return Promise.all(newestFirst.map((s) => this.reportOf(s)));
  }

  /** The job's progress as this process applied its records (a partition engine's part on a deployment). */
  progressHere(tenant: string, job: string): Readonly<JobProgress> | undefined {
    const progress = this.deps.onboardJobs.progress(job);
    return progress?.tenant === tenant ? progress : undefined;
  }

  private async reportOf(spec: JobSpec): Promise<JobReport> {
    if (spec.final !== undefined) return spec.final;
    return jobReport(spec, await this.progressOf(spec));
  }

  /** What the log says of the job: here, or on a deployment every partition's part added up. */
  private async progressOf(spec: JobSpec): Promise<Readonly<JobProgress> | undefined> {
    const elsewhere = this.deps.elsewhere;
    if (elsewhere === undefined) return this.deps.onboardJobs.progress(spec.job);
    return elsewhere.progress(spec.tenant, spec.job);
  }

  private async save(spec: JobSpec): Promise<void> {
    await this.files.save(spec);
    await this.deps.elsewhere?.board.save(spec);
  }

  private enqueue(spec: JobSpec): Promise<JobReport> {
    const run = this.queue.then(() => this.run(spec));
    // the queue goes on after a failure: reported (a throwing reporter must not stop the queue either)
    this.queue = run.catch((error: unknown) => this.deps.onError?.(error)).catch(() => undefined);
    return run;
  }

  private async run(spec: JobSpec): Promise<JobReport> {
    if (this.stopping) return this.reportOf(spec);
    try {
      const progress = await this.resumePoint(spec);
      if (progress?.done !== true) {
        spec.status = 'running';
        spec.startSeq ??= this.deps.lastSeq() + 1;
        await this.save(spec);
        const elsewhere = this.deps.elsewhere;
        const finished = await runJob(spec, this.files.uploadPath(spec.job), {
          append:
            elsewhere === undefined
              ? (records) => this.deps.append(records)
              : async (records) =>
                  this.deps.append((await Promise.all(records.map((r) => elsewhere.place(r)))).flat()),
          context: this.context(spec),
          progress,
          blockBytes: this.options.chunkBytes ?? 2 * 1024 * 1024,
          stopped: () => this.stopping,
          afterChunk: this.options.afterChunk,
          deletions: this.deletionsSince(spec),
        });
        if (!finished) return this.reportOf(spec);
      }
      const final = await this.appliedEverywhere(spec);
      // a deployment's server stopping before the partitions applied it: the job ends at its next start
      if (this.deps.elsewhere !== undefined && final?.done !== true) return this.reportOf(spec);
      await this.finish(spec, 'succeeded', final);
    } catch (error) {
      if (this.stopping) return this.reportOf(spec);
      const failure = error instanceof Error ? error.message : String(error);
      await this.finish(spec, 'failed', await this.progressOf(spec).catch(() => undefined), failure);
    }
    return this.reportOf(spec);
  }

  /**
   * Where the job goes on: its progress in the log. On a deployment the partitions are asked, again
   * every second while one cannot answer (at a start, the workers may be taking their partitions up),
   * up to the settle limit.
   */
  private async resumePoint(spec: JobSpec): Promise<Readonly<JobProgress> | undefined> {
    if (this.deps.elsewhere === undefined) return this.deps.onboardJobs.progress(spec.job);
    const until = Date.now() + (this.options.settleLimitMs ?? 5 * MINUTE_MS);
    for (;;) {
      try {
        return await this.progressOf(spec);
      } catch (error) {
        if (this.stopping || Date.now() >= until) throw error;
        await delay(1000);
      }
    }
  }

  /**
   * The job's progress once its last chunk is applied: at once here; on a deployment, once every
   * partition has applied it (JetStream has them all, the workers follow), asked every 100 ms. Undefined
   * or not done when the server stops first; an error when a partition has not applied it within the
   * limit.
   */
  private async appliedEverywhere(spec: JobSpec): Promise<Readonly<JobProgress> | undefined> {
    const elsewhere = this.deps.elsewhere;
    if (elsewhere === undefined) return this.deps.onboardJobs.progress(spec.job);
    const limitMs = this.options.settleLimitMs ?? 5 * MINUTE_MS;
    const until = Date.now() + limitMs;
    for (;;) {
      // a partition being taken over answers 503 for a moment: asked again
      const progress = await elsewhere.progress(spec.tenant, spec.job).catch(() => undefined);
      if (progress?.done === true || this.stopping) return progress;
      if (Date.now() >= until)
        throw new Error(
          `the partitions had not all applied the job's last chunk after ${limitMs / 1000} s (a worker is down or behind: GET /internal/status on the workers shows their lag)`,
        );
      await delay(100);
    }
  }

  private async finish(
    spec: JobSpec,
    status: 'succeeded' | 'failed',
    progress: Readonly<JobProgress> | undefined,
    failure?: string,
  ): Promise<void> {
    spec.status = status;
    spec.finishedAt = this.deps.clock.now();
    if (failure !== undefined) spec.failure = failure;
    spec.final = jobReport(spec, progress);
    await this.save(spec);
    await this.files.removeUpload(spec.job);
    this.running.delete(spec.job);
  }

  private context(spec: JobSpec): ChunkContext {
    const rules = this.deps.qualify.rules(spec.tenant);
    const { byName } = sourceTraits(rules.traitsById.values(), spec.source);
    return {
      mode: spec.mode,
      idType: spec.idType,
      now: spec.createdAt,
      maxAgeMs: rules.longestLifetimeMs,
      maxFutureMs: 5 * MINUTE_MS,
      traits: new CodeTable(byName),
      optedOut: (type, id) =>
        this.optedOut(spec.tenant, type, id) ||
        this.deps.recentDeletions?.deletedSince(spec.tenant, type, id, spec.createdAt) === true,
    };
  }

  /** The deletions a job must obey: those of its tenant since it was created. */
  private deletionsSince(spec: JobSpec): RunJobDeps['deletions'] {
    const recent = this.deps.recentDeletions;
    if (recent === undefined) return undefined;
    return {
      get version() {
        return recent.version;
      },
      deleted: (type, id) => recent.deletedSince(spec.tenant, type, id, spec.createdAt),
    };
  }
}
