import type { Clock } from '../core/clock.ts';
import type { Catalog } from './catalog.ts';
import { openPostgresCatalog } from './postgres/pg-catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

/** Options of `openCatalog`; the defaults are right outside tests. */
export interface OpenCatalogOptions {
  /** the clock for created/updated times; defaults to the system clock */
  clock?: Clock;
}

const postgresUrl = /^postgres(ql)?:\/\//i;

/**
 * Opens the catalog a location names: a `postgres://` (or `postgresql://`) URL is the PostgreSQL
 * catalog (`openPostgresCatalog`, with `listen`), anything else the SQLite file at that path.
 *
 * Example:
 * ```ts
 * await openCatalog('data/catalog.sqlite'); // SQLite
 * await openCatalog('postgres://dmp@db:5432/dmp'); // PostgreSQL; catalog.listen?.(...) hears every process
 * ```
 */
export async function openCatalog(location: string, options: OpenCatalogOptions = {}): Promise<Catalog> {
  return postgresUrl.test(location)
    ? openPostgresCatalog(location, options)
    : openSqliteCatalog(location, options);
}
