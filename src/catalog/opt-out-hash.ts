import { createHash } from 'node:crypto';

/**
 * The only form in which an opted-out ID is stored or cached: the SHA-256, in hex, of the ID type, a NUL
 * and the ID (UTF-8). The NUL keeps `('ab', 'c')` and `('a', 'bc')` apart. The ID is taken as given:
 * normalise it (an e-mail's case, say) before calling.
 *
 * Example: `optOutHash('cookie', 'c-123')` -> 64 hex digits; the collector checks
 * `cache.has(optOutHash(type, id))` against `listOptOutHashes(tenant)`.
 */
export function optOutHash(idType: string, id: string): string {
  return optOutDigest(idType, id).toString('hex');
}

/**
 * `optOutHash` as 32 raw bytes, as the catalog stores it.
 *
 * Example: `optOutDigest('cookie', 'c-123').length` -> `32`.
 */
export function optOutDigest(idType: string, id: string): Buffer {
  return createHash('sha256').update(`${idType}\u0000${id}`, 'utf8').digest();
}
