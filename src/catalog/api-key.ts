import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A newly made API key: `key` is shown once; only `id`, `secretSha256` and `lastFour` are stored. */
export interface NewApiKey {
  key: string;
  id: string;
  secretSha256: Buffer;
  lastFour: string;
}

/** The two parts of a well-formed API key. */
export interface ApiKeyParts {
  id: string;
  secret: string;
}

// 64 bits of key ID (hex, so it never contains the `_` separator) and 256 bits of secret.
const apiKeyPattern = /^dmp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * Makes an API key `dmp_<keyId>_<secret>`: a 16-hex-digit key ID and a 32-byte base64url secret.
 *
 * Example: `generateApiKey().key` -> `"dmp_3f2a9c0d1b7e4a65_q0Yx...43 chars"`.
 */
export function generateApiKey(): NewApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `dmp_${id}_${secret}`, id, secretSha256: sha256(secret), lastFour: secret.slice(-4) };
}

/**
 * Splits an API key into its ID and secret; `undefined` for anything that is not a well-formed key.
 *
 * Example: `parseApiKey('dmp_3f2a9c0d1b7e4a65_' + 'A'.repeat(43))` -> `{ id: '3f2a9c0d1b7e4a65', secret: 'AAA...' }`;
 * `parseApiKey('nonsense')` -> `undefined`.
 */
export function parseApiKey(key: unknown): ApiKeyParts | undefined {
  if (typeof key !== 'string') return undefined;
  const match = apiKeyPattern.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { id: match[1], secret: match[2] };
}

/**
 * Whether `secret` hashes to `storedSha256`, compared in constant time.
 *
 * Example: `secretMatches(parts.secret, row.secret_sha256)` -> `true` for the key's own secret.
 */
export function secretMatches(secret: string, storedSha256: Buffer): boolean {
  const actual = sha256(secret);
  return actual.length === storedSha256.length && timingSafeEqual(actual, storedSha256);
}

/**
 * Makes a site key `site_<random>`: public (it goes into pages), so it is stored as is.
 *
 * Example: `generateSiteKey()` -> `"site_Jx3k..."` (24 random base64url characters).
 */
export function generateSiteKey(): string {
  return `site_${randomBytes(18).toString('base64url')}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
