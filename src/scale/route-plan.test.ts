import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROUTE_PERMISSIONS } from '../api/route-permissions.ts';
import { GATHERED_ROUTES } from './merge-answers.ts';
import { REFUSED_ROUTES, planOf } from './route-plan.ts';
import { internalToken, isInternalToken } from './internal-token.ts';

test('a one-visitor route goes to the owner by uid, and is found by another ID', () => {
  assert.equal(planOf('GET /v1/profiles/:uid', {}), 'owner');
  assert.equal(planOf('GET /v1/profiles/:uid/explain', { segment: 's' }), 'owner');
  assert.equal(planOf('GET /v1/profiles/:uid/explain', { segment: 's', idType: 'maid', id: 'x' }), 'find');
  assert.equal(planOf('DELETE /v1/profiles/:uid', {}), 'owner');
  assert.equal(planOf('POST /v1/openrtb/enrich', {}), 'find');
  assert.equal(planOf('GET /v1/page/targeting', {}), 'browser');
  assert.equal(planOf('GET /v1/profiles', { limit: 10 }), 'page');
});

test('every gathered and refused route is a real route, and catalog routes stay on the front', () => {
  for (const route of [...GATHERED_ROUTES, ...Object.keys(REFUSED_ROUTES)]) {
    assert.ok(route in ROUTE_PERMISSIONS, `${route} is not a route of the API`);
    assert.notEqual(planOf(route, {}), 'local', route);
  }
  for (const route of [
    'POST /v1/traits',
    'GET /v1/segments',
    'PUT /v1/identity/settings',
    'POST /v1/optouts',
  ])
    assert.equal(planOf(route, {}), 'local', route);
});

test("the internal token is the server secret's, compared whole", () => {
  const token = internalToken('s'.repeat(40));
  assert.equal(isInternalToken(token, 's'.repeat(40)), true);
  assert.equal(isInternalToken(token, 't'.repeat(40)), false);
  assert.equal(isInternalToken(token.slice(1), 's'.repeat(40)), false);
  assert.equal(isInternalToken(undefined, 's'.repeat(40)), false);
});
