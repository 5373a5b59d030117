import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics the server exposes at `/metrics`. No label carries a tenant ID, a visitor ID or
 * a key: routes are named by their pattern (`/v1/profiles/:uid`), 'unknown' when none matched.
 */
export interface Metrics {
  registry: Registry;
  /** all tenants together: `/metrics` names no tenant */
  eventsAccepted: Counter;
  eventsRejected: Counter;
  /** events acknowledged again because their `id` was accepted before (retries), not stored twice */
  eventsDuplicate: Counter;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** malformed `eids` / `user.data` entries of enriched bid requests, skipped (not read) */
  enrichSkipped: Counter<'field'>;
}

/** Example: `const m = createMetrics(() => profileCount()); m.eventsAccepted.inc(3);` */
export function createMetrics(profileCount: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const eventsAccepted = new Counter({
    name: 'dmp_events_accepted_total',
    help: 'Events durably stored, all tenants',
    registers: [registry],
  });
  const eventsRejected = new Counter({
    name: 'dmp_events_rejected_total',
    help: 'Events rejected by validation, all tenants',
    registers: [registry],
  });
  const eventsDuplicate = new Counter({
    name: 'dmp_events_duplicate_total',
    help: 'Events whose id was accepted before (retries): acknowledged again, not stored twice, all tenants',
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'dmp_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const enrichSkipped = new Counter({
    name: 'dmp_enrich_skipped_entries_total',
    help: 'Malformed user.eids / user.data entries of bid requests, skipped by enrichment',
    labelNames: ['field'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'dmp_profiles',
    help: 'Live profiles, all tenants',
    registers: [registry],
    collect() {
      this.set(profileCount());
    },
  });
  return { registry, eventsAccepted, eventsRejected, eventsDuplicate, requestSeconds, enrichSkipped };
}
