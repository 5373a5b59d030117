import type { FastifyInstance } from 'fastify';
import { requireSiteKey, type SiteKeyCache } from './site-key-cache.ts';
import { corsHeaders, siteCors } from './site-cors.ts';

/** What a browser-facing route's preflight allows. */
export interface PreflightOptions {
  /** the OpenAPI tag and summary of the preflight */
  tag: string;
  summary: string;
  /** `Access-Control-Allow-Methods`, e.g. `'POST'` */
  methods: string;
  /** `Access-Control-Allow-Headers`, when the page sends more than simple headers */
  headers?: string;
}

/**
 * Registers `OPTIONS path`, the CORS preflight of a route authorised by the site key in `?site=`: the key's
 * own origins get their origin back (with credentials), an open key `*`, others a 403 (`siteCors`); cached
 * for 10 minutes.
 *
 * Example: `sitePreflight(app, sites, '/cookie_sync', { tag: 'identity', summary: '...', methods: 'POST', headers: 'Content-Type' })`.
 */
export function sitePreflight(
  app: FastifyInstance,
  sites: SiteKeyCache,
  path: string,
  options: PreflightOptions,
): void {
  app.options<{ Querystring: { site?: string } }>(
    path,
    {
      schema: {
        tags: [options.tag],
        summary: options.summary,
        security: [],
        querystring: {
          type: 'object',
          properties: { site: { type: 'string', description: 'the site key' } },
        },
      },
    },
    async (request, reply) => {
      const { origins } = await requireSiteKey(sites, request.query.site);
      corsHeaders(reply, siteCors(origins, request));
      void reply.code(204).header('Access-Control-Allow-Methods', options.methods);
      if (options.headers !== undefined) void reply.header('Access-Control-Allow-Headers', options.headers);
      return reply.header('Access-Control-Max-Age', '600').send();
    },
  );
}
