import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import type { Catalog } from '../catalog.ts';
import { openSqliteCatalog } from '../sqlite-catalog.ts';

/** A catalog under test and a way to see it as a restarted process would. */
export interface CatalogStore {
  catalog: Catalog;
  /** Closes and reopens a file catalog (for `:memory:`, the same catalog); use the result afterwards. */
  reopen: () => Promise<Catalog>;
}

/**
 * Runs `fn` against a `:memory:` catalog and against a file catalog it can reopen, closing and deleting
 * both afterwards; `fn` gets the storage's name for assertion messages.
 *
 * Example:
 * ```ts
 * await eachCatalogStore(async ({ catalog, reopen }) => {
 *   await catalog.createTenant('a');
 *   assert.ok(await (await reopen()).getTenant('a'));
 * });
 * ```
 */
export async function eachCatalogStore(
  fn: (store: CatalogStore, storage: 'memory' | 'file') => Promise<void>,
  clock?: Clock,
): Promise<void> {
  const options = clock ? { clock } : {};
  const memory = await openSqliteCatalog(':memory:', options);
  try {
    await fn({ catalog: memory, reopen: async () => memory }, 'memory');
  } finally {
    await memory.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'dmp-catalog-store-'));
  const file = join(dir, 'catalog.sqlite');
  let current: Catalog = await openSqliteCatalog(file, options);
  try {
    const reopen = async (): Promise<Catalog> => {
      await current.close();
      current = await openSqliteCatalog(file, options);
      return current;
    };
    await fn({ catalog: current, reopen }, 'file');
  } finally {
    await current.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
