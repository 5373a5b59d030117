import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeliveryOutcome } from '../../core/activation/index.ts';
import type { AddressPolicy } from '../../core/net/address-policy.ts';
import { ipBytes } from '../../core/net/ip-bytes.ts';
import type { HttpClient, HttpPost } from './http-client.ts';
import { retryAfterMs } from './http-client.ts';
import type { ResolveAll } from './guarded-lookup.ts';
import { AddressNotAllowedError, guardedLookup } from './guarded-lookup.ts';

/** The reasons a tenant sees: they never name an address, a port or what a host resolved to. */
export const NOT_ALLOWED = new AddressNotAllowedError().message;
const CREDENTIALS = 'the destination URL holds a user name or password; credentials go in headers';
const FAILED = 'connection failed';

/** An `HttpClient` that also lets its idle connections go. Example: `client.close()` at stop */
export interface ClosableHttpClient extends HttpClient {
  close(): void;
}

/**
 * The `HttpClient` of batch runs, on `node:http(s)` with keep-alive agents: every connection goes to an
 * address `policy` allows, checked after DNS resolution by `guardedLookup` (and before connecting for
 * an IP literal), so neither a private host name nor DNS rebinding reaches inside the network. Redirects
 * are never followed (the status is the outcome: a POST is not re-sent elsewhere). Failures are reported
 * without detail that would map the network: `connection failed`, `no answer within N ms`, or the
 * address refusal (not retryable).
 *
 * Example: `const client = guardedHttpClient(addressPolicy(config.allowPrivateDestinations));`
 */
export function guardedHttpClient(policy: AddressPolicy, resolveAll?: ResolveAll): ClosableHttpClient {
  const lookup = guardedLookup(policy, resolveAll);
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  return {
    async post(request) {
      const url = new URL(request.url);
      if (url.username !== '' || url.password !== '') return { error: CREDENTIALS, retryable: false };
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: FAILED, retryable: false };
      if (ipBytes(url.hostname) !== undefined && !policy.allows(url.hostname)) {
        return { error: NOT_ALLOWED, retryable: false };
      }
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
      try {
        const answer = await send(url, request, { lookup, agent: agents[url.protocol], signal });
        const retryAfter = retryAfterMs(answer.retryAfter ?? null, Date.now());
        return retryAfter === undefined
          ? { status: answer.status }
          : { status: answer.status, retryAfterMs: retryAfter };
      } catch (error) {
        if (request.signal?.aborted === true) throw error;
        return outcomeOf(error, timeout.aborted, request.timeoutMs);
      }
    },
    close() {
      for (const agent of Object.values(agents)) agent.destroy();
    },
  };
}

function outcomeOf(error: unknown, timedOut: boolean, timeoutMs: number): DeliveryOutcome {
  if (error instanceof AddressNotAllowedError) return { error: NOT_ALLOWED, retryable: false };
  if (timedOut) return { error: `no answer within ${timeoutMs} ms` };
  return { error: FAILED };
}

interface Connection {
  lookup: LookupFunction;
  agent: http.Agent;
  signal: AbortSignal;
}

/** One POST; resolves with the status once the answer is read (so the connection is reused). */
function send(
  url: URL,
  request: HttpPost,
  connection: Connection,
): Promise<{ status: number; retryAfter: string | undefined }> {
  const module = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = module.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...request.headers,
          'content-length': String(body.length),
        },
        ...connection,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const retryAfter = res.headers['retry-after'];
        res.on('end', () => resolve({ status, retryAfter }));
        res.on('close', () => {
          if (!res.complete) reject(new Error('the answer was cut short'));
        });
        res.on('error', reject);
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
