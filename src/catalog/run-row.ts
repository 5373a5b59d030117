import type { ActivationRun, DeadLetter } from './run-store.ts';

/** A row of `activation_runs`, as SQLite and PostgreSQL return it. */
export interface RunRow {
  run_id: string;
  destination: string;
  campaign: string | null;
  mode: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  report: string;
}

/** A row of `dead_letters`, as SQLite and PostgreSQL return it. */
export interface LetterRow {
  id: number;
  destination: string;
  run_id: string;
  batch_id: string;
  reason: string;
  attempts: number;
  payload: string;
  created_at: string;
}

/** The columns of `dead_letters` that `LetterRow` holds, for SELECT and RETURNING lists. */
export const letterColumns = 'id, destination, run_id, batch_id, reason, attempts, payload, created_at';

/**
 * An activation run from its row; a run of no campaign, or not finished, has no `campaign` / `finishedAt`.
 *
 * Example: `toRun(row)` -> `{ runId: 'r1', destination: 'ttd', mode: 'full', status: 'running', startedAt, report: {} }`.
 */
export function toRun(r: RunRow): ActivationRun {
  return {
    runId: r.run_id,
    destination: r.destination,
    ...(r.campaign === null ? {} : { campaign: r.campaign }),
    mode: r.mode as ActivationRun['mode'],
    status: r.status as ActivationRun['status'],
    startedAt: r.started_at,
    ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
    report: JSON.parse(r.report) as unknown,
  };
}

/**
 * A dead letter from its row, its payload parsed.
 *
 * Example: `toLetter(row)` -> `{ id: 4, destination: 'ttd', runId: 'r1', batchId: 'b2', reason: '503', attempts: 3, payload, createdAt }`.
 */
export function toLetter(r: LetterRow): DeadLetter {
  return {
    id: r.id,
    destination: r.destination,
    runId: r.run_id,
    batchId: r.batch_id,
    reason: r.reason,
    attempts: r.attempts,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
  };
}
