/**
 * A bounded cache that keeps recently used entries: an approximate LRU made of two generations of
 * `Map`s. New entries go into the young generation; when it is full, it becomes the old one and the
 * previous old one is dropped; a hit in the old generation moves the entry back to the young one.
 * Every operation is O(1) with no per-hit reordering, which makes hits cheaper than a strict LRU.
 * It holds at most `capacity` entries.
 *
 * Example:
 * ```ts
 * const cache = createLruCache<string, number>(1000);
 * cache.set('a', 1);
 * cache.get('a'); // 1
 * ```
 */
export interface LruCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  /** the number of entries held */
  readonly size: number;
}

/** Makes an empty `LruCache` holding at most `capacity` (>= 2) entries. Example: `createLruCache(10_000)`. */
export function createLruCache<K, V>(capacity: number): LruCache<K, V> {
  const generation = Math.max(1, Math.floor(capacity / 2));
  let young = new Map<K, V>();
  let old = new Map<K, V>();
  const set = (key: K, value: V): void => {
    if (young.size >= generation) {
      old = young;
      young = new Map<K, V>();
    }
    young.set(key, value);
  };
  return {
    get(key) {
      const hit = young.get(key);
      if (hit !== undefined) return hit;
      const aged = old.get(key);
      if (aged !== undefined) {
        old.delete(key);
        set(key, aged);
      }
      return aged;
    },
    set(key, value) {
      old.delete(key);
      set(key, value);
    },
    get size() {
      return young.size + old.size;
    },
  };
}
