import { randomUUID } from 'node:crypto';
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
import type { OnboardJobs } from './onboard-jobs.ts';
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
      await this.files.save(spec);
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
    return { report: this.reportOf(spec), done };
  }

  /** A job of the tenant (404 for another tenant's). */
  report(tenant: string, job: string): JobReport {
    const spec = this.specs.get(job);
    if (spec === undefined || spec.tenant !== tenant) {
      throw new ServiceError(404, 'not_found', `no onboarding job '${job}' in this tenant`, { field: 'job' });
    }
    return this.reportOf(spec);
  }

  /** The tenant's jobs, newest first. */
  list(tenant: string): JobReport[] {
    return [...this.specs.values()]
      .filter((s) => s.tenant === tenant)
      .reverse()
      .map((s) => this.reportOf(s));
  }

  private reportOf(spec: JobSpec): JobReport {
    return jobReport(spec, this.deps.onboardJobs.progress(spec.job));
  }

  private enqueue(spec: JobSpec): Promise<JobReport> {
    const run = this.queue.then(() => this.run(spec));
    // the queue goes on after a failure: reported (a throwing reporter must not stop the queue either)
    this.queue = run.catch((error: unknown) => this.deps.onError?.(error)).catch(() => undefined);
    return run;
  }

  private async run(spec: JobSpec): Promise<JobReport> {
    if (this.stopping) return this.reportOf(spec);
    const progress = this.deps.onboardJobs.progress(spec.job);
    try {
      if (progress?.done !== true) {
        spec.status = 'running';
        if (spec.startSeq === undefined) {
          spec.startSeq = this.deps.lastSeq() + 1;
          await this.files.save(spec);
        }
        const finished = await runJob(spec, this.files.uploadPath(spec.job), {
          append: (records) => this.deps.append(records),
          context: this.context(spec),
          progress,
          blockBytes: this.options.chunkBytes ?? 2 * 1024 * 1024,
          stopped: () => this.stopping,
          afterChunk: this.options.afterChunk,
          deletions: this.deletionsSince(spec),
        });
        if (!finished) return this.reportOf(spec);
      }
      await this.finish(spec, 'succeeded');
    } catch (error) {
      if (this.stopping) return this.reportOf(spec);
      await this.finish(spec, 'failed', error instanceof Error ? error.message : String(error));
    }
    return this.reportOf(spec);
  }

  private async finish(spec: JobSpec, status: 'succeeded' | 'failed', failure?: string): Promise<void> {
    spec.status = status;
    spec.finishedAt = this.deps.clock.now();
    if (failure !== undefined) spec.failure = failure;
    spec.final = jobReport(spec, this.deps.onboardJobs.progress(spec.job));
    await this.files.save(spec);
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
