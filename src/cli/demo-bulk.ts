import type { App } from '../app.ts';
import type { DemoSpec } from '../core/demo-record.ts';

/**
 * Loads the events of the standard data set into a tenant by the bulk path (ADR 0016): one `demo` log
 * record per day, each applied as soon as it is durable (its events drawn again, validated as trusted
 * events and qualified in order), with the tenant's audience index built once at the end rather than kept
 * current event by event. The tenant's traits and segments must be saved first. Days before `fromDay`
 * are left out (they were ingested as events). Returns the number of events applied; throws when that
 * is not `expected` (some were refused), naming both.
 *
 * Example: `await loadDemoDays(app, tenant, { profiles: 1e6, days: 90, seed: 1, now }, demo.eventCount(), (n) => bar.add(n))`
 */
export async function loadDemoDays(
  app: App,
  tenant: string,
  spec: DemoSpec,
  expected: number,
  progress: (events: number) => void = () => {},
  fromDay = 0,
): Promise<number> {
  const maxAgeMs = app.qualify.rules(tenant).longestLifetimeMs;
  const stats = app.qualify.stats;
  const before = stats.events;
  app.qualify.beginBulkLoad(tenant);
  try {
    for (let day = fromDay; day < spec.days; day++) {
      const done = stats.events;
      await app.ingest.append([{ kind: 'demo', tenant, spec, day, maxAgeMs }]);
      progress(stats.events - done);
    }
  } finally {
    app.qualify.endBulkLoad(tenant);
  }
  const applied = stats.events - before;
  if (applied !== expected)
    throw new Error(
      `the demo data set has ${expected} events but ${applied} were applied: ${expected - applied} were refused by validation`,
    );
  return applied;
}
