import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../core/service-error.ts';

/**
 * Limits the requests of one plugin scope to `perMinute` per key (the API key, or the client IP for
 * collection); over it the answer is a 429 problem with `Retry-After`. 0 switches the limit off.
 * Example: `await limitRequests(api, 6000, (r) => r.actor, 'preHandler')`.
 */
export async function limitRequests(
  scope: FastifyInstance,
  perMinute: number,
  keyOf: (request: FastifyRequest) => string,
  hook: 'onRequest' | 'preHandler' = 'onRequest',
): Promise<void> {
  if (perMinute <= 0) return;
  const limiter = scope.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    errorResponseBuilder: (_request, context) =>
      new ServiceError(
        429,
        'rate_limited',
        `over ${context.max} requests a minute; retry after ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });
  scope.addHook(hook, limiter);
}
