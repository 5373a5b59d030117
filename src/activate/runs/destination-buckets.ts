import type { Destination } from '../../core/activation/index.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * The token bucket of each destination with a rate limit, kept across runs (a re-run does not get a fresh
 * burst) and made anew when the limit changes.
 *
 * Example: `buckets.for('t1', hook)?.take(signal)` -> waits for the destination's next slot
 */
export class DestinationBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  /** The destination's bucket; undefined when it has no rate limit. */
  for(tenant: string, destination: Destination): TokenBucket | undefined {
    const rate = destination.rateLimitPerSecond;
    if (rate === undefined || rate <= 0) return undefined;
    const key = `${tenant}\n${destination.code}`;
    let bucket = this.buckets.get(key);
    if (bucket?.ratePerSecond !== rate) {
      bucket = new TokenBucket(rate);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
