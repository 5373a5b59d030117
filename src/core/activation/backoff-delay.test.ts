import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, retryDecision } from './backoff-delay.ts';
import type { DeliveryOutcome, RetryDecision } from './backoff-delay.ts';

void describe('backoffDelayMs', () => {
  void it('doubles from the base, is capped, and jitters over the whole range', () => {
    const cases: [number, number, number][] = [
      // attempt, jitter, expected
      [1, 0.999999, 99],
      [2, 0.5, 100],
      [3, 0.5, 200],
      [4, 1, 800],
      [8, 1, 10_000],
      [50, 0.5, 5000],
      [10_000, 0.25, 2500],
      [1, 0, 0],
      [0, 1, 100],
      [3, 7, 400],
      [3, -1, 0],
    ];
    for (const [attempt, jitter, expected] of cases) {
      assert.equal(
        backoffDelayMs(attempt, { baseMs: 100, maxMs: 10_000, jitter: () => jitter }),
        expected,
        `attempt ${attempt}`,
      );
    }
  });
});

void describe('retryDecision', () => {
  const policy = { baseMs: 100, maxMs: 10_000, maxAttempts: 3, jitter: () => 1 };
  void it('acknowledges 2xx, retries what may pass later, dead-letters the rest', () => {
    const cases: [DeliveryOutcome, number, RetryDecision][] = [
      [{ status: 200 }, 1, { action: 'acknowledged' }],
      [{ status: 204 }, 3, { action: 'acknowledged' }],
      [{ status: 503 }, 1, { action: 'retry', delayMs: 100, reason: 'HTTP 503' }],
      [{ status: 500 }, 2, { action: 'retry', delayMs: 200, reason: 'HTTP 500' }],
      [{ status: 429, retryAfterMs: 5000 }, 1, { action: 'retry', delayMs: 5000, reason: 'HTTP 429' }],
      [{ status: 408 }, 1, { action: 'retry', delayMs: 100, reason: 'HTTP 408' }],
      [{ error: 'ECONNRESET' }, 1, { action: 'retry', delayMs: 100, reason: 'network error: ECONNRESET' }],
      [{ status: 503 }, 3, { action: 'dead-letter', reason: 'HTTP 503 after 3 attempts' }],
      [
        { error: 'ETIMEDOUT' },
        3,
        { action: 'dead-letter', reason: 'network error: ETIMEDOUT after 3 attempts' },
      ],
      [{ status: 400 }, 1, { action: 'dead-letter', reason: 'HTTP 400 is not retryable' }],
      [{ status: 401 }, 1, { action: 'dead-letter', reason: 'HTTP 401 is not retryable' }],
      [{ status: 301 }, 1, { action: 'dead-letter', reason: 'HTTP 301 is not retryable' }],
      [{ status: 307 }, 1, { action: 'dead-letter', reason: 'HTTP 307 is not retryable' }],
      [
        { error: "the destination's address is not allowed", retryable: false },
        1,
        { action: 'dead-letter', reason: "the destination's address is not allowed" },
      ],
    ];
    for (const [outcome, attempt, expected] of cases) {
      assert.deepEqual(retryDecision(outcome, attempt, policy), expected, JSON.stringify(outcome));
    }
  });
});
