import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Destination } from '../../core/activation/index.ts';
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
  /** told of every failure of a tick (nothing else waits for one) */
  onError: (error: unknown) => void;
}

/**
 * Every `tickMs` (unref'd timer), starts each http or file destination with `schedule.everyMinutes`
 * whose last run started that long ago or that never ran, unless a run of it is in progress. A tick
 * still working when the next is due is not doubled. Every failure goes to `onError` (nothing waits for
 * a tick): one tenant's or destination's failure is reported and the others are still checked.
 * Returns the function that cancels the timer.
 *
 * Example: `const cancel = scheduleRuns({ tickMs: 30_000, ..., onError: (e) => log.error(e) }); cancel();`
 */
export function scheduleRuns(input: ScheduleInput): () => void {
  let ticking = false;
  const report = (error: unknown): void => {
    try {
      input.onError(error);
    } catch {
      // a reporter that throws must not stop the schedules nor reject where nothing waits
    }
  };
  const due = async (tenant: string, destination: Destination): Promise<boolean> => {
    const every = destination.schedule?.everyMinutes;
    if (every === undefined || (destination.kind !== 'http' && destination.kind !== 'file')) return false;
    if (input.busy(tenant, destination.code)) return false;
    const [last] = await input.catalog.listRuns(tenant, { destination: destination.code, limit: 1 });
    return last === undefined || input.clock.now() - Date.parse(last.startedAt) >= every * MINUTE_MS;
  };
  const tickTenant = async (tenant: string): Promise<void> => {
    for (const destination of await input.destinations.list(tenant)) {
      try {
        if (await due(tenant, destination)) await input.start(tenant, destination.code);
      } catch (error) {
        report(error);
      }
    }
  };
  const tick = async (): Promise<void> => {
    for (const tenant of await input.tenants()) await tickTenant(tenant).catch(report);
  };
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(report)
      .finally(() => {
        ticking = false;
      });
  }, input.tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
