import { useEffect, useState } from 'preact/hooks';
import type { Destination, Mapping, Run, Session } from './api.ts';
import { EDITOR_ROLES, call, messageOf } from './api.ts';
import { useLoad } from './pages.tsx';
import { FunnelChart } from './funnel-chart.tsx';
import { RealtimeDelivery } from './realtime-delivery.tsx';

/** The kinds the batch runner delivers (`POST /v1/destinations/{code}/runs`); the others bid in real time. */
const BATCH_KINDS = new Set(['file', 'http']);
/** How often a running run is read again until it ends. */
const POLL_MS = 500;

/** A destination's page address. Example: `destinationHref('exports')` -> `'#/destinations/exports'` */
export function destinationHref(code: string): string {
  return `#/destinations/${encodeURIComponent(code)}`;
}

/** The segments a destination sends, as a list "segment → ID", or "none". */
function Mappings({ segments }: { segments: Mapping[] }) {
  if (segments.length === 0) return <>none</>;
  return (
    <ul class="mappings">
      {segments.map((m) => (
        <li key={m.segment}>
          <a href={`#/segments/${encodeURIComponent(m.segment)}`}>{m.segment}</a> as ID <code>{m.id}</code>
        </li>
      ))}
    </ul>
  );
}

/** The tenant's destinations: code (linking to its page), name, kind, ID type and the segments it sends. */
export function DestinationList() {
  const { data, error } = useLoad(() => call<{ destinations: Destination[] }>('GET', '/v1/destinations'));
  return (
    <>
      <h1>Destinations</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.destinations.length === 0 && (
        <p>
          No destinations yet: they are created through the API (<code>POST /v1/destinations</code>).
        </p>
      )}
      {data && data.destinations.length > 0 && (
        <table>
          <caption>The tenant's destinations</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">ID type</th>
              <th scope="col">Segments sent (segment as ID)</th>
            </tr>
          </thead>
          <tbody>
            {data.destinations.map((d) => (
              <tr key={d.code}>
                <td>
                  <a href={destinationHref(d.code)}>{d.code}</a>
                </td>
                <td>{d.name}</td>
                <td>{d.kind}</td>
                <td>{d.idType}</td>
                <td>
                  <Mappings segments={d.segments} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

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

/** A run's status line: "Run r1: succeeded (started 12:00:00, ended 12:00:01)". */
function runText(run: Run): string {
  const at = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');
  const ended = run.finishedAt === undefined ? '' : `, ended ${at(run.finishedAt)}`;
  const error = run.report.error === undefined ? '' : `: ${run.report.error}`;
  return `Run ${run.runId} (${run.mode}): ${run.status} (started ${at(run.startedAt)}${ended})${error}`;
}

/**
 * A destination's page: what it is and sends; for a batch kind (file, http) "Run now" starts a full run
 * (`POST /v1/destinations/{code}/runs`), read again every 500 ms until it ends, and shows its status and
 * its delivery funnel as a chart. The last run is shown when the page opens. "Run now" needs `edit`.
 */
export function DestinationPage({ session, code }: { session: Session; code: string }) {
  const path = `/v1/destinations/${encodeURIComponent(code)}`;
  const { data, error } = useLoad(() => call<Destination>('GET', path));
  const [run, setRun] = useState<Run | undefined>(undefined);
  const [status, setStatus] = useState('');
  const canRun = EDITOR_ROLES.has(session.role);
  const batch = data !== undefined && BATCH_KINDS.has(data.kind);

  useEffect(() => {
    if (!batch) return;
    call<{ runs: Run[] }>('GET', `${path}/runs?limit=1`)
      .then((r) => setRun(r.runs[0]))
      .catch((e: unknown) => setStatus(messageOf(e)));
  }, [batch]);
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
    <>
      <h1>Destination {code}</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {data && (
        <>
          <dl>
            <dt>Name</dt>
            <dd>{data.name}</dd>
            <dt>Kind</dt>
            <dd>{data.kind}</dd>
            <dt>ID type</dt>
            <dd>{data.idType}</dd>
            <dt>Segments sent</dt>
            <dd>
              <Mappings segments={data.segments} />
            </dd>
          </dl>
          {batch ? (
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
                  Your role ({session.role}) may read runs but not start them: ask an admin for the editor
                  role.
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
          ) : (
            <RealtimeDelivery code={code} kind={data.kind} />
          )}
        </>
      )}
    </>
  );
}
