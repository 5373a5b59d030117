import { createHash } from 'node:crypto';

/** One ID as an event names it: `[type, value]`. */
export type BenchId = readonly [type: string, value: string];

/**
 * The IDs of synthetic profile `i` for the resolve and memory benches, shaped as the IDs a tenant
 * holds: our cookie (`c-` and 20 base-36 characters, as the demo's uids), a MAID (36-character
 * canonical UUID), an e-mail hash (64 hex characters) and a partner's ID (16 characters). Every
 * profile has the cookie; 1 in 2 a MAID, 1 in 3 an e-mail hash, 2 in 3 a partner ID, so the index
 * holds about 2.5 IDs a profile of 4 types, as a tenant with ID sync and logins would.
 * Deterministic, and no two profiles share an ID. Example: `benchIds(0)` ->
 * `[['uid', 'c-00000000000000000000'], ['maid', '00000000-...'], ['email_sha256', '5feceb66...'], ['ssp_a', 'A-00000000000000']]`.
 */
export function benchIds(i: number): BenchId[] {
  const ids: BenchId[] = [['uid', `c-${i.toString(36).padStart(20, '0')}`]];
  if (i % 2 === 0) ids.push(['maid', maidOf(i)]);
  if (i % 3 === 0) ids.push(['email_sha256', sha256(`user-${i}@example.com`)]);
  if (i % 3 !== 1) ids.push(['ssp_a', `A-${i.toString(16).padStart(14, '0')}`]);
  return ids;
}

/** A canonical lower-case UUID made from `i`. Example: `maidOf(1)` -> `'00000000-0000-4000-8000-000000000001'`. */
export function maidOf(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** SHA-256 hex of a text. Example: `sha256('a')` -> `'ca978112...'`. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The UTF-8 bytes of the IDs' values (the IDs' own bytes, which the per-ID overhead excludes). */
export function ownBytes(ids: readonly BenchId[]): number {
  let n = 0;
  for (const [, value] of ids) n += Buffer.byteLength(value);
  return n;
}

/** A deterministic pseudo-random generator (mulberry32). Example: `const rnd = random(7); rnd()` -> `0.1...`. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `0 .. n-1` in a deterministic random order. Example: `shuffled(3, random(1))` -> `Uint32Array [2, 0, 1]`. */
export function shuffled(n: number, rnd: () => number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
