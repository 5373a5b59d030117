import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { truncateIp } from '../collect/index.ts';

/** What a request log line says of the request: nothing that names a visitor, a key or a whole address. */
// a type, not an interface: pino's serializer type asks for an index signature
export type LoggedRequest = {
  method: string;
  /** the route's pattern (`/v1/profiles/:uid`, `/px`): never a path's IDs nor a query string */
  route: string;
  /** the client's address with its host part zeroed (`81.2.69.0`), as events keep it */
  client: string | undefined;
};

/**
 * How a request appears in the request log: its method, its route pattern and a truncated client
 * address. Query strings (site keys, visitor IDs, consent strings on `/px`, page targeting, opt-out),
 * IDs in paths, headers (cookies, `Authorization`) and whole addresses are never written: a log is data
 * too, kept and shipped where the profiles are not. A request that matched no route is `(no route)`.
 *
 * Example: `GET /px?site=s&uid=c-1` from `81.2.69.160` -> `{ method: 'GET', route: '/px', client: '81.2.69.0' }`.
 */
export function loggedRequest(request: FastifyRequest): LoggedRequest {
  return {
    method: request.method,
    route: request.routeOptions.url ?? '(no route)',
    client: truncateIp(request.ip ?? ''),
  };
}

/**
 * The program's logger: pino at `level`, writing to `stream` (standard output when undefined), with a
 * request serialized by `loggedRequest` and a reply by its status alone. Made before anything else, so
 * recovery at start and background work log through it too; the server logs its requests through it.
 *
 * Example: `const logger = createLogger('info'); buildServer(services, logger)`; a test passes a stream to read the lines back.
 */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (request: FastifyRequest) => loggedRequest(request),
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      },
    },
    stream,
  );
}
