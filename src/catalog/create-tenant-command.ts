import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CreatedTenant } from './catalog.ts';
import { openCatalog } from './open-catalog.ts';

/**
 * `dmp tenant create NAME [--data DIR | --catalog URL]`: creates a tenant in the catalog (by default
 * `<dataDir>/catalog.sqlite`, making the folder and the database if needed; or the PostgreSQL catalog
 * `catalogAt` names) and returns its ID and keys, which are shown only this once.
 *
 * Example:
 * ```ts
 * const created = await createTenantCommand('./data', 'acme');
 * console.log(JSON.stringify(created)); // {"tenant":"acme","apiKey":"dmp_...","siteKey":"site_..."}
 * ```
 */
export async function createTenantCommand(
  dataDir: string,
  name: string,
  catalogAt = join(dataDir, 'catalog.sqlite'),
): Promise<CreatedTenant> {
  if (!/^postgres(ql)?:\/\//i.test(catalogAt)) await mkdir(dirname(catalogAt), { recursive: true });
  const catalog = await openCatalog(catalogAt);
  try {
    const { tenant, apiKey, siteKey } = await catalog.createTenant(name);
    return { tenant, apiKey, siteKey };
  } finally {
    await catalog.close();
  }
}
