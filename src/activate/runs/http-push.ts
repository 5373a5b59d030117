import { setImmediate as yieldToEvents, setTimeout as sleep } from 'node:timers/promises';
import type { Catalog } from '../../catalog/catalog.ts';
import type { HttpSettings, RetryPolicy } from '../../core/activation/index.ts';
import { batchId, retryDecision, splitBatches } from '../../core/activation/index.ts';
import type { HttpClient } from './http-client.ts';
import type { MemberChange } from './plan-changes.ts';
import type { TokenBucket } from './token-bucket.ts';

/**
 * The body of one batch, as the partner receives it.
 *
 * Example: `{ batchId: '4c1f…', destination: 'crm-hook', runId: 'r1', added: [{ id: 'c-1', segments: ['483'] }],
 *   removed: ['c-9'] }`
 */
export interface BatchPayload {
  batchId: string;
  destination: string;
  runId: string;
  added: { id: string; segments: string[] }[];
  removed: string[];
}

/**
 * What became of one batch. Example: `{ index: 0, batchId: '4c1f…', added: 100, removed: 2, attempts: 3,
 *   status: 'acknowledged' }`
 */
export interface BatchOutcome {
  index: number;
  batchId: string;
  added: number;
  removed: number;
  attempts: number;
  status: 'acknowledged' | 'dead-lettered';
  reason?: string;
}

/**
 * One push of a run's changes. Example: `{ tenant: 't1', destination: 'hook', settings, runId: 'r1', changes,
 *   headers: { authorization: 'Bearer x' }, client: guardedHttpClient(policy), bucket, policy, timeoutMs: 10_000, catalog }`
 */
export interface HttpPushInput {
  tenant: string;
  destination: string;
  settings: HttpSettings;
  runId: string;
  changes: readonly MemberChange[];
  /** the destination's own headers (its credentials) */
  headers: Readonly<Record<string, string>>;
  client: HttpClient;
  /** the destination's rate limit, when it has one */
  bucket?: TokenBucket;
  policy: RetryPolicy;
  timeoutMs: number;
  catalog: Pick<Catalog, 'addDeadLetter'>;
  signal?: AbortSignal;
}

/**
 * Posts the changes in batches of `settings.batchSize`, one after the other, each with
 * `Idempotency-Key: <batchId>` (the same for the same run and index, so a re-sent batch is recognised).
 * A batch is retried as `retryDecision` says (backoff with jitter, `Retry-After` honoured), within the
 * rate limit; one that is never acknowledged goes to the dead letters with its reason and payload.
 *
 * Example: `const outcomes = await pushBatches(input); outcomes.filter((o) => o.status === 'dead-lettered')`
 */
export async function pushBatches(input: HttpPushInput): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const [index, batch] of splitBatches(input.changes, input.settings.batchSize).entries()) {
    const payload = payloadOf(input, index, batch);
    outcomes.push(await deliver(input, index, payload));
    await yieldToEvents();
  }
  return outcomes;
}

function payloadOf(input: HttpPushInput, index: number, batch: readonly MemberChange[]): BatchPayload {
  const added: BatchPayload['added'] = [];
  const removed: string[] = [];
  for (const change of batch) {
    if (change.action === 'add') added.push({ id: change.id, segments: change.member.segmentIds });
    else removed.push(change.id);
  }
  const id = batchId({ code: input.destination }, input.runId, index);
  return { batchId: id, destination: input.destination, runId: input.runId, added, removed };
}

async function deliver(input: HttpPushInput, index: number, payload: BatchPayload): Promise<BatchOutcome> {
  const body = JSON.stringify(payload);
  const headers = { ...input.headers, 'Idempotency-Key': payload.batchId };
  const base = {
    index,
    batchId: payload.batchId,
    added: payload.added.length,
    removed: payload.removed.length,
  };
  for (let attempt = 1; ; attempt++) {
    input.signal?.throwIfAborted();
    await input.bucket?.take(input.signal);
    const outcome = await input.client.post({
      url: input.settings.url,
      body,
      headers,
      timeoutMs: input.timeoutMs,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    const decision = retryDecision(outcome, attempt, input.policy);
    if (decision.action === 'acknowledged') return { ...base, attempts: attempt, status: 'acknowledged' };
    if (decision.action === 'dead-letter') {
      await input.catalog.addDeadLetter(input.tenant, {
        destination: input.destination,
        runId: input.runId,
        batchId: payload.batchId,
        reason: decision.reason,
        attempts: attempt,
        payload,
      });
      return { ...base, attempts: attempt, status: 'dead-lettered', reason: decision.reason };
    }
    await sleep(decision.delayMs, undefined, input.signal === undefined ? {} : { signal: input.signal });
  }
}
