import { useEffect, useState } from 'preact/hooks';
import type { Run, Session } from './api.ts';
import { EDITOR_ROLES, call, messageOf } from './api.ts';
import { FunnelChart } from './funnel-chart.tsx';

/** How often a running run is read again until it ends. */
export const POLL_MS = 500;

/**
 * Reads the run every 500 ms until it has ended, handing over each answer; a failed read is said through
 * `onError` and tried again. Stops when the page goes away.
 */
function useRunPoll(run: Run | undefined, onRun: (r: Run) => void, onError: (m: string) => void): void {
  useEffect(() => {
    if (run === undefined || run.status !== 'running') return undefined;
    const timer = setTimeout(() => {
      call<Run>('GET', `/v1/runs/${encodeURIComponent(run.runId)}`)
        .then((r) => {
          onError('');
          onRun(r);
        })
        .catch((e: unknown) => {
          onError(`the run could not be read (trying again): ${messageOf(e)}`);
          onRun({ ...run });
        });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);
}

/**
 * A run's status line. Example: `runText(run)` -> `'Run r1 (full): succeeded (started 12:00:00, ended 12:00:01)'`
 */
export function runText(run: Run): string {
  const at = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');
  const ended = run.finishedAt === undefined ? '' : `, ended ${at(run.finishedAt)}`;
  const error = run.report.error === undefined ? '' : `: ${run.report.error}`;
  return `Run ${run.runId} (${run.mode}): ${run.status} (started ${at(run.startedAt)}${ended})${error}`;
}

/**
 * A batch destination's runs (file, http): "Run now" starts a full run
 * (`POST /v1/destinations/{code}/runs`), read again every 500 ms until it ends, and shows its status and
 * its delivery funnel as a chart. The last run is shown when the page opens. "Run now" needs `edit`.
 *
 * Example: `<DestinationRuns session={session} code="exports" />`
 */
export function DestinationRuns({ session, code }: { session: Session; code: string }) {
  const path = `/v1/destinations/${encodeURIComponent(code)}`;
  const [run, setRun] = useState<Run | undefined>(undefined);
  const [status, setStatus] = useState('');
  const canRun = EDITOR_ROLES.has(session.role);

  useEffect(() => {
    call<{ runs: Run[] }>('GET', `${path}/runs?limit=1`)
      .then((r) => setRun(r.runs[0]))
      .catch((e: unknown) => setStatus(messageOf(e)));
  }, [code]);
  useRunPoll(run, setRun, setStatus);

  const start = async () => {
    setStatus('');
    try {
      setRun(await call<Run>('POST', `${path}/runs`, { mode: 'full' }));
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <button
        type="button"
        disabled={!canRun || run?.status === 'running'}
        aria-describedby={canRun ? undefined : 'run-note'}
        onClick={() => void start()}
      >
        Run now
      </button>
      {!canRun && (
        <p id="run-note">
          Your role ({session.role}) may read runs but not start them: ask an admin for the editor role.
        </p>
      )}
      <p role="alert" class="status">
        {status}
      </p>
      <p role="status" id="run-status">
        {run === undefined ? 'No run yet.' : runText(run)}
      </p>
      {run?.report.funnel !== undefined && <FunnelChart steps={run.report.funnel.steps} />}
    </section>
  );
}
