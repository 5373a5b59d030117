import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreatedTenant } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

/**
 * `dmp tenant create NAME [--data DIR]`: creates a tenant in `<dataDir>/catalog.sqlite` (making the
 * folder and the database if needed) and returns its ID and keys, which are shown only this once.
 *
 * Example:
 * ```ts
 * const created = await createTenantCommand('./data', 'acme');
 * console.log(JSON.stringify(created)); // {"tenant":"acme","apiKey":"dmp_...","siteKey":"site_..."}
 * ```
 */
export async function createTenantCommand(dataDir: string, name: string): Promise<CreatedTenant> {
  await mkdir(dataDir, { recursive: true });
  const catalog = await openSqliteCatalog(join(dataDir, 'catalog.sqlite'));
  try {
    const { tenant, apiKey, siteKey } = await catalog.createTenant(name);
    return { tenant, apiKey, siteKey };
  } finally {
    await catalog.close();
  }
}
