import type { LinkedId } from './profile-ids.ts';

/** the largest learnt time kept: seconds + 1 in a Uint32, so up to the year 2106 */
const MAX_LEARNT = 2 ** 32 - 1;

/**
 * A learnt time as the index keeps it: whole seconds of epoch ms, plus 1, so that 0 means none (no
 * time given, or not a non-negative number). Example: `learntSeconds(1_500) === 2`.
 */
export function learntSeconds(ms: number | undefined): number {
  if (ms === undefined || !(ms >= 0)) return 0;
  return Math.min(MAX_LEARNT, Math.floor(ms / 1000) + 1);
}

/** The epoch ms of a kept learnt time (rounded down to the second); NaN for none. */
export function learntMs(s: number): number {
  return s === 0 ? NaN : (s - 1) * 1000;
}

/** The order in which IDs are kept over `perProfile`: newest first, then by type, then by value. */
export function keptFirst(a: LinkedId, b: LinkedId): number {
  const byTime = finite(b.learntAt) - finite(a.learntAt);
  if (byTime !== 0) return byTime;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** A learnt time as the identity rules order them: none (NaN) is the oldest, 0. */
function finite(ms: number): number {
  return Number.isFinite(ms) ? ms : 0;
}
