/**
 * A contract suite's test body run on a fresh fixture, closed after it whatever happens.
 *
 * Example: `const withStore = withFixture(open); it('reads back', withStore(async ({ store }) => { ... }));`
 */
export function withFixture<F extends { close(): Promise<void> }>(
  open: () => Promise<F>,
): (body: (fixture: F) => Promise<void>) => () => Promise<void> {
  return (body) => async () => {
    const fixture = await open();
    try {
      await body(fixture);
    } finally {
      await fixture.close();
    }
  };
}
