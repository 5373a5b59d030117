import { createServer } from 'node:http';
import type { World } from './activation-world.ts';
import { ok } from './activation-world.ts';
import { closeServer, listenLoopback } from './loopback-servers.ts';

/**
 * A publisher's site on loopback for the tag's browser tests (issue 16): pages the test writes, and the
 * scripts a real page loads besides our tag (Prebid.js, a stand-in GPT), each of which the test may hold
 * back until it releases it, so that what loads first is decided, not raced.
 *
 * The browser reaches it as `http://localhost:PORT` and the DMP as `http://localhost:DMP_PORT`: other
 * origins (CORS applies, the site key must list the page's origin) but the same site, as a shop and its
 * DMP on a subdomain; the `dmp_uid` cookie, `SameSite=Lax` over plain HTTP, then travels with the tag's
 * requests (test/e2e/id-sync-browser.test.ts explains the choice).
 *
 * Example:
 * ```ts
 * const site = await startPublisherSite();
 * site.script('/prebid.js', prebidBundle);
 * const release = site.hold('/prebid.js');
 * site.page('/pricing', html);
 * ...; release();
 * ```
 */
export interface PublisherSite {
  /** `http://localhost:PORT` */
  origin: string;
  /** serves `html` at `path` (any query) */
  page(path: string, html: string): void;
  /** serves a script at `path` */
  script(path: string, body: string | Buffer): void;
  /** holds the answers of `path` until the returned function is called */
  hold(path: string): () => void;
  close(): Promise<void>;
}

export async function startPublisherSite(): Promise<PublisherSite> {
  const files = new Map<string, { type: string; body: string | Buffer }>();
  const holds = new Map<string, Promise<void>>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path);
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    void (holds.get(path) ?? Promise.resolve()).then(() => {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    });
  });
  const port = await listenLoopback(server);
  return {
    origin: `http://localhost:${port}`,
    page: (path, html) => files.set(path, { type: 'text/html; charset=utf-8', body: html }),
    script: (path, body) => files.set(path, { type: 'application/javascript', body }),
    hold(path) {
      let release = (): void => undefined;
      holds.set(path, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        holds.delete(path);
        release();
      };
    },
    close: () => closeServer(server),
  };
}

/** One OpenRTB request the stub bidder received. */
export type BidRequest = {
  user?: { data?: { name?: string; segment?: { id: string }[]; ext?: { segtax?: number } }[] };
} & Record<string, unknown>;

/**
 * A Prebid Server stand-in on 127.0.0.1: the bidder endpoint the Prebid.js `prebidServer` adapter posts
 * its OpenRTB request to (`/openrtb2/auction`), answering no bid, with the CORS (and credentials) Prebid
 * asks for; it keeps every request it received.
 */
export interface StubBidder {
  /** `http://127.0.0.1:PORT` */
  base: string;
  requests: BidRequest[];
  close(): Promise<void>;
}

export async function startStubBidder(): Promise<StubBidder> {
  const requests: BidRequest[] = [];
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type',
      'access-control-allow-methods': 'POST, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/openrtb2/auction') !== true) {
        res.writeHead(404, cors).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BidRequest;
      requests.push(body);
      res
        .writeHead(200, { ...cors, 'content-type': 'application/json' })
        .end(JSON.stringify({ id: body.id, seatbid: [] }));
    });
  });
  const port = await listenLoopback(server);
  return { base: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
}

/**
 * The tenant's two browser destinations the tag reads by default: `prebid` (IAB segtax 4) and `gam` (key
 * `dmp`), both sending `pricing_fans` as 607 for GVL vendor 755. Example: `await pageDestinations(w);`
 */
export async function pageDestinations(w: World): Promise<void> {
  const common = {
    segments: [{ segment: 'pricing_fans', id: '607' }],
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
  };
  ok(
    await w.call('POST', '/v1/destinations', {
      ...common,
      code: 'prebid',
      name: 'Prebid',
      kind: 'prebid',
      segtax: 4,
      settings: {},
    }),
  );
  ok(
    await w.call('POST', '/v1/destinations', {
      ...common,
      code: 'gam',
      name: 'GAM',
      kind: 'gam',
      settings: { key: 'dmp' },
    }),
  );
}
