import type { OnboardRecord } from '../core/onboard/index.ts';
import type { JobSpec } from './job-files.ts';
import type { JobProgress } from './onboard-jobs.ts';

/**
 * Where every API server of a scaled-out deployment reads and writes the onboarding jobs' specs (ADR
 * 0039), so that any of them reports any job; the upload itself stays with the API server that took it.
 *
 * Example: `await board.save(spec); (await board.get(spec.job))?.status; // 'queued'`
 */
export interface JobSpecBoard {
  /** writes the spec whole (a later save of the same job replaces it) */
  save(spec: JobSpec): Promise<void>;
  /** the job's spec, or undefined when no API server saved one under that id */
  get(job: string): Promise<JobSpec | undefined>;
  /** the tenant's jobs (every tenant's without one), in no order */
  list(tenant?: string): Promise<JobSpec[]>;
}

/**
 * How a scaled-out API server runs onboarding jobs (ADR 0039): it holds no profiles, so each chunk goes
 * to the partitions that hold its visitors (`place`: one record per partition), and a job's progress is
 * the partitions', added up (`progress`: undefined until every partition has applied its first chunk).
 *
 * Example: `{ place: (r) => placeChunk(r, 8, holdersOf), progress: (t, job) => asks.onboardProgress(t, job), board }`
 */
export interface OnboardElsewhere {
  place(record: OnboardRecord): Promise<OnboardRecord[]>;
  progress(tenant: string, job: string): Promise<JobProgress | undefined>;
  board: JobSpecBoard;
}
