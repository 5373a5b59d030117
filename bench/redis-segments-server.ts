/**
 * The Redis-backed peer of the HTTP lookup bench: `GET /v1/profiles/{uid}/segments` answered from
 * `SMEMBERS PREFIX+uid` over ioredis, with the same bearer-key check and answer shape as ours.
 * Run: `BENCH_KEY=dmp_... BENCH_PREFIX=opendmp-bench:...: node --import tsx bench/redis-segments-server.ts PORT`
 */
import { createServer } from 'node:http';
import { Redis } from 'ioredis';

const redis = new Redis('redis://127.0.0.1:6379');
const bearer = `Bearer ${process.env.BENCH_KEY ?? ''}`;
const prefix = process.env.BENCH_PREFIX ?? '';
const ROUTE = /^\/v1\/profiles\/([^/?]+)\/segments$/;

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  const match = ROUTE.exec(url);
  if (url === '/ready' || match === null) {
    response.writeHead(url === '/ready' ? 200 : 404).end();
    return;
  }
  if (request.headers.authorization !== bearer) {
    response.writeHead(401).end();
    return;
  }
  const uid = decodeURIComponent(match[1]!);
  redis.smembers(`${prefix}${uid}`).then(
    (segments) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ uid, segments }));
    },
    () => response.writeHead(503).end(),
  );
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  redis.disconnect();
});
