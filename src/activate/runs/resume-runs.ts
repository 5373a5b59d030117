import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { RunReport } from './deliver-run.ts';
import type { RunOptions } from './open-run.ts';

/** What resuming needs of the runner. Example: `{ catalog, busy, start, now }` */
export interface ResumeInput {
  catalog: Pick<Catalog, 'listTenants' | 'listRuns' | 'saveRun'>;
  busy: (tenant: string, code: string) => boolean;
  start: (tenant: string, code: string, options: RunOptions) => Promise<{ done: Promise<ActivationRun> }>;
  /** the time a run that cannot be resumed is marked failed (ISO) */
  now: () => string;
}

/**
 * Starts again, with the same run IDs, mode, campaign and segments, every run a stop or a crash left
 * `running` (queued ones included); one that cannot start (its destination deleted, say) is saved
 * `failed` with the reason. Resolves when they have all ended.
 *
 * Example: `const ended = await resumeRuns({ catalog, busy, start, now });`
 */
export async function resumeRuns(input: ResumeInput): Promise<ActivationRun[]> {
  const started: Promise<ActivationRun>[] = [];
  for (const tenant of await input.catalog.listTenants()) {
    for (const run of await input.catalog.listRuns(tenant.id, { status: 'running', limit: 1000 })) {
      if (input.busy(tenant.id, run.destination)) continue;
      const segments = (run.report as Partial<RunReport> | undefined)?.segments;
      try {
        const { done } = await input.start(tenant.id, run.destination, {
          runId: run.runId,
          mode: run.mode,
          ...(run.campaign === undefined ? {} : { campaign: run.campaign }),
          ...(segments === undefined ? {} : { segments }),
        });
        started.push(done);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const failed = {
          ...run,
          status: 'failed' as const,
          finishedAt: input.now(),
          report: { ...(run.report as object), error: `not resumed: ${reason}` },
        };
        await input.catalog.saveRun(tenant.id, failed);
        started.push(Promise.resolve(failed));
      }
    }
  }
  return Promise.all(started);
}
