import { join } from 'node:path';
import type { EventLog } from '../log/event-log.ts';
import type { ProfileReader } from '../qualify/ports.ts';
import type { OnboardJobs } from './onboard-jobs.ts';
import { JobFiles } from './job-files.ts';

/**
 * Before the log is replayed from `fromSeq` (after a profile snapshot), reads the `onboard` records of
 * unfinished jobs that the snapshot already holds, so those jobs resume after their last durable chunk
 * and never apply one twice. Nothing to do (no log read) when no job is unfinished or no snapshot was used.
 *
 * Example: `await observeUnfinishedJobs(dataDir, log, qualify, onboardJobs, restored.fromSeq);`
 */
export async function observeUnfinishedJobs(
  dataDir: string,
  log: Pick<EventLog, 'replay'>,
  qualify: ProfileReader,
  onboardJobs: OnboardJobs,
  fromSeq: number,
): Promise<void> {
  if (fromSeq <= 1) return;
  const unfinished = (await new JobFiles(join(dataDir, 'onboarding')).loadAll()).filter(
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
