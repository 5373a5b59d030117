import { useState } from 'preact/hooks';
import type { Run } from './api.ts';
import { call, messageOf } from './api.ts';
import type { CampaignRuns } from './campaign-api.ts';
import { POLL_MS, runText } from './destination-runs.tsx';

/** How long "Run now" waits for the runs it started before it stops reading them. */
const WAIT_MS = 120_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Run now" of a campaign (`POST /v1/campaigns/{code}/run`): starts a run of each of its batch
 * destinations (the API refuses outside the flight), reads each run again every 500 ms until all have
 * ended, saying each one's status, then calls `onEnded` (the page reads its report again).
 *
 * Example: `<CampaignRunButton code="xmas" onEnded={() => setVersion((v) => v + 1)} />`
 */
export function CampaignRunButton({ code, onEnded }: { code: string; onEnded: () => void }) {
  const [lines, setLines] = useState<string[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setStatus('');
    setLines([]);
    try {
      const started = await call<CampaignRuns>('POST', `/v1/campaigns/${encodeURIComponent(code)}/run`);
      if (started.runs.length === 0)
        setLines(['The campaign has no batch destination: it delivers in real time.']);
      const refused = started.runs
        .filter((r) => r.run === undefined)
        .map((r) => `${r.destination}: ${r.error ?? ''}`);
      const ids = started.runs.flatMap((r) =>
        r.run === undefined ? [] : [[r.destination, r.run.runId] as const],
      );
      const until = Date.now() + WAIT_MS;
      for (;;) {
        const read = await Promise.all(
          ids.map(async ([destination, id]) => ({
            destination,
            run: await call<Run>('GET', `/v1/runs/${encodeURIComponent(id)}`),
          })),
        );
        setLines([...refused, ...read.map((r) => `${r.destination}: ${runText(r.run)}`)]);
        if (read.every((r) => r.run.status !== 'running') || Date.now() > until) break;
        await pause(POLL_MS);
      }
      onEnded();
    } catch (e) {
      setStatus(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="campaign-runs-heading">
      <h2 id="campaign-runs-heading">Runs</h2>
      <button type="button" disabled={busy} onClick={() => void start()}>
        Run now
      </button>
      <p role="alert" class="status">
        {status}
      </p>
      <div role="status" id="campaign-run-status">
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
