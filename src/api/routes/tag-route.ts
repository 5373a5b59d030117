import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TagBundle } from '../tag-bundle.ts';

/** How long browsers and CDNs keep the tag before asking again (then answered 304 while unchanged). */
const MAX_AGE_S = 3600;

/**
 * `GET /tag.js` (or `/tag.js?site=SITEKEY`): the page tag (docs/tag.md), public, with caching headers:
 * `Cache-Control: public, max-age=3600`, a strong `ETag` (`If-None-Match` gets a 304), gzip for browsers
 * that accept it. The site key is read by the tag from its own `src` or `data-site`; the script is the
 * same for every site.
 *
 * Example: `await app.register(tagRoute(lazyTag()))`.
 */
export function tagRoute(tag: () => Promise<TagBundle>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/tag.js',
      {
        schema: {
          tags: ['collect'],
          summary: 'The page tag: <script async src=".../tag.js" data-site="SITEKEY"></script>',
          security: [],
          querystring: Type.Object(
            {
              site: Type.Optional(Type.String({ description: 'the site key (or data-site on the script)' })),
            },
            { additionalProperties: true },
          ),
        },
      },
      async (request, reply) => {
        const { body, gzip, etag } = await tag();
        void reply
          .header('Content-Type', 'application/javascript; charset=utf-8')
          .header('Cache-Control', `public, max-age=${MAX_AGE_S}`)
          .header('ETag', etag)
          .header('Vary', 'Accept-Encoding')
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cross-Origin-Resource-Policy', 'cross-origin');
        if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
        if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
          return reply.header('Content-Encoding', 'gzip').send(gzip);
        return reply.send(body);
      },
    );
  };
}

/** Whether an `If-None-Match` header names `etag` (a list, weak forms and `*` included). */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
