import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Destination } from '../../core/activation/index.ts';
import { ServiceError } from '../../core/service-error.ts';

/**
 * How to run. Example: `{ mode: 'delta', runId: 'nightly-2026-11-20', campaign: 'xmas', segments: ['gifts'] }`
 */
export interface RunOptions {
  /** default: a file destination's `settings.mode`; `delta` for http */
  mode?: 'full' | 'delta';
  /** a run ID already used by the destination re-runs it (same batch IDs, same files) */
  runId?: string;
  campaign?: string;
  /** limit the run to these segments (a campaign's) */
  segments?: string[];
}

/** A destination batch runs are for (http, file). */
export type BatchDestination = Extract<Destination, { kind: 'http' | 'file' }>;

/**
 * The destination, if runs are for its kind; else a 422 `wrong_destination_kind`.
 * Example: `batchDestination(await destinations.get('t1', 'hook')).settings.url`
 */
export function batchDestination(destination: Destination): BatchDestination {
  if (destination.kind === 'http' || destination.kind === 'file') return destination;
  throw new ServiceError(
    422,
    'wrong_destination_kind',
    `destination '${destination.code}' is ${destination.kind}; runs are for http and file destinations`,
    { field: 'destination' },
  );
}

/**
 * Saves run `runId` of the destination as `running` (with `report.queued` when it waits for a slot) and
 * returns it. A re-run keeps its start and, unless given, its mode and campaign; a run ID of another
 * destination is refused (409).
 *
 * Example: `const run = await openRun(catalog, 't1', hook, 'run-1', { mode: 'full' }, false, nowIso);`
 */
export async function openRun(
  catalog: Pick<Catalog, 'getRun' | 'saveRun'>,
  tenant: string,
  destination: Destination,
  runId: string,
  options: RunOptions,
  queued: boolean,
  now: string,
): Promise<ActivationRun> {
  const existing = options.runId === undefined ? undefined : await catalog.getRun(tenant, runId);
  if (existing !== undefined && existing.destination !== destination.code) {
    throw new ServiceError(
      409,
      'conflict',
      `run '${runId}' belongs to destination '${existing.destination}'`,
      {
        field: 'runId',
      },
    );
  }
  const fileMode = destination.kind === 'file' ? destination.settings.mode : 'delta';
  const campaign = options.campaign ?? existing?.campaign;
  const run: ActivationRun = {
    runId,
    destination: destination.code,
    ...(campaign === undefined ? {} : { campaign }),
    mode: options.mode ?? existing?.mode ?? fileMode,
    status: 'running',
    // a re-run keeps its start: the rows' timestamps and the manifest come out the same
    startedAt: existing?.startedAt ?? now,
    report: {
      kind: destination.kind,
      ...(options.segments === undefined ? {} : { segments: options.segments }),
      ...(queued ? { queued: true } : {}),
    },
  };
  await catalog.saveRun(tenant, run);
  return run;
}

/** The run as it leaves the queue: `report.queued` dropped. Example: `dequeued(run).report` -> `{ kind: 'http' }` */
export function dequeued(run: ActivationRun): ActivationRun {
  const { queued: _queued, ...report } = run.report as Record<string, unknown>;
  return { ...run, report };
}
