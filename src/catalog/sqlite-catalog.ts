import Database from 'better-sqlite3';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Catalog } from './catalog.ts';
import type { CatalogContext } from './catalog-context.ts';
import { catalogMigrations } from './migrations/catalog-migrations.ts';
import { migrate } from './migrations/migrate.ts';
import { sqliteAuditLog } from './sqlite-audit-log.ts';
import { sqliteDataSources } from './sqlite-data-sources.ts';
import { sqliteIdentitySettings } from './sqlite-identity-settings.ts';
import { sqliteOptOuts } from './sqlite-opt-outs.ts';
import { sqlitePartners } from './sqlite-partners.ts';
import { sqliteSegments } from './sqlite-segments.ts';
import { sqliteSegmentSizes } from './sqlite-segment-sizes.ts';
import { sqliteDestinations } from './sqlite-destinations.ts';
import { sqliteRuns } from './sqlite-runs.ts';
import { sqliteCampaigns } from './sqlite-campaigns.ts';
import { sqliteSiteKeys } from './sqlite-site-keys.ts';
import { sqliteTenants } from './sqlite-tenants.ts';
import { sqliteTraits } from './sqlite-traits.ts';
import { sqliteUsers } from './sqlite-users.ts';

/** Options of `openSqliteCatalog`; the defaults are right outside tests. */
export interface SqliteCatalogOptions {
  /** the clock for created/updated times; defaults to the system clock */
  clock?: Clock;
}

/**
 * Opens (creating or migrating as needed) the catalog in a SQLite file, or `':memory:'`.
 * better-sqlite3 is synchronous; the methods are async so that a PostgreSQL adapter fits the same port.
 * The file is in WAL mode with foreign keys on; `close()` releases it.
 *
 * Example:
 * ```ts
 * const catalog = await openSqliteCatalog('data/catalog.sqlite');
 * const { tenant, apiKey, siteKey } = await catalog.createTenant('acme');
 * await catalog.authenticateApiKey(apiKey); // -> 'acme'
 * await catalog.close();
 * ```
 */
export async function openSqliteCatalog(file: string, options: SqliteCatalogOptions = {}): Promise<Catalog> {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // a deletion's rewrites (dead letters) leave no copy of the old rows in freed pages
    db.pragma('secure_delete = ON');
    migrate(db, catalogMigrations);
    const clock = options.clock ?? systemClock;
    const ctx: CatalogContext = { db, now: () => new Date(clock.now()).toISOString() };
    return {
      ...sqliteTenants(ctx),
      ...sqliteSiteKeys(ctx),
      ...sqliteDataSources(ctx),
      ...sqliteAuditLog(ctx),
      ...sqliteOptOuts(ctx),
      ...sqliteTraits(ctx),
      ...sqliteSegments(ctx),
      ...sqliteSegmentSizes(ctx),
      ...sqliteDestinations(ctx),
      ...sqliteRuns(ctx),
      ...sqliteCampaigns(ctx),
      ...sqlitePartners(ctx),
      ...sqliteIdentitySettings(ctx),
      ...sqliteUsers(ctx),
      async close() {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
