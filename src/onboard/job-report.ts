import type { RowError } from '../core/onboard/index.ts';
import type { JobSpec } from './job-files.ts';
import type { JobProgress } from './onboard-jobs.ts';

/**
 * What `GET /v1/onboarding/jobs/{job}` answers: the job, its progress as durable in the log (rows read,
 * accepted, rejected, skipped as opted out; bytes of the file done), the first row errors in full and
 * the count of every reason.
 *
 * Example: `{ job: '5f0c...', source: 'iab-provider', mode: 'delta', format: 'csv', idType: 'uid',
 *   status: 'running', createdAt: '2026-11-20T12:00:00.000Z', finishedAt: null, bytes: 1048576,
 *   bytesDone: 524288, chunks: 2, rows: { read: 4001, accepted: 4000, rejected: 1, optedOut: 0 },
 *   realisations: 40012, errorCounts: { unknown_trait: 1 }, errors: [{ row: 7, column: 'traits', ... }] }`
 */
export interface JobReport {
  job: string;
  source: string;
  mode: JobSpec['mode'];
  format: JobSpec['format'];
  idType: string;
  status: JobSpec['status'];
  createdAt: string;
  finishedAt: string | null;
  bytes: number;
  bytesDone: number;
  chunks: number;
  rows: { read: number; accepted: number; rejected: number; optedOut: number };
  realisations: number;
  errorCounts: Record<string, number>;
  errors: RowError[];
  failure?: string;
}

/**
 * The report of a job from its saved spec and its progress in the log (none yet: nothing done).
 * Example: `jobReport(spec, onboardJobs.progress(spec.job))`.
 */
export function jobReport(spec: JobSpec, progress: Readonly<JobProgress> | undefined): JobReport {
  if (spec.final !== undefined) return spec.final;
  const stats = progress?.stats;
  const report: JobReport = {
    job: spec.job,
    source: spec.source,
    mode: spec.mode,
    format: spec.format,
    idType: spec.idType,
    status: spec.status,
    createdAt: new Date(spec.createdAt).toISOString(),
    finishedAt: spec.finishedAt === undefined ? null : new Date(spec.finishedAt).toISOString(),
    bytes: spec.bytes,
    bytesDone: progress?.end ?? 0,
    chunks: progress?.chunks ?? 0,
    rows: {
      read: stats?.read ?? 0,
      accepted: stats?.accepted ?? 0,
      rejected: stats?.rejected ?? 0,
      optedOut: stats?.optedOut ?? 0,
    },
    realisations: progress?.realisations ?? 0,
    errorCounts: { ...stats?.reasons },
    errors: [...(progress?.errors ?? [])],
  };
  if (spec.failure !== undefined) report.failure = spec.failure;
  return report;
}
