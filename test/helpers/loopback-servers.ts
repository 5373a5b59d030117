import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on a free port of 127.0.0.1; returns the port. Example: `const port = await listenLoopback(server);` */
export async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes `server` and every connection it holds (a browser keeps some alive). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A sync request as an ID-sync partner received it: the query, and the ID it gave the browser. */
export interface SyncHit {
  query: URLSearchParams;
  id: string;
}

/** An ID-sync partner's server on 127.0.0.1 (`startSyncPartner`). */
export interface SyncPartner {
  /** the browser's base URL for it: `http://127.0.0.1:PORT` */
  base: string;
  /** every sync it answered, in order */
  hits: SyncHit[];
  close(): Promise<void>;
}

/**
 * An ID-sync partner as an SSP's user sync works: `/sync?...&redir=URL` gives the browser a new ID
 * (`PREFIX-1`, `PREFIX-2`, ...) and redirects it to the decoded `redir` with `$UID` replaced by that ID.
 *
 * Example: `const b = await startSyncPartner('B'); t.after(() => b.close()); ... b.hits[0].id // 'B-1'`
 */
export async function startSyncPartner(prefix: string): Promise<SyncPartner> {
  const hits: SyncHit[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const redir = url.searchParams.get('redir');
    if (url.pathname !== '/sync' || redir === null) {
      res.writeHead(404).end();
      return;
    }
    const id = `${prefix}-${hits.length + 1}`;
    hits.push({ query: url.searchParams, id });
    res
      .writeHead(302, {
        location: redir.replace('$UID', encodeURIComponent(id)),
        'cache-control': 'no-store',
      })
      .end();
  });
  const port = await listenLoopback(server);
  return { base: `http://127.0.0.1:${port}`, hits, close: () => closeServer(server) };
}
