import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * How a front of a scaled-out deployment (ADR 0035) answers the routes that read profiles: it holds
 * none, so it forwards them to the workers that do (`src/scale/forwarder.ts`). The server keeps the
 * raw body of the requests it will forward (gzip and 64-bit numbers go on as received), and asks the
 * forwarder once the caller is authenticated and allowed.
 *
 * Example: `{ wantsBody: (r) => r.method === 'POST', keepBody: (r, raw) => bodies.set(r, raw), forward }`
 */
export interface RequestForwarder {
  /** whether the server keeps this request's raw body for `forward` (read before parsing) */
  wantsBody(request: FastifyRequest): boolean;
  keepBody(request: FastifyRequest, raw: Buffer): void;
  /**
   * Answers the request from the workers and says true, or says false: the front answers it itself.
   * `visitor` names the calling browser's tenant and visitor, for routes that answer for it.
   */
  forward(request: FastifyRequest, reply: FastifyReply, visitor?: BrowserVisitor): Promise<boolean>;
}

/** The calling browser's tenant and visitor (its visitor token's, or its cookie's), if it names one. */
export type BrowserVisitor = (
  request: FastifyRequest,
) => Promise<{ tenant: string; uid: string } | undefined>;
