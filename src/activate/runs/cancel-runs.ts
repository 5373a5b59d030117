import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { ActiveRuns } from './active-runs.ts';
import { RunCancelled } from './active-runs.ts';
import { dequeued } from './open-run.ts';

/** What cancelling needs of the runner. Example: `{ active, catalog, save, now }` */
export interface CancelInput {
  active: ActiveRuns;
  catalog: Pick<Catalog, 'getRun' | 'listRuns'>;
  /** saves a run that ended (never throws) */
  save: (tenant: string, run: ActivationRun) => Promise<ActivationRun>;
  now: () => string;
}

/**
 * The run as saved once cancelled: `cancelled`, ended now, `report.cancelled` saying why.
 * Example: `cancelledRun(run, 'cancelled through the API', now).status` -> `'cancelled'`
 */
export function cancelledRun(run: ActivationRun, reason: string, now: string): ActivationRun {
  const report = dequeued(run).report as object;
  return { ...run, status: 'cancelled', finishedAt: now, report: { ...report, cancelled: reason } };
}

/**
 * Stops run `runId` of the tenant and resolves with it as it ended: `cancelled` (or how it ended, if it
 * ended first). A run left `running` by a stop or a crash is marked `cancelled`, so no start resumes it.
 * Throws 404 for an unknown run, 409 `run_ended` for one that has ended.
 *
 * Example: `await cancelRun(input, 't1', 'run-1', 'cancelled through the API')`
 */
export async function cancelRun(
  input: CancelInput,
  tenant: string,
  runId: string,
  reason: string,
): Promise<ActivationRun> {
  const active = input.active.byRun(tenant, runId);
  if (active !== undefined) {
    active.controller.abort(new RunCancelled(reason));
    const ended = await active.done;
    if (ended !== undefined && ended.status !== 'running') return ended;
  }
  const run = await input.catalog.getRun(tenant, runId);
  if (run === undefined) {
    throw new ServiceError(404, 'not_found', `no run '${runId}' in this tenant`, { field: 'runId' });
  }
  if (run.status !== 'running') {
    throw new ServiceError(409, 'run_ended', `run '${runId}' has already ended (${run.status})`, {
      field: 'runId',
    });
  }
  return input.save(tenant, cancelledRun(run, reason, input.now()));
}

/**
 * Stops every run of the tenant in progress and resolves once each has stopped writing (a deletion then
 * erases the visitor from what they wrote). Each is saved `cancelled` with the reason; the next delta sends
 * what it had not. Example: `await cancelTenantRuns(input, 't1', 'a visitor was deleted')`
 */
export async function cancelTenantRuns(input: CancelInput, tenant: string, reason: string): Promise<void> {
  const active = input.active.ofTenant(tenant);
  for (const run of active) run.controller.abort(new RunCancelled(reason));
  await Promise.all(active.map((run) => run.done));
}

/**
 * Cancels every run of a destination: the one in progress (resolves once it has stopped) and any left
 * `running` by a stop or a crash. Example: `await cancelDestinationRuns(input, 't1', 'hook', 'deleted')`
 */
export async function cancelDestinationRuns(
  input: CancelInput,
  tenant: string,
  code: string,
  reason: string,
): Promise<void> {
  const active = input.active.ofDestination(tenant, code);
  active?.controller.abort(new RunCancelled(reason));
  await active?.done;
  const left = await input.catalog.listRuns(tenant, { destination: code, status: 'running', limit: 1000 });
  for (const run of left) await input.save(tenant, cancelledRun(run, reason, input.now()));
}
