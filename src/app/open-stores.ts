import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import type { Enricher } from '../collect/index.ts';
import { createEnricher, createUserAgentParser, openGeo } from '../collect/index.ts';
import type { Config } from '../config/config.ts';
import type { EventLog } from '../log/event-log.ts';
import { openFileEventLog } from '../log/file-event-log.ts';
import { openNatsEventLog } from '../log/nats/nats-event-log.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { ProfileStore } from '../profiles/profile-store.ts';

/** The adapters everything else is built on, opened under `config.dataDir`. */
export interface Stores {
  /** tenants, rules, destinations, runs, the audit log (SQLite: `catalog.sqlite`, or PostgreSQL: `DMP_CATALOG`) */
  catalog: Catalog;
  /** the event log (segment files under `log/`, or a NATS JetStream stream: `DMP_LOG`) as the program uses it: `wrapLog` applied */
  log: EventLog;
  /** the profiles, in memory (filled from a snapshot and the log by `recover`) */
  profiles: ProfileStore;
  /** the geo database and the User-Agent parser that enrich a collected event */
  enrich: Enricher;
  /** closes the log (flushed), then the catalog */
  close(): Promise<void>;
}

/**
 * Opens the adapters: the catalog, the event log, an empty profile store and the enricher. A test may
 * wrap the file log (`wrapLog`: slow appends, a full disk).
 *
 * Example: `const stores = await openStores(config); ...; await stores.close();`
 */
export async function openStores(config: Config, wrapLog?: (log: EventLog) => EventLog): Promise<Stores> {
  await mkdir(config.dataDir, { recursive: true });
  const catalog = await openCatalog(config.catalog);
  const where = config.log;
  const opened =
    where.kind === 'nats'
      ? await openNatsEventLog({
          servers: where.servers,
          stream: where.stream,
          replicas: where.replicas,
          partitions: where.partitions,
        })
      : await openFileEventLog(join(config.dataDir, 'log'));
  const log = wrapLog?.(opened) ?? opened;
  const enrich = await openEnricher();
  return {
    catalog,
    log,
    profiles: createMemoryProfileStore(),
    enrich,
    async close() {
      await log.close();
      await catalog.close();
    },
  };
}

/**
 * The stores of an engine over adapters its process opened (scale-out, ADR 0035): a new profile store,
 * and `close` that leaves the shared adapters open for the process to close.
 *
 * Example: `const stores = await providedStores(config, { catalog, log: view, enrich });`
 */
export async function providedStores(
  config: Config,
  shared: Pick<Stores, 'catalog' | 'log' | 'enrich'>,
): Promise<Stores> {
  await mkdir(config.dataDir, { recursive: true });
  return { ...shared, profiles: createMemoryProfileStore(), close: () => Promise.resolve() };
}

/** The enricher of collected events: the geo database and a User-Agent parser with a 10,000-entry cache. */
export async function openEnricher(): Promise<Enricher> {
  return createEnricher({ geo: await openGeo(), userAgent: createUserAgentParser(10_000) });
}
