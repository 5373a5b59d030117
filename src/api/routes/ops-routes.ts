import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Metrics } from '../metrics.ts';
import { problem, sendProblem } from '../problem.ts';

/** `/healthz` (the process answers), `/readyz` (the log is replayed: ready to serve), `/metrics`. */
export function opsRoutes(metrics: Metrics, ready: () => boolean): FastifyPluginAsyncTypebox {
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
    app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics' } }, async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  };
}
