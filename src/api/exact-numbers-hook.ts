import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../core/service-error.ts';

interface ObjectSchema {
  properties?: Record<string, { type?: unknown }>;
}

/** The first query or path parameter declared a number whose text no number holds exactly. */
function inexactParameter(schema: unknown, values: unknown, where: string): ServiceError | undefined {
  const properties = (schema as ObjectSchema | undefined)?.properties;
  if (properties === undefined || typeof values !== 'object' || values === null) return undefined;
  for (const [name, property] of Object.entries(properties)) {
    if (property.type !== 'integer' && property.type !== 'number') continue;
    const sent: unknown = (values as Record<string, unknown>)[name];
    for (const text of Array.isArray(sent) ? (sent as unknown[]) : [sent]) {
      if (typeof text !== 'string' || text.trim() === '') continue;
      const value = Number(text);
      const exact = property.type === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value);
      // not a number at all: schema validation says so in its own words
      if (Number.isNaN(value) || exact) continue;
      const field = `${where}.${name}`;
      return new ServiceError(
        400,
        'invalid_request',
        `${field}: ${text.slice(0, 40)} is beyond what a number holds exactly; send an integer up to ${Number.MAX_SAFE_INTEGER}`,
        { field },
      );
    }
  }
  return undefined;
}

/**
 * A `preValidation` hook: a query or path parameter declared an integer (or a number) whose text is
 * beyond what a number holds exactly (`limit=1e400` is Infinity, `after=99999999999999999999` would be
 * rounded) is a 400 naming it. Schema validation alone lets such values through once coerced.
 *
 * Example: `app.addHook('preValidation', exactNumbers)`
 */
export async function exactNumbers(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const schema = request.routeOptions.schema;
  if (schema === undefined) return;
  const error =
    inexactParameter(schema.querystring, request.query, 'querystring') ??
    inexactParameter(schema.params, request.params, 'params');
  if (error !== undefined) throw error;
}
