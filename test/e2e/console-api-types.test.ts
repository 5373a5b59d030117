import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { readConsoleCalls } from '../helpers/console-api-calls.ts';
import type { JsonSchema } from '../helpers/openapi-shape.ts';
import { shapeErrors } from '../helpers/openapi-shape.ts';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/** The OpenAPI path a console path template (`/v1/segments/{}/size`) stands for, literal segments first. */
function routeOf(paths: Paths, method: string, path: string): string | undefined {
  const parts = path.split('/');
  const fits = (route: string, literalOnly: boolean) => {
    const routeParts = route.split('/');
    if (routeParts.length !== parts.length || paths[route]?.[method.toLowerCase()] === undefined)
      return false;
    return routeParts.every((r, i) => {
      const p = parts[i] ?? '';
      if (r.startsWith('{')) return p === '{}' || !literalOnly;
      return r === p;
    });
  };
  const routes = Object.keys(paths);
  return routes.find((r) => fits(r, true)) ?? routes.find((r) => fits(r, false));
}

/**
 * The console's typed client is checked against the OpenAPI document the server serves: every
 * `call<T>(METHOD, PATH)` in console/src names a route that exists, and the type T the page reads the
 * answer as fits the route's declared answer (fields it reads are declared, fields it takes as always
 * there are required, kinds agree). A page calling a route that is not there, or reading a field the API
 * does not answer, fails here before it fails in a browser.
 */
test('every API call of the console names a served route, and reads its answer as the route declares it', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-12-07T12:00:00Z')));
  t.after(() => h.close());
  const paths = ((await (await fetch(`${h.base}/openapi.json`)).json()) as { paths: Paths }).paths;
  const { calls, checker } = readConsoleCalls(join(import.meta.dirname, '..', '..'));
  assert.ok(calls.length >= 20, `found only ${calls.length} calls: is the reader still finding them?`);

  const problems: string[] = [];
  for (const call of calls) {
    if (call.unreadable !== undefined) {
      problems.push(`${call.where}: ${call.unreadable}; write it as a literal or a template`);
      continue;
    }
    const route = routeOf(paths, call.method, call.path);
    if (route === undefined) {
      problems.push(`${call.where}: ${call.method} ${call.path} is not a route in /openapi.json`);
      continue;
    }
    if (call.answer === undefined) continue;
    const responses = paths[route]?.[call.method.toLowerCase()]?.responses ?? {};
    const ok = Object.keys(responses).find((status) => status.startsWith('2'));
    const schema = ok === undefined ? undefined : responses[ok]?.content?.['application/json']?.schema;
    if (schema === undefined) {
      problems.push(
        `${call.where}: ${call.method} ${route} declares no answer schema to check the console's type against`,
      );
      continue;
    }
    const name = checker.typeToString(call.answer);
    for (const error of shapeErrors(checker, call.answer, schema, name))
      problems.push(`${call.where}: ${call.method} ${route}: ${error}`);
  }
  assert.deepEqual(problems, []);
});
