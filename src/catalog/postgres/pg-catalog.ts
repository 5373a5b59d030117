import pg from 'pg';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Catalog } from '../catalog.ts';
import { pgAuditLog } from './pg-audit-log.ts';
import { pgCampaigns } from './pg-campaigns.ts';
import type { CatalogChange, CatalogListener } from '../catalog-changes.ts';
import { listenForChanges } from './pg-changes.ts';
import { pgDataSources } from './pg-data-sources.ts';
import { pgDestinations } from './pg-destinations.ts';
import { pgIdentitySettings } from './pg-identity-settings.ts';
import { migratePostgres, postgresMigrations } from './pg-migrations.ts';
import { pgOptOuts } from './pg-opt-outs.ts';
import { pgPartners } from './pg-partners.ts';
import { pgRuns } from './pg-runs.ts';
import { pgSegmentSizes } from './pg-segment-sizes.ts';
import { pgSegments } from './pg-segments.ts';
import { pgSiteKeys } from './pg-site-keys.ts';
import { pgContext, pgTypes } from './pg-sql.ts';
import { pgTenants } from './pg-tenants.ts';
import { pgTraits } from './pg-traits.ts';
import { pgUsers } from './pg-users.ts';

/** Options of `openPostgresCatalog`; the defaults are right outside tests. */
export interface PostgresCatalogOptions {
  /** the clock for created/updated times; defaults to the system clock */
  clock?: Clock;
  /** the schema to keep the tables in (created if missing); defaults to the connection's `search_path` */
  schema?: string;
  /** the most connections the pool opens (default 10), besides the one every `listen` shares */
  maxConnections?: number;
}

/** The catalog on PostgreSQL: every store, and `listen` for the changes any process commits. */
export interface PostgresCatalog extends Catalog {
  /**
   * Calls `onChange` for each committed change (`pg-changes.ts`); resolves once listening. Every listener
   * of one catalog shares one connection (a worker's engines each listen), closed with the last of them.
   */
  listen(onChange: (change: CatalogChange) => void): Promise<CatalogListener>;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens (migrating as needed) the catalog in a PostgreSQL database: the same stores and answers as
 * `openSqliteCatalog`, over a pool of connections, each write in a transaction that announces itself
 * with `NOTIFY dmp_catalog, '<tenant>:<kind>'` on commit. `close()` ends the pool and every listener.
 *
 * Example:
 * ```ts
 * const catalog = await openPostgresCatalog('postgres://dmp@db:5432/dmp');
 * const listener = await catalog.listen(({ tenant, kind }) => console.log(tenant, kind));
 * await catalog.createTenant('acme'); // every process's listener hears 'acme' 'tenant'
 * await catalog.close();
 * ```
 */
export async function openPostgresCatalog(
  url: string,
  options: PostgresCatalogOptions = {},
): Promise<PostgresCatalog> {
  const { schema } = options;
  if (schema !== undefined && !schemaName.test(schema)) {
    throw new Error(`schema must be lower-case letters, digits and _, not '${schema}'`);
  }
  const config: pg.ClientConfig = {
    connectionString: url,
    types: pgTypes,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  };
  const pool = new pg.Pool({ ...config, max: options.maxConnections ?? 10 });
  // an idle connection the server closed: the pool drops it and the next query opens another
  pool.on('error', () => undefined);
  try {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migratePostgres(pool, postgresMigrations);
  } catch (error) {
    await pool.end();
    throw new Error(`cannot open the catalog at ${withoutPassword(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const clock = options.clock ?? systemClock;
  const ctx = pgContext(pool, () => new Date(clock.now()).toISOString());
  /** the handlers of open listeners, and the one connection they share while any is open */
  const handlers = new Set<(change: CatalogChange) => void>();
  let shared: Promise<CatalogListener> | undefined;
  const hearAll = (change: CatalogChange): void => {
    for (const handler of [...handlers]) handler(change);
  };
  const stopSharing = async (): Promise<void> => {
    const listening = shared;
    shared = undefined;
    await (await listening?.catch(() => undefined))?.close();
  };
  let closed = false;
  return {
    ...pgTenants(ctx),
    ...pgSiteKeys(ctx),
    ...pgDataSources(ctx),
    ...pgAuditLog(ctx),
    ...pgOptOuts(ctx),
    ...pgTraits(ctx),
    ...pgSegments(ctx),
    ...pgSegmentSizes(ctx),
    ...pgDestinations(ctx),
    ...pgRuns(ctx),
    ...pgCampaigns(ctx),
    ...pgPartners(ctx),
    ...pgIdentitySettings(ctx),
    ...pgUsers(ctx),
    async listen(onChange) {
      if (closed) throw new Error('the catalog is closed');
      const handler = (change: CatalogChange): void => onChange(change);
      handlers.add(handler);
      try {
        shared ??= listenForChanges(config, hearAll);
        await shared;
      } catch (error) {
        handlers.delete(handler);
        if (handlers.size === 0) shared = undefined;
        throw error;
      }
      return {
        async close() {
          if (handlers.delete(handler) && handlers.size === 0) await stopSharing();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await stopSharing();
      await pool.end();
    },
  };
}

/**
 * A connection URL fit for a message: the password replaced by `***`.
 *
 * Example: `withoutPassword('postgres://dmp:s3cret@db/dmp')` -> `'postgres://dmp:***@db/dmp'`.
 */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a connection string that is not a URL)';
  }
}
