import { Redis } from 'ioredis';

/** Segment memberships copied into Redis as one set per visitor, under a prefix unique to the run. */
export interface RedisMemberships {
  redis: Redis;
  /** the key prefix, e.g. `opendmp-bench:1763632800000:4242:` */
  prefix: string;
  key(uid: string): string;
  /** deletes every key under the prefix and closes the connection */
  close(): Promise<void>;
}

/**
 * Connects to the local Redis (127.0.0.1:6379) and writes `SADD PREFIX+uid segment...` for each visitor.
 * Example: `const r = await writeMemberships(new Map([['c-1', ['london_pricing']]])); await r.redis.smembers(r.key('c-1'))`.
 */
export async function writeMemberships(
  memberships: ReadonlyMap<string, readonly string[]>,
  url = 'redis://127.0.0.1:6379',
): Promise<RedisMemberships> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `opendmp-bench:${Date.now()}:${process.pid}:`;
  const key = (uid: string): string => `${prefix}${uid}`;
  let pipeline = redis.pipeline();
  let queued = 0;
  for (const [uid, segments] of memberships) {
    if (segments.length === 0) continue;
    pipeline.sadd(key(uid), ...segments);
    if (++queued % 1000 === 0) {
      await pipeline.exec();
      pipeline = redis.pipeline();
    }
  }
  await pipeline.exec();
  return {
    redis,
    prefix,
    key,
    async close() {
      await deletePrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** Deletes every key starting with `prefix` (SCAN, then DEL in batches). Example: `await deletePrefix(redis, 'opendmp-bench:1:2:')`. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
