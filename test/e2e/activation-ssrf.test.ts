import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualClock } from '../../src/core/clock.ts';
import type { DeadLetter } from '../../src/catalog/catalog.ts';
import type { World } from '../helpers/activation-world.ts';
import { httpDestination, ok, runViaApi, seedRules, startWorld, visit } from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

async function seed(w: World): Promise<void> {
  await seedRules(w);
  assert.equal(await w.post([visit('v-01', '/pricing'), visit('v-02', '/pricing')]), 202);
}

async function deadLetters(w: World, code: string): Promise<DeadLetter[]> {
  const answer = await w.call('GET', `/v1/destinations/${code}/dead-letters`);
  return (answer.body as { deadLetters: DeadLetter[] }).deadLetters;
}

/** A server on `host` that answers every request with `status` and `Location: location(path)`, and counts them. */
async function redirector(
  host: string,
  status: number,
  location: (port: number) => string,
): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (req.url === '/moved') res.writeHead(200).end('{}');
      else res.writeHead(status, { location: location(port) }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/audiences`, paths, server };
}

test('by default a destination at a loopback address is refused when it is created', async (t) => {
  const w = await startWorld(manualClock(NOW), undefined, 40, []);
  t.after(() => w.close());
  await seed(w);
  const literal = await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'literal'));
  assert.equal(literal.status, 422, JSON.stringify(literal.body));
  assert.match(JSON.stringify(literal.body), /settings\.url.*not a public address/);
});

test('by default a destination whose host name resolves to loopback is refused, with a reason that maps nothing', async (t) => {
  const w = await startWorld(manualClock(NOW), undefined, 40, []);
  t.after(() => w.close());
  await seed(w);
  const byName = w.partner.url.replace('127.0.0.1', 'localhost');
  ok(await w.call('POST', '/v1/destinations', httpDestination(byName, 'named')));
  const run = await runViaApi(w, 'named', { mode: 'full' });
  assert.equal(run.status, 'partial');
  assert.equal(w.partner.requests.length, 0, 'nothing reached the partner');
  const letters = await deadLetters(w, 'named');
  assert.equal(letters.length, 1);
  assert.equal(letters[0]?.reason, "the destination's address is not allowed");
  assert.equal(letters[0]?.attempts, 1, 'not retried: it would be refused again');
});

test('a failed connection is reported without the address or the error code', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  const closed = await redirector('127.0.0.1', 200, () => '');
  const url = closed.url;
  await new Promise((resolve) => closed.server.close(resolve)); // nothing listens there any more
  ok(await w.call('POST', '/v1/destinations', httpDestination(url, 'gone')));
  assert.equal((await runViaApi(w, 'gone', { mode: 'full' })).status, 'partial');
  const reasons = (await deadLetters(w, 'gone')).map((l) => l.reason);
  assert.deepEqual(reasons, ['network error: connection failed after 3 attempts']);
});

test('a redirect to a private address is not followed', async (t) => {
  const w = await startWorld(manualClock(NOW), undefined, 40, ['127.0.0.1']);
  t.after(() => w.close());
  await seed(w);
  // the inside service: on 127.0.0.2, which this program may not reach
  const inside = await redirector('127.0.0.2', 200, () => '');
  t.after(() => new Promise((resolve) => inside.server.close(resolve)));
  const outside = await redirector('127.0.0.1', 307, () => inside.url);
  t.after(() => new Promise((resolve) => outside.server.close(resolve)));
  ok(await w.call('POST', '/v1/destinations', httpDestination(outside.url, 'bouncer')));
  assert.equal((await runViaApi(w, 'bouncer', { mode: 'full' })).status, 'partial');
  assert.deepEqual(inside.paths, [], 'the inside service got nothing');
  assert.deepEqual(outside.paths, ['/audiences']);
  assert.deepEqual(
    (await deadLetters(w, 'bouncer')).map((l) => l.reason),
    ['HTTP 307 is not retryable'],
  );
});

test('a POST answered with a redirect is not sent again, even to an allowed address', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  for (const status of [301, 302, 303, 307, 308]) {
    const partner = await redirector('127.0.0.1', status, (port) => `http://127.0.0.1:${port}/moved`);
    t.after(() => new Promise((resolve) => partner.server.close(resolve)));
    const code = `moved-${status}`;
    ok(await w.call('POST', '/v1/destinations', httpDestination(partner.url, code)));
    assert.equal((await runViaApi(w, code, { mode: 'full' })).status, 'partial', code);
    assert.deepEqual(partner.paths, ['/audiences'], `${status}: one POST, not followed`);
  }
});

test('a destination URL with a user name or password is refused with 422', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  const withCredentials = w.partner.url.replace('http://', 'http://crm:s3cr3t@');
  const created = await w.call('POST', '/v1/destinations', httpDestination(withCredentials, 'creds'));
  assert.equal(created.status, 422);
  const body = created.body as { code: string; field: string; detail: string };
  assert.equal(body.field, 'settings.url');
  assert.match(body.detail, /user name or password.*settings\.authorization/);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'creds')));
  const updated = await w.call('PUT', '/v1/destinations/creds', httpDestination(withCredentials, 'creds'));
  assert.equal(updated.status, 422);
});
