/**
 * One run of a batch destination. `report` is the runner's (counts, funnel, files or batches).
 * Example: `{ runId: 'r1', destination: 'ttd', mode: 'full', status: 'running', startedAt, report: {} }`
 */
export interface ActivationRun {
  runId: string;
  destination: string;
  campaign?: string;
  mode: 'full' | 'delta';
  /** `running` from the start until it ends (`report.queued` while it waits for a slot) */
  status: 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';
  startedAt: string;
  finishedAt?: string;
  report: unknown;
}

/**
 * A batch a partner never acknowledged, after every retry.
 * Example: `{ id: 1, destination: 'ttd', runId: 'r1', batchId: 'b1', reason: 'HTTP 400', attempts: 3, payload, createdAt }`
 */
export interface DeadLetter {
  id: number;
  destination: string;
  runId: string;
  batchId: string;
  reason: string;
  attempts: number;
  payload: unknown;
  createdAt: string;
}

/** Which runs `listRuns` gives: of one destination, campaign and/or status, at most `limit`. */
export interface RunQuery {
  destination?: string;
  campaign?: string;
  status?: string;
  limit: number;
}

/**
 * Activation runs and dead letters of each tenant.
 *
 * Example:
 * ```ts
 * await runs.saveRun('acme', { runId, destination: 'ttd', mode: 'full', status: 'running', startedAt, report: {} });
 * await runs.listRuns('acme', { destination: 'ttd', limit: 10 }); // newest first
 * ```
 */
export interface RunStore {
  /** Creates or updates a run of a batch destination (its report holds counts and the funnel). */
  saveRun(tenant: string, run: ActivationRun): Promise<void>;
  getRun(tenant: string, runId: string): Promise<ActivationRun | undefined>;
  /** Runs of a destination (or of every destination), newest first. */
  listRuns(tenant: string, query: RunQuery): Promise<ActivationRun[]>;
  addDeadLetter(tenant: string, letter: Omit<DeadLetter, 'id' | 'createdAt'>): Promise<DeadLetter>;
  /** A destination's dead letters, newest first, at most `limit`. */
  listDeadLetters(tenant: string, destination: string, limit: number): Promise<DeadLetter[]>;
  /**
   * Takes a deleted visitor's IDs out of the tenant's dead-letter payloads (`added[].id`, `removed[]`),
   * leaving no copy in the stored files; resolves the number of letters rewritten.
   */
  eraseFromDeadLetters(tenant: string, ids: readonly string[]): Promise<number>;
}
