import type { ActivationRun, Catalog, DeadLetter } from '../../catalog/catalog.ts';
import { ServiceError } from '../../core/service-error.ts';

/**
 * What batch runs left behind, for reading: a destination's runs (newest first, each with its report:
 * counts, funnel, files or batches), one run, and the batches a partner never acknowledged. Starting and
 * cancelling runs is the `BatchRunner`'s.
 *
 * Example:
 * ```ts
 * const history = new RunHistory(catalog);
 * await history.runs('acme', 'ttd', 50);      // -> [{ runId: 'r2', status: 'succeeded', ... }, ...]
 * await history.run('acme', 'r2');            // -> the run, or a 404 ServiceError
 * await history.deadLetters('acme', 'ttd', 50);
 * ```
 */
export class RunHistory {
  constructor(private readonly catalog: Pick<Catalog, 'listRuns' | 'getRun' | 'listDeadLetters'>) {}

  /** The runs of a destination, newest first, at most `limit`. */
  runs(tenant: string, destination: string, limit: number): Promise<ActivationRun[]> {
    return this.catalog.listRuns(tenant, { destination, limit });
  }

  /** One run of the tenant, with its report; 404 `not_found` when there is none. */
  async run(tenant: string, runId: string): Promise<ActivationRun> {
    const run = await this.catalog.getRun(tenant, runId);
    if (run === undefined) {
      throw new ServiceError(404, 'not_found', `no run '${runId}' in this tenant`, { field: 'runId' });
    }
    return run;
  }

  /** The batches of a destination that were never acknowledged after every retry, newest first. */
  deadLetters(tenant: string, destination: string, limit: number): Promise<DeadLetter[]> {
    return this.catalog.listDeadLetters(tenant, destination, limit);
  }
}
