import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Catalog } from '../catalog.ts';
import { newCatalogState } from './memory-catalog-state.ts';
import { memoryIdentitySettings } from './memory-identity-settings.ts';
import {
  memoryAuditLog,
  memoryCampaigns,
  memoryDestinations,
  memoryRuns,
  memorySegmentSizes,
} from './memory-records.ts';
import { memoryPartners } from './memory-partners.ts';
import { memoryDataSources, memorySegments, memoryTraits } from './memory-rules.ts';
import { memoryOptOuts, memorySiteKeys, memoryTenants } from './memory-tenants.ts';
import { memoryUsers } from './memory-users.ts';

/** Options of `createMemoryCatalog`. */
export interface MemoryCatalogOptions {
  /** the clock for created/updated times; defaults to the system clock */
  clock?: Clock;
}

/**
 * A `Catalog` held in plain maps, for tests that want a catalog and not SQLite: it passes the same
 * contract suites as `openSqliteCatalog` (`test/contracts/catalog`), without opening a database or
 * running the schema steps. Nothing is kept after the process ends; values are stored as JSON text, so
 * a caller changing an object it passed in or got back changes nothing stored. Test code only: the
 * layer check keeps production code from importing `testing/`.
 *
 * Example:
 * ```ts
 * const catalog = createMemoryCatalog({ clock: manualClock(t0) });
 * const { tenant } = await catalog.createTenant('acme');
 * const sources = new SourceService(catalog, new Audit(catalog), new Revision());
 * ```
 */
export function createMemoryCatalog(options: MemoryCatalogOptions = {}): Catalog {
  const clock = options.clock ?? systemClock;
  const state = newCatalogState(() => new Date(clock.now()).toISOString());
  let open = true;
  const stores = {
    ...memoryTenants(state),
    ...memorySiteKeys(state),
    ...memoryDataSources(state),
    ...memoryAuditLog(state),
    ...memoryOptOuts(state),
    ...memoryTraits(state),
    ...memorySegments(state),
    ...memorySegmentSizes(state),
    ...memoryDestinations(state),
    ...memoryRuns(state),
    ...memoryCampaigns(state),
    ...memoryPartners(state),
    ...memoryIdentitySettings(state),
    ...memoryUsers(state),
  };
  // every method fails once the catalog is closed, as a closed database connection does
  const guarded = Object.fromEntries(
    Object.entries(stores).map(([name, method]) => [
      name,
      (...args: unknown[]): Promise<unknown> =>
        open
          ? (method as (...a: unknown[]) => Promise<unknown>)(...args)
          : Promise.reject(new Error(`the catalog is closed (${name})`)),
    ]),
  ) as unknown as Omit<Catalog, 'close'>;
  return {
    ...guarded,
    async close() {
      open = false;
    },
  };
}
