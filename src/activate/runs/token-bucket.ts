import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket: `ratePerSecond` tokens a second, at most `capacity` saved up (1: requests are evenly
 * paced, no burst). Callers are served in order.
 *
 * Example:
 * ```ts
 * const bucket = new TokenBucket(5);
 * await bucket.take(); // at most one call every 200 ms
 * ```
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly capacity = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Resolves when a token is taken; rejects only when `signal` is aborted while waiting. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.acquire(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async acquire(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
      await sleep(Math.max(1, waitMs), undefined, signal === undefined ? {} : { signal });
    }
  }
}
