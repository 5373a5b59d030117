import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { guardRoutes, ROUTE_PERMISSIONS, routeKey } from './route-permissions.ts';

void test('a route registered behind authentication without a permission stops the server', async () => {
  const app = Fastify();
  const start = async (): Promise<void> => {
    await app.register(async (api) => {
      guardRoutes(api);
      api.get('/v1/traits', async () => ({}));
      api.get('/v1/undeclared', async () => ({}));
    });
    await app.ready();
  };
  await assert.rejects(start, /route GET \/v1\/undeclared needs a permission: add it to ROUTE_PERMISSIONS/);
  await app.close();
});

void test('HEAD is checked as GET; the table names what each kind of route needs', () => {
  assert.equal(routeKey('HEAD', '/v1/traits'), 'GET /v1/traits');
  assert.equal(ROUTE_PERMISSIONS['POST /v1/segments'], 'edit');
  assert.equal(ROUTE_PERMISSIONS['POST /v1/audience/size'], 'compute');
  assert.equal(ROUTE_PERMISSIONS['GET /v1/audit'], 'read_audit');
});
