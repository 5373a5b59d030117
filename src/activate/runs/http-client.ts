import type { DeliveryOutcome } from '../../core/activation/index.ts';

/**
 * One POST to a partner: the URL, the JSON body, the headers, and how long to wait for the answer.
 *
 * Example: `{ url: 'https://api.example/aud', body: '{"batchId":"…"}', headers: { 'Idempotency-Key': '…' },
 *   timeoutMs: 10_000 }`
 */
export interface HttpPost {
  url: string;
  body: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** aborts the request when the runner stops */
  signal?: AbortSignal;
}

/**
 * The port batch pushes go through: the status of the answer (with `Retry-After` read), or a network
 * error as a value. It throws only when `signal` was aborted (the runner is stopping).
 *
 * Example: `await client.post({ url, body, headers, timeoutMs: 5000 })` -> `{ status: 202 }`
 * (`guardedHttpClient` is the one batch runs use)
 */
export interface HttpClient {
  post(request: HttpPost): Promise<DeliveryOutcome>;
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110, 10.2.3); undefined when absent
 * or unreadable. A date in the past is 0.
 *
 * Example: `retryAfterMs('2', Date.now())` -> 2000
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
