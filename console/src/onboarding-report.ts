/** What the onboarding page reads from the API about jobs, and how it words it (no DOM: unit-tested). */

/** One refused row of a file as the job reports it (the CSV header is row 1). */
export interface RowError {
  row: number;
  column: string;
  reason: string;
  message: string;
  fix: string;
}

/** An onboarding job as `GET /v1/onboarding/jobs/{job}` answers it (`src/onboard/job-report.ts`). */
export interface JobReport {
  job: string;
  source: string;
  mode: 'full' | 'delta';
  format: 'csv' | 'ndjson';
  idType: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  createdAt: string;
  finishedAt: string | null;
  bytes: number;
  bytesDone: number;
  rows: { read: number; accepted: number; rejected: number; optedOut: number };
  errorCounts: Record<string, number>;
  errors: RowError[];
  failure?: string;
}

/** Whether a job has ended (its report no longer changes). */
export function ended(job: JobReport): boolean {
  return job.status === 'succeeded' || job.status === 'failed';
}

/** "3 rows applied, 2 refused, 0 skipped as opted out (5 read)": a job's counts in words. */
export function rowsText(job: JobReport): string {
  const r = job.rows;
  return `${r.accepted.toLocaleString('en')} rows applied, ${r.rejected.toLocaleString('en')} refused, ${r.optedOut.toLocaleString('en')} skipped as opted out (${r.read.toLocaleString('en')} read)`;
}

/**
 * The content type the API takes a file as, from its name: NDJSON (`.ndjson`, `.jsonl`) or CSV (anything
 * else; the API answers a 422 naming the problem when the header is not `id,traits[,idType][,ts]`).
 *
 * Example: `fileType('crm.ndjson')` -> `'application/x-ndjson'`; `fileType('crm.csv')` -> `'text/csv'`.
 */
export function fileType(name: string): string {
  return /\.(ndjson|jsonl)$/i.test(name) ? 'application/x-ndjson' : 'text/csv';
}
