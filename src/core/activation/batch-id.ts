import { createHash } from 'node:crypto';

/**
 * The ID of batch `index` of a run for a destination: the same run gives the same IDs, so a retried or
 * replayed batch is recognised by the partner (`Idempotency-Key`) and by us. UUID-shaped (version 8,
 * RFC 9562: name-based with SHA-256), from the destination code, the run ID and the index.
 *
 * Example: `batchId({ code: 'ttd' }, 'run-2024-01-15T10:00', 3)` -> `'4c1f…-…'` (always the same)
 */
export function batchId(destination: { code: string }, runId: string, index: number): string {
  const hex = createHash('sha256').update(`${destination.code}\n${runId}\n${index}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Items cut into batches of at most `size` (the last may be shorter), in order.
 *
 * Example: `splitBatches(['a', 'b', 'c'], 2)` -> `[['a', 'b'], ['c']]`
 */
export function splitBatches<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += step) batches.push(items.slice(i, i + step));
  return batches;
}
