/** How many seconds the rate looks back over. */
export const RATE_WINDOW_S = 60;

/** One tenant's ring of per-second counts: slot `s % window` holds second `s` (epoch seconds). */
interface Ring {
  seconds: Float64Array;
  counts: Float64Array;
}

/**
 * Accepted events per tenant over the last minute, in memory: a ring of 60 per-second counts per tenant
 * (about 1 KB each), so adding is O(1) and reading is O(60). Nothing is kept across restarts: the rate of
 * a restarted server starts from zero.
 *
 * Example:
 * ```ts
 * const rate = new EventRate();
 * rate.add('acme', 30, Date.parse('2026-12-07T10:00:00Z'));
 * rate.lastWindow('acme', Date.parse('2026-12-07T10:00:59Z')); // -> 30
 * rate.lastWindow('acme', Date.parse('2026-12-07T10:01:00Z')); // -> 0 (60 s later)
 * ```
 */
export class EventRate {
  private readonly rings = new Map<string, Ring>();

  constructor(readonly windowS = RATE_WINDOW_S) {}

  /** Counts `n` events accepted for the tenant at `nowMs`. */
  add(tenant: string, n: number, nowMs: number): void {
    if (n <= 0) return;
    let ring = this.rings.get(tenant);
    if (ring === undefined) {
      ring = { seconds: new Float64Array(this.windowS).fill(-1), counts: new Float64Array(this.windowS) };
      this.rings.set(tenant, ring);
    }
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.windowS;
    const held = ring.seconds[slot] ?? -1;
    // a second older than the one the slot holds is out of every window still read
    if (second < held) return;
    if (held !== second) {
      ring.seconds[slot] = second;
      ring.counts[slot] = 0;
    }
    ring.counts[slot] = (ring.counts[slot] ?? 0) + n;
  }

  /** Events the tenant accepted in the `windowS` seconds up to and including the second of `nowMs`. */
  lastWindow(tenant: string, nowMs: number): number {
    const ring = this.rings.get(tenant);
    if (ring === undefined) return 0;
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    ring.seconds.forEach((second, slot) => {
      if (second > now - this.windowS && second <= now) sum += ring.counts[slot] ?? 0;
    });
    return sum;
  }
}
