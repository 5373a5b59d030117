import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_JSON_DEPTH, jsonValueProblem } from '../core/json/json-value-problem.ts';
import { ServiceError } from '../core/service-error.ts';

type Done = (error: Error | null, value?: unknown) => void;
type JsonParser = (request: FastifyRequest, text: string, done: Done) => void;

/**
 * Parses a JSON text the way Fastify does by default (`__proto__` and `constructor.prototype` refused),
 * then refuses with a 400 that says why and where (`jsonValueProblem`) a value nested deeper than
 * `MAX_JSON_DEPTH`, or, unless `numbers` is false, one holding a number it could not keep as written.
 *
 * Example: `const parse = checkedJson(app); parse(request, '[[[]]]', (error, value) => ...)`
 */
export function checkedJson(
  app: FastifyInstance,
  { numbers = true }: { numbers?: boolean } = {},
): JsonParser {
  const parse = app.getDefaultJsonParser('error', 'error') as JsonParser;
  return (request, text, done) =>
    parse(request, text, (error, value) => {
      if (error !== null) return done(error);
      const problem = jsonValueProblem(value, 'body', MAX_JSON_DEPTH, { numbers });
      if (problem !== undefined)
        return done(new ServiceError(400, 'invalid_json_value', problem, { field: 'body' }));
      done(null, value);
    });
}

/**
 * Replaces the `application/json` body parser of `app` (and of every route registered in it afterwards)
 * with `checkedJson`, so that no route's code ever walks a body nested thousands deep or stores a
 * number rounded without a word.
 *
 * Example: `installJsonBodyParser(app)` right after `Fastify()`.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = checkedJson(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parse(request, body as string, done),
  );
}
