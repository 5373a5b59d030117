/**
 * The uids of the standard data set (ADR 0016): profile `n` of the generator with `seed` is the cookie ID
 * `profileUid(seed, n)`. Part of what a `demo` record means (its `except` list names profiles by number), so
 * it sits in core beside `DemoRecord`: the generator (src/demo) makes the uids, and the log's erase filter
 * (src/log/visitor-matcher.ts) reads a visitor's number back without depending on the generator.
 */

/**
 * A 32-bit integer hash with good avalanche (the murmur3 finaliser), used to derive seeds and IDs.
 * Example: `mix32(1)` -> 1364076727
 */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes two 32-bit integers into one. Example: `hash2(seed, profileIndex)` */
export function hash2(a: number, b: number): number {
  return mix32((mix32(a) ^ Math.imul(b >>> 0, 0x9e3779b1)) >>> 0);
}

/**
 * A profile's cookie ID: a hash of seed and index (so different seeds look different) followed by the
 * index (so IDs never collide). Example: `profileUid(42, 0)` -> `c-b9dac15f0`
 */
export function profileUid(seed: number, profile: number): string {
  return `c-${hex8(hash2(seed, profile))}${profile.toString(36)}`;
}

/**
 * The profile number of a uid made by `profileUid(seed, n)` with `n < profiles`, or undefined for any
 * other uid. Example: `demoProfileOf(42, 10, profileUid(42, 7))` -> `7`
 */
export function demoProfileOf(seed: number, profiles: number, uid: string): number | undefined {
  if (!uid.startsWith('c-') || uid.length < 11) return undefined;
  const n = parseInt(uid.slice(10), 36);
  if (!Number.isSafeInteger(n) || n < 0 || n >= profiles) return undefined;
  return profileUid(seed, n) === uid ? n : undefined;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
