/**
 * The no-op peer of the pixel bench: a bare `node:http` server answering every request with a 1x1 GIF,
 * counting them; `/count` answers the count, `/ready` 200.
 * Run: `node --import tsx bench/noop-server.ts PORT`
 */
import { createServer } from 'node:http';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
let served = 0;
const server = createServer((request, response) => {
  if (request.url === '/ready') {
    response.end('ok');
    return;
  }
  if (request.url === '/count') {
    response.end(String(served));
    return;
  }
  served++;
  response.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
  response.end(GIF);
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.once('SIGTERM', () => server.close());
