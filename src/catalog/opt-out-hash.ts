import { createHash, createHmac, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * How a tenant names a visitor wherever the ID itself must not be kept (opt-outs, audit entries):
 * HMAC-SHA-256, keyed with the tenant's own secret (`Catalog.visitorKey`), of the ID type, a NUL and the
 * ID (UTF-8). Without the key nobody can test a guessed ID against it, and the same ID gives different
 * hashes in different tenants. The NUL keeps `('ab', 'c')` and `('a', 'bc')` apart. The ID is taken as
 * given: normalise it (an e-mail's case, say) before calling.
 *
 * Example: `visitorHash(key, 'cookie', 'c-123')` -> 64 hex digits; the collector checks
 * `cache.has(visitorHash(key, type, id))` against `listOptOutHashes(tenant).keyed`.
 */
export function visitorHash(key: VisitorKey, idType: string, id: string): string {
  return visitorDigest(key, idType, id).toString('hex');
}

/**
 * `visitorHash` as 32 raw bytes, as the catalog stores it.
 *
 * Example: `visitorDigest(key, 'cookie', 'c-123').length` -> `32`.
 */
export function visitorDigest(key: VisitorKey, idType: string, id: string): Buffer {
  return createHmac('sha256', key).update(`${idType}\u0000${id}`, 'utf8').digest();
}

/**
 * A tenant's visitor key ready for `visitorHash`: a `KeyObject` made once, so each hash costs about what
 * a bare SHA-256 does (a raw `Buffer` key is imported again at every call, about 1.5x slower).
 *
 * Example: `const key = visitorKeyObject(await catalog.visitorKey('acme'))`.
 */
export function visitorKeyObject(secret: Buffer): KeyObject {
  return createSecretKey(secret);
}

/** A tenant's visitor key: the 32 secret bytes, or the `KeyObject` made of them. */
export type VisitorKey = Buffer | KeyObject;

/**
 * The legacy form of an opted-out ID, kept by catalogs before visitor keys (schema version 12): the bare
 * SHA-256, in hex, of the ID type, a NUL and the ID. Anyone can recompute it from a guessed ID, so it is
 * never written any more; rows still in this form are checked in it until the ID opts out again.
 *
 * Example: `optOutHash('cookie', 'c-123')` -> 64 hex digits.
 */
export function optOutHash(idType: string, id: string): string {
  return optOutDigest(idType, id).toString('hex');
}

/**
 * `optOutHash` as 32 raw bytes, as the catalog stored it.
 *
 * Example: `optOutDigest('cookie', 'c-123').length` -> `32`.
 */
export function optOutDigest(idType: string, id: string): Buffer {
  return createHash('sha256').update(`${idType}\u0000${id}`, 'utf8').digest();
}
