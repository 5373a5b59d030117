import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Clock } from '../../core/clock.ts';
import { MINUTE_MS } from '../../core/clock.ts';
import type { DestinationService } from '../destination-service.ts';

/**
 * What the scheduler needs. Example: `{ tickMs: 30_000, tenants, destinations, catalog, clock, busy, start, onError }`
 */
export interface ScheduleInput {
  tickMs: number;
  tenants: () => Promise<string[]>;
  destinations: Pick<DestinationService, 'list'>;
  catalog: Pick<Catalog, 'listRuns'>;
  clock: Clock;
  busy: (tenant: string, code: string) => boolean;
  start: (tenant: string, code: string) => Promise<{ done: Promise<ActivationRun> }>;
  onError: (error: unknown) => void;
}

/**
 * Every `tickMs` (unref'd timer), starts each http or file destination with `schedule.everyMinutes`
 * whose last run started that long ago or that never ran, unless a run of it is in progress. A tick
 * still working when the next is due is not doubled. Returns the function that cancels the timer.
 *
 * Example: `const cancel = scheduleRuns({ tickMs: 30_000, ... }); cancel();`
 */
export function scheduleRuns(input: ScheduleInput): () => void {
  let ticking = false;
  const tick = async (): Promise<void> => {
    for (const tenant of await input.tenants()) {
      for (const destination of await input.destinations.list(tenant)) {
        const every = destination.schedule?.everyMinutes;
        if (every === undefined || (destination.kind !== 'http' && destination.kind !== 'file')) continue;
        if (input.busy(tenant, destination.code)) continue;
        const [last] = await input.catalog.listRuns(tenant, { destination: destination.code, limit: 1 });
        if (last !== undefined && input.clock.now() - Date.parse(last.startedAt) < every * MINUTE_MS)
          continue;
        await input.start(tenant, destination.code);
      }
    }
  };
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(input.onError)
      .finally(() => {
        ticking = false;
      });
  }, input.tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
