import type { Clock } from '../../../src/core/clock.ts';
import { manualClock } from '../../../src/core/clock.ts';
import { CatalogError } from '../../../src/catalog/catalog-error.ts';

/** 2026-01-01T00:00:00.000Z: the time every contract test starts at (`createdAt` values are checked). */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * Stores of one adapter under test, opened fresh for one test.
 *
 * Example: `const { stores, reopen } = fixture; await stores.createTenant('acme'); const again = await reopen();`
 */
export interface StoreFixture<S> {
  stores: S;
  /**
   * The stores as a restarted process sees them: a durable adapter is closed and opened again on the
   * same data; an adapter that keeps nothing (the in-memory fake) gives the same stores. Use the result
   * from then on.
   */
  reopen: () => Promise<S>;
  /** Closes the stores and deletes what they wrote. */
  close: () => Promise<void>;
}

/**
 * How a contract suite opens an adapter: fresh, empty stores whose timestamps come from `clock`.
 *
 * Example: `const open: OpenStores<Catalog> = async (clock) => { const c = createMemoryCatalog({ clock }); return { stores: c, reopen: async () => c, close: () => c.close() }; };`
 */
export type OpenStores<S> = (clock: Clock) => Promise<StoreFixture<S>>;

/**
 * Opens the adapter on a manual clock at `T0`, runs `fn`, and always closes it.
 *
 * Example: `await withStores(open, async ({ stores, clock }) => { clock.advance(1000); ... })`.
 */
export async function withStores<S>(
  open: OpenStores<S>,
  fn: (fixture: StoreFixture<S> & { clock: ReturnType<typeof manualClock> }) => Promise<void>,
): Promise<void> {
  const clock = manualClock(T0);
  const fixture = await open(clock);
  try {
    await fn({ ...fixture, clock });
  } finally {
    await fixture.close();
  }
}

/**
 * A predicate for `assert.rejects`: a `CatalogError` with this code whose message matches.
 *
 * Example: `await assert.rejects(stores.deleteTrait('acme', 'x'), failsWith('not_found', /'x'/));`
 */
export function failsWith(code: CatalogError['code'], pattern: RegExp = /./): (e: unknown) => boolean {
  return (e) => e instanceof CatalogError && e.code === code && pattern.test(e.message);
}
