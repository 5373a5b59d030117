import type { EventLog } from '../log/event-log.ts';
import type { ProfileReader } from '../qualify/ports.ts';
import type { OnboardJobs } from './onboard-jobs.ts';
import type { JobSpecBoard } from './onboard-elsewhere.ts';

/**
 * Before the log is replayed from `fromSeq` (after a profile snapshot), reads the `onboard` records of
 * unfinished jobs that the snapshot already holds, so those jobs resume after their last durable chunk
 * and never apply one twice. Nothing to do (no log read) when no job is unfinished or no snapshot was used.
 *
 * The jobs' specs are the data folder's (`JobFiles`), or on a scaled-out engine the API servers' board.
 *
 * Example: `await observeUnfinishedJobs(new JobFiles(dir), log, qualify, onboardJobs, restored.fromSeq);`
 */
export async function observeUnfinishedJobs(
  specs: Pick<JobSpecBoard, 'list'>,
  log: Pick<EventLog, 'replay'>,
  qualify: ProfileReader,
  onboardJobs: OnboardJobs,
  fromSeq: number,
): Promise<void> {
  if (fromSeq <= 1) return;
  const unfinished = (await specs.list()).filter(
    (s) =>
      s.startSeq !== undefined && s.startSeq < fromSeq && s.status !== 'succeeded' && s.status !== 'failed',
  );
  if (unfinished.length === 0) return;
  const jobs = new Set(unfinished.map((s) => s.job));
  const first = Math.min(...unfinished.map((s) => s.startSeq ?? fromSeq));
  await log.replay(first, (seq, record) => {
    if (seq < fromSeq && record.kind === 'onboard' && jobs.has(record.job)) {
      onboardJobs.observe(record, qualify.profilesOf(record.tenant));
    }
  });
}
