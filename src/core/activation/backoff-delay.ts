/**
 * Retry timing for pushes to a destination: exponential backoff with full jitter (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"), capped.
 *
 * Example: `{ baseMs: 500, maxMs: 60_000, maxAttempts: 8, jitter: Math.random }`
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** attempts in all (the first one included) before a batch goes to the dead letters */
  maxAttempts: number;
  /** a number in [0, 1): `Math.random` in production, a fixed one in tests */
  jitter: () => number;
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry): a uniformly jittered delay
 * in [0, min(maxMs, baseMs * 2^(attempt - 1))]. A jitter outside [0, 1] is clamped.
 *
 * Example: `backoffDelayMs(3, { baseMs: 100, maxMs: 10_000, jitter: () => 0.5 })` -> 200
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'jitter'>,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 1024));
  const jitter = Math.min(1, Math.max(0, policy.jitter()));
  return Math.floor(jitter * cap);
}

/**
 * What a delivery attempt gave: an HTTP status (with the delay asked by `Retry-After`, if any), or a
 * network error; `retryable: false` when another try would fail the same way (an address the policy
 * refuses, credentials in the URL), its `error` then the whole reason.
 *
 * Example: `{ status: 429, retryAfterMs: 2000 }`, `{ error: 'connection failed' }`,
 * `{ error: "the destination's address is not allowed", retryable: false }`
 */
export type DeliveryOutcome =
  { status: number; retryAfterMs?: number } | { error: string; retryable?: false };

/**
 * What to do with a batch after an attempt. Example: `{ action: 'retry', delayMs: 812, reason: 'HTTP 503' }`
 */
export type RetryDecision =
  | { action: 'acknowledged' }
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'dead-letter'; reason: string };

/** Statuses worth another try: timeouts, too early, rate limited, and server errors. */
function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * The decision after attempt number `attempt` (1 for the first): 2xx is acknowledged; a network error,
 * 408, 425, 429 or 5xx is retried after `backoffDelayMs` (or `Retry-After`, if longer) until
 * `maxAttempts`, then dead-lettered; any other status (a redirect included: a batch is never re-sent to
 * another address) and an error that is not retryable are dead-lettered at once (sending it again would
 * fail again).
 *
 * Example: `retryDecision({ status: 400 }, 1, policy)` ->
 * `{ action: 'dead-letter', reason: 'HTTP 400 is not retryable' }`
 */
export function retryDecision(outcome: DeliveryOutcome, attempt: number, policy: RetryPolicy): RetryDecision {
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) return { action: 'acknowledged' };
  if ('error' in outcome && outcome.retryable === false)
    return { action: 'dead-letter', reason: outcome.error };
  const reason = 'error' in outcome ? `network error: ${outcome.error}` : `HTTP ${outcome.status}`;
  if ('status' in outcome && !retryable(outcome.status)) {
    return { action: 'dead-letter', reason: `${reason} is not retryable` };
  }
  if (attempt >= policy.maxAttempts) {
    return { action: 'dead-letter', reason: `${reason} after ${attempt} attempts` };
  }
  const backoff = backoffDelayMs(attempt, policy);
  const asked = 'status' in outcome ? (outcome.retryAfterMs ?? 0) : 0;
  return { action: 'retry', delayMs: Math.max(backoff, asked), reason };
}
