import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RealtimeActivation } from '../../activate/realtime-activation.ts';
import { checkedJson } from '../json-body.ts';
import type { Metrics } from '../metrics.ts';
import { readBody } from '../read-body.ts';

/** The text of each bid request as received, for the answer to give it back byte for byte. */
const received = new WeakMap<FastifyRequest, string>();

/**
 * `POST /v1/openrtb/enrich`, with the API key: the bid request comes back as received (its text, byte
 * for byte, so 64-bit IDs and long decimals keep every digit) with the visitor's entry added to
 * `user.data`. Bodies may be gzip- or deflate-encoded; the size limit applies once decompressed.
 * Malformed `eids` / `user.data` entries are skipped and counted (`X-DMP-Skipped`, and the
 * `dmp_enrich_skipped_entries_total` metric) instead of refusing the request.
 *
 * Example: `await api.register(enrichRoute(services.realtime, services.metrics, 1_048_576))`
 */
export function enrichRoute(
  realtime: RealtimeActivation,
  metrics: Metrics,
  bodyLimit: number,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    // numbers are not refused: the request goes back as received, every digit of them kept
    const parse = checkedJson(app, { numbers: false });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (request, payload, done) => {
      readBody(payload, request.headers, bodyLimit).then((bytes) => {
        let text = bytes.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        received.set(request, text);
        parse(request, text, done);
      }, done);
    });
    app.post(
      '/v1/openrtb/enrich',
      {
        schema: {
          tags: ['activation'],
          summary:
            "Adds the visitor's segments for the destination to user.data of an OpenRTB 2.5/2.6 bid request",
          description:
            'Answers the request as received, byte for byte, plus the entry. Headers: X-DMP-Outcome ' +
            '(sent, not-found, not-eligible, no-consent; and why), X-DMP-Skipped (malformed eids and ' +
            'user.data entries skipped, e.g. "eids=1; data=0"). Accepts Content-Encoding gzip and deflate.',
          querystring: Type.Object({ destination: Type.String({ maxLength: 64 }) }),
          body: Type.Object({}, { additionalProperties: true }),
        },
      },
      async (request, reply) => {
        const text = received.get(request) ?? JSON.stringify(request.body);
        const { destination } = request.query;
        const answer = await realtime.enrichText(request.tenant, destination, text, request.body);
        const { eids, data } = answer.skipped;
        if (eids > 0) metrics.enrichSkipped.inc({ field: 'eids' }, eids);
        if (data > 0) metrics.enrichSkipped.inc({ field: 'data' }, data);
        const { outcome, reason } = answer.verdict;
        return reply
          .header('X-DMP-Outcome', `${outcome}; ${encodeURIComponent(reason)}`)
          .header('X-DMP-Skipped', `eids=${eids}; data=${data}`)
          .type('application/json; charset=utf-8')
          .send(answer.text);
      },
    );
  };
}
