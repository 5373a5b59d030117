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
 * Example: `await fetchHttpClient.post({ url, body, headers, timeoutMs: 5000 })` -> `{ status: 202 }`
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

/**
 * The `HttpClient` on Node's `fetch`, each request with its own `AbortSignal.timeout`.
 *
 * Example: `const outcome = await fetchHttpClient.post({ url, body, headers: {}, timeoutMs: 1000 });`
 */
export const fetchHttpClient: HttpClient = {
  async post(request) {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
        signal,
      });
      // read the answer so the connection is reused
      await response.arrayBuffer();
      const retryAfter = retryAfterMs(response.headers.get('retry-after'), Date.now());
      return retryAfter === undefined
        ? { status: response.status }
        : { status: response.status, retryAfterMs: retryAfter };
    } catch (error) {
      if (request.signal?.aborted === true) throw error;
      if (timeout.aborted) return { error: `no answer within ${request.timeoutMs} ms` };
      return { error: describe(error) };
    }
  },
};

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
    return error.message;
  }
  return String(error);
}
