import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import type { JobReport } from './onboarding-report.ts';
import { ended, rowsText } from './onboarding-report.ts';
import { DataTable } from './data-table.tsx';

/**
 * Follows a job: its report now, then every `everyMs` until it has ended (`GET /v1/onboarding/jobs/{job}`).
 *
 * Example: `const { job, error } = useJob(first);`
 */
export function useJob(first: JobReport, everyMs = 500): { job: JobReport; error: string } {
  const [job, setJob] = useState(first);
  const [error, setError] = useState('');
  useEffect(() => {
    if (ended(job)) return;
    const timer = setTimeout(() => {
      call<JobReport>('GET', `/v1/onboarding/jobs/${encodeURIComponent(job.job)}`)
        .then((next) => {
          setError('');
          setJob(next);
        })
        .catch((e: unknown) => {
          setError(messageOf(e));
          setJob({ ...job });
        });
    }, everyMs);
    return () => clearTimeout(timer);
  }, [job]);
  return { job, error };
}

/**
 * One job: its status and progress through the file (bytes applied of the file's bytes), and once it has
 * ended the rows applied and refused and the API's report of each refused row (row, column, what is
 * wrong, how to fix it). Polls while the job runs; `onEnded` hears when a job it saw running ends.
 */
export function JobView({ first, onEnded }: { first: JobReport; onEnded?: (job: JobReport) => void }) {
  const { job, error } = useJob(first);
  const done = ended(job);
  useEffect(() => {
    if (done && !ended(first)) onEnded?.(job);
  }, [done]);
  return (
    <section aria-labelledby="job-heading">
      <h2 id="job-heading">
        Job {job.job} ({job.source}, {job.mode})
      </h2>
      <label for="job-progress">Job progress</label>{' '}
      <progress id="job-progress" max={Math.max(job.bytes, 1)} value={done ? job.bytes : job.bytesDone} />
      <p id="job-status" role="status">
        {done ? `Done: ${job.status}.` : `${job.status}…`} {rowsText(job)}.
      </p>
      {job.failure !== undefined && <p role="alert">The job failed: {job.failure}</p>}
      {error !== '' && <p role="alert">{error}</p>}
      {job.errors.length > 0 && <RowErrors job={job} />}
    </section>
  );
}

/** The table of a job's refused rows (the API keeps the first 100 in full; all are counted by reason). */
function RowErrors({ job }: { job: JobReport }) {
  const counted = Object.entries(job.errorCounts)
    .map(([reason, n]) => `${reason} (${n})`)
    .join('; ');
  return (
    <>
      <DataTable
        caption="Refused rows (row 1 is the header)"
        columns={['Row', 'Column', 'Message', 'How to fix it']}
      >
        {job.errors.map((e) => (
          <tr key={e.row}>
            <th scope="row">{e.row}</th>
            <td>{e.column === '' ? '(whole row)' : e.column}</td>
            <td>{e.message}</td>
            <td>{e.fix}</td>
          </tr>
        ))}
      </DataTable>
      <p>
        Refused rows by reason: {counted}
        {job.rows.rejected > job.errors.length && ` (the first ${job.errors.length} are listed)`}.
      </p>
    </>
  );
}

/** The tenant's jobs, newest first, each with a button that shows its report. */
export function JobList({ jobs, onOpen }: { jobs: JobReport[]; onOpen: (job: JobReport) => void }) {
  if (jobs.length === 0) return <p>No onboarding jobs yet.</p>;
  return (
    <DataTable
      caption="Recent onboarding jobs, newest first"
      columns={['Job', 'Source', 'Mode', 'Status', 'Uploaded', 'Applied', 'Refused']}
    >
      {jobs.map((j) => (
        <tr key={j.job}>
          <td>
            <button type="button" onClick={() => onOpen(j)}>
              {j.job.slice(0, 8)}
            </button>
          </td>
          <td>{j.source}</td>
          <td>{j.mode}</td>
          <td>{j.status}</td>
          <td>{new Date(j.createdAt).toLocaleString('en-GB')}</td>
          <td>{j.rows.accepted.toLocaleString('en')}</td>
          <td>{j.rows.rejected.toLocaleString('en')}</td>
        </tr>
      ))}
    </DataTable>
  );
}
