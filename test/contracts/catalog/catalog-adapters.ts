import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../../src/catalog/catalog.ts';
import { openSqliteCatalog } from '../../../src/catalog/sqlite-catalog.ts';
import { createMemoryCatalog } from '../../../src/catalog/testing/memory-catalog.ts';
import { openPostgresFixture } from './postgres-test-database.ts';
import type { OpenStores } from './store-fixture.ts';

/** A catalog adapter every catalog contract suite runs against. */
export interface CatalogAdapter {
  name: string;
  open: OpenStores<Catalog>;
}

/**
 * The embedded adapter on a file (so that `reopen` is a real close and open), and the in-memory fake.
 * A new adapter (PostgreSQL, ADR 0026) is added here and must pass every suite.
 *
 * Example: `for (const adapter of catalogAdapters) traitStoreContract(adapter.name, adapter.open);`
 */
export const catalogAdapters: readonly CatalogAdapter[] = [
  {
    name: 'SQLite (file)',
    open: async (clock) => {
      const dir = await mkdtemp(join(tmpdir(), 'dmp-catalog-contract-'));
      const file = join(dir, 'catalog.sqlite');
      let current = await openSqliteCatalog(file, { clock });
      return {
        stores: current,
        reopen: async () => {
          await current.close();
          current = await openSqliteCatalog(file, { clock });
          return current;
        },
        close: async () => {
          await current.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'memory (fake)',
    open: async (clock) => {
      const catalog = createMemoryCatalog({ clock });
      return { stores: catalog, reopen: async () => catalog, close: () => catalog.close() };
    },
  },
  {
    // its own database per test process (on DMP_TEST_POSTGRES_URL's server), emptied before each test;
    // without a server each of its tests fails saying how to start one
    name: 'PostgreSQL',
    open: openPostgresFixture,
  },
];
