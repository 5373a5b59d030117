import type { SiteKey } from './site-key-store.ts';

/** A row of `site_keys`, as SQLite and PostgreSQL return it; `origins` is a JSON array. */
export interface SiteKeyRow {
  key: string;
  tenant: string;
  origins: string;
  created_at: string;
}

/** The columns of `site_keys` that `SiteKeyRow` holds, for SELECT and RETURNING lists. */
export const siteKeyColumns = 'key, tenant, origins, created_at';

/**
 * A site key from its row.
 *
 * Example: `toSiteKey(row)` -> `{ key: 'sk_...', origins: ['https://shop.example.com'], createdAt }`.
 */
export function toSiteKey(row: SiteKeyRow): SiteKey {
  return { key: row.key, origins: originsFromJson(row.origins), createdAt: row.created_at };
}

/**
 * The origins of a row's JSON text: its strings, or none if it is not an array.
 *
 * Example: `originsFromJson('["https://a.example", 3]')` -> `['https://a.example']`.
 */
export function originsFromJson(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
}
