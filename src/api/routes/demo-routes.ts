import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { DEMO_GPT, DEMO_SECTIONS, demoPage } from '../demo-page.ts';

/** What the demo's bidder reads of an OpenRTB request. */
interface DemoBidRequest {
  id?: string;
  imp?: { id?: string }[];
  user?: { data?: { segment?: { id?: string }[] }[] };
}

/**
 * The demo bidder's answer, in Prebid Server's form: one bid on the first impression whose ad text says
 * which segments the request carried in `user.data`, so the page can show what a bidder receives.
 */
export function demoBid(request: DemoBidRequest): unknown {
  const segments = (request.user?.data ?? []).flatMap((d) => (d.segment ?? []).map((s) => s.id ?? ''));
  const ad = `the bid request carried segments: ${segments.length === 0 ? '(none)' : segments.join(', ')}`;
  const impid = request.imp?.[0]?.id ?? '1';
  return {
    id: request.id,
    cur: 'USD',
    seatbid: [
      {
        seat: 'demobidder',
        bid: [
          {
            id: 'demo-1',
            impid,
            price: 1.5,
            adm: ad,
            w: 300,
            h: 250,
            crid: 'demo',
            ext: { prebid: { type: 'banner' } },
          },
        ],
      },
    ],
  };
}

/**
 * The demo shop (`npm start`, `dmp serve --demo`): `/demo/` and `/demo/SECTION` pages with the tag for
 * `siteKey`, the stand-in GPT (`/demo/gpt.js`), Prebid.js bundled from the devDependency
 * (`/demo/prebid.js`, when `prebid` gives it) and a bidder that answers Prebid's request
 * (`/demo/bidder/openrtb2/auction`). Not part of the public interface; hidden from the API docs.
 *
 * Example: `await app.server.register(demoRoutes(keys.siteKey, lazyPrebid))`.
 */
export function demoRoutes(siteKey: string, prebid: () => Promise<Buffer | undefined>): FastifyPluginAsync {
  return async (app) => {
    const hide = { schema: { hide: true } };
    const page = async (path: string | undefined) => {
      const section = DEMO_SECTIONS.find((s) => s.path === path);
      if (path !== undefined && section === undefined) return undefined;
      const script = await prebid().catch(() => undefined);
      return demoPage(section, siteKey, script !== undefined);
    };
    const send = (reply: FastifyReply, html: string | undefined) =>
      html === undefined
        ? reply.code(404).type('text/plain').send('no such page in the demo shop: see /demo/')
        : reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
    app.get('/demo', hide, async (_request, reply) => reply.redirect('/demo/'));
    app.get('/demo/', hide, async (_request, reply) => send(reply, await page(undefined)));
    app.get<{ Params: { section: string } }>('/demo/:section', hide, async (request, reply) =>
      send(reply, await page(request.params.section)),
    );
    app.get('/demo/gpt.js', hide, async (_request, reply) =>
      reply.type('application/javascript').send(DEMO_GPT),
    );
    app.get('/demo/prebid.js', hide, async (_request, reply) => {
      const script = await prebid().catch(() => undefined);
      if (script === undefined)
        return reply
          .code(404)
          .type('text/plain')
          .send('prebid.js is not installed: it is a devDependency of opendmp (npm install)');
      return reply
        .type('application/javascript')
        .header('Cache-Control', 'public, max-age=3600')
        .send(script);
    });
    await app.register(async (bidder) => {
      bidder.removeAllContentTypeParsers();
      bidder.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      bidder.post('/demo/bidder/openrtb2/auction', hide, async (request, reply) => {
        let parsed: DemoBidRequest = {};
        try {
          parsed = JSON.parse(String(request.body)) as DemoBidRequest;
        } catch {
          return reply.code(400).send({ error: 'the body is not JSON' });
        }
        return reply.send(demoBid(parsed));
      });
      bidder.post('/demo/bidder/cookie_sync', hide, async (_request, reply) =>
        reply.send({ status: 'ok', bidder_status: [] }),
      );
    });
  };
}
