import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../core/service-error.ts';

/** An RFC 9457 problem document, the body of every error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  errors?: unknown[];
}

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://opendmp.dev/problems/${code}`,
    title: titleOf(status),
    status,
    detail,
    code,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

/**
 * The one error handler: typed service errors and request-validation errors become problem documents
 * with a stable code and the field at fault; anything unexpected is logged and answered as a 500 with no
 * stack trace or internal path.
 */
export function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof ServiceError) {
    const { retryAfterS, ...extra } = error.extra;
    if (error.status === 503 || retryAfterS !== undefined)
      void reply.header('Retry-After', String(retryAfterS ?? 1));
    return sendProblem(reply, problem(error.status, error.code, error.message, extra));
  }
  const fe = error as FastifyError;
  if (fe.validation !== undefined) {
    const errors = fe.validation.map((v) => ({
      field: `${fe.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'is not valid',
    }));
    const first = errors[0];
    const detail = first === undefined ? fe.message : `${first.field}: ${first.message}`;
    return sendProblem(reply, problem(400, 'invalid_request', detail, { field: first?.field, errors }));
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendProblem(
      reply,
      problem(413, 'body_too_large', 'the request body is over the size limit; send smaller batches'),
    );
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendProblem(
      reply,
      problem(415, 'unsupported_media_type', 'send application/json, or application/x-ndjson for NDJSON'),
    );
  }
  if (
    fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    (fe.statusCode === 400 && fe.message)
  ) {
    return sendProblem(reply, problem(400, 'invalid_request', fe.message));
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendProblem(reply, problem(500, 'internal', 'something went wrong on our side; it has been logged'));
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}
