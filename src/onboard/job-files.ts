import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from '../log/segment-files.ts';
import type { OnboardMode } from '../core/onboard/index.ts';
import type { JobReport } from './job-report.ts';
import type { JobSpecBoard } from './onboard-elsewhere.ts';

/** The format of an uploaded file. */
export type OnboardFormat = 'csv' | 'ndjson';

/**
 * An onboarding job as kept in `DATA/onboarding/<job>/job.json` (the upload beside it, in `upload`,
 * until the job ends). Written when the upload is durable, and again when the job ends (`final`).
 *
 * Example: `{ job: '5f0c...', tenant: 'acme', source: 'iab-provider', mode: 'full', format: 'csv',
 *   idType: 'uid', createdAt: 1763640000000, bytes: 1048576, dataStart: 10, header: ['id', 'traits'],
 *   sourceTraits: [12, 13], status: 'queued' }`
 */
export interface JobSpec {
  job: string;
  tenant: string;
  source: string;
  mode: OnboardMode;
  format: OnboardFormat;
  /** the ID type of rows that name none */
  idType: string;
  /** epoch ms: the job's time, the default realisation time */
  createdAt: number;
  bytes: number;
  /** byte offset of the first data row (after a CSV header, and after a byte order mark) */
  dataStart: number;
  /** CSV: the header's fields */
  header?: string[];
  /** full mode: the source's onboarded traits at upload, which the file replaces */
  sourceTraits?: number[];
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** the log's next seq when the job started: its records are at or after it */
  startSeq?: number;
  finishedAt?: number;
  failure?: string;
  /** the report when the job ended (the log's records of it may be gone by then) */
  final?: JobReport;
}

/** A job id as the service makes them (a UUID): anything else names no job (and no folder). */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The folders and files of onboarding jobs under `DATA/onboarding`: the embedded server's board of job
 * specs too.
 * Example: `const files = new JobFiles(join(dataDir, 'onboarding')); await files.save(spec);`
 */
export class JobFiles implements JobSpecBoard {
  constructor(readonly root: string) {}

  dir(job: string): string {
    return join(this.root, job);
  }

  uploadPath(job: string): string {
    return join(this.root, job, 'upload');
  }

  async create(job: string): Promise<void> {
    await mkdir(this.dir(job), { recursive: true });
  }

  /** Writes `job.json` durably (temp file, fsync, rename, fsync of the folder). */
  async save(spec: JobSpec): Promise<void> {
    if (!JOB_ID.test(spec.job)) throw new RangeError(`job id '${spec.job}' is not a job id (a UUID)`);
    const dir = this.dir(spec.job);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, 'job.json.tmp');
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(spec, null, 1)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(dir, 'job.json'));
    await syncDir(dir);
  }

  /** Every saved job; folders without a `job.json` (an upload cut short by a crash) are deleted. */
  loadAll(): Promise<JobSpec[]> {
    return this.read(true);
  }

  async get(job: string): Promise<JobSpec | undefined> {
    if (!JOB_ID.test(job)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.root, job, 'job.json'), 'utf8')) as JobSpec;
    } catch {
      return undefined;
    }
  }

  /** The tenant's saved jobs, or every one (an upload still arriving has none yet, and its folder stays). */
  async list(tenant?: string): Promise<JobSpec[]> {
    return (await this.read(false)).filter((spec) => tenant === undefined || spec.tenant === tenant);
  }

  private async read(removeBroken: boolean): Promise<JobSpec[]> {
    await mkdir(this.root, { recursive: true });
    const specs: JobSpec[] = [];
    for (const name of await readdir(this.root)) {
      try {
        specs.push(JSON.parse(await readFile(join(this.root, name, 'job.json'), 'utf8')) as JobSpec);
      } catch {
        if (removeBroken) await rm(join(this.root, name), { recursive: true, force: true });
      }
    }
    return specs.sort((a, b) => a.createdAt - b.createdAt || a.job.localeCompare(b.job));
  }

  async removeUpload(job: string): Promise<void> {
    await rm(this.uploadPath(job), { force: true });
  }

  async removeJob(job: string): Promise<void> {
    await rm(this.dir(job), { recursive: true, force: true });
  }
}
