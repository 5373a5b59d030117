/**
 * A dead letter's batch payload without the entries of `ids`: `added` loses the entries whose `id` is
 * one of them, `removed` loses those IDs; any other shape is left as it is. Every catalog adapter's
 * `eraseFromDeadLetters` rewrites a letter with this when the result differs.
 *
 * Example: `withoutIds({ added: [{ id: 'c-1' }, { id: 'c-2' }], removed: ['c-1'] }, new Set(['c-1']))`
 * -> `{ added: [{ id: 'c-2' }], removed: [] }`.
 */
export function withoutIds(payload: unknown, ids: ReadonlySet<string>): unknown {
  if (typeof payload !== 'object' || payload === null) return payload;
  const batch = { ...(payload as Record<string, unknown>) };
  if (Array.isArray(batch.added))
    batch.added = batch.added.filter(
      (entry: unknown) =>
        !(typeof entry === 'object' && entry !== null && ids.has(String((entry as { id?: unknown }).id))),
    );
  if (Array.isArray(batch.removed))
    batch.removed = batch.removed.filter((id: unknown) => !(typeof id === 'string' && ids.has(id)));
  return batch;
}
