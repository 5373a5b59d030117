import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ServiceError } from '../../core/service-error.ts';
import type { AuthFailures } from '../auth-failures.ts';
import { bearerToken, refuseWhileBlocked } from '../auth.ts';
import type { Metrics } from '../metrics.ts';
import { problem, sendProblem } from '../problem.ts';

/** Who may read `/metrics`: the operator's token (undefined: nobody, the route answers 404). */
export interface MetricsAccess {
  token: string | undefined;
  /** wrong tokens count here, as wrong API keys do */
  failures: AuthFailures;
}

/**
 * `/healthz` (the process answers), `/readyz` (the log is replayed: ready to serve), `/metrics` (only
 * with `Authorization: Bearer DMP_METRICS_TOKEN`; off without a token, so a public server shows nothing
 * of its traffic). Example: `await app.register(opsRoutes(metrics, () => ready, { token, failures }))`.
 */
export function opsRoutes(
  metrics: Metrics,
  ready: () => boolean,
  access: MetricsAccess,
): FastifyPluginAsyncTypebox {
  const expected = access.token === undefined ? undefined : digest(access.token);
  return async (app) => {
    const tags = ['operations'];
    app.get('/healthz', { schema: { tags, summary: 'Liveness' } }, async () => ({ status: 'ok' }));
    app.get(
      '/readyz',
      { schema: { tags, summary: 'Readiness: the profiles are loaded' } },
      async (_request, reply) =>
        ready()
          ? { status: 'ready' }
          : sendProblem(reply, problem(503, 'starting', 'replaying the event log; not ready yet')),
    );
    app.get(
      '/metrics',
      { schema: { tags, summary: 'Prometheus metrics (Authorization: Bearer DMP_METRICS_TOKEN)' } },
      async (request, reply) => {
        if (expected === undefined)
          throw new ServiceError(404, 'not_found', 'metrics are off; set DMP_METRICS_TOKEN to serve them');
        refuseWhileBlocked(access.failures, request, reply);
        const sent = bearerToken(request);
        if (sent === undefined || !timingSafeEqual(digest(sent), expected)) {
          if (sent !== undefined) access.failures.fail(request.ip);
          throw new ServiceError(
            401,
            'unauthorized',
            'send the metrics token as "Authorization: Bearer TOKEN"',
          );
        }
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    );
  };
}

/** Compared as SHA-256 digests, so the comparison takes the same time whatever the token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
