import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { addressPolicy } from '../../core/net/address-policy.ts';
import type { ResolveAll } from './guarded-lookup.ts';
import { guardedLookup } from './guarded-lookup.ts';
import { guardedHttpClient } from './guarded-http-client.ts';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** A resolver of fixed answers; `answers` may change between calls (DNS rebinding). */
function resolverOf(answers: Record<string, LookupAddress[]>): ResolveAll {
  return (hostname) => {
    const found = answers[hostname];
    if (found === undefined)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(found);
  };
}

function lookupOnce(resolve: ResolveAll, hostname: string, all: boolean) {
  const lookup = guardedLookup(addressPolicy(), resolve);
  return new Promise<{ error?: string; address?: unknown; family?: number }>((done) =>
    lookup(hostname, { all }, (error, address, family) =>
      done(
        error === null ? { address, ...(family === undefined ? {} : { family }) } : { error: error.message },
      ),
    ),
  );
}

void describe('guardedLookup', () => {
  const resolve = resolverOf({
    'api.partner.example': [v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')],
    'internal.example': [v4('10.0.0.5')],
    'metadata.example': [v4('169.254.169.254')],
    'half.example': [v4('93.184.215.14'), v4('127.0.0.1')],
    'mapped.example': [v6('::ffff:127.0.0.1')],
    'ula.example': [v6('fd00:ec2::254')],
    'cgnat.example': [v4('100.64.1.1')],
    'zero.example': [v4('0.0.0.0')],
    'empty.example': [],
  });

  void it('answers public names as asked (one address or all) and refuses any name with a bad address', async () => {
    assert.deepEqual(await lookupOnce(resolve, 'api.partner.example', false), {
      address: '93.184.215.14',
      family: 4,
    });
    assert.deepEqual((await lookupOnce(resolve, 'api.partner.example', true)).address, [
      v4('93.184.215.14'),
      v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c'),
    ]);
    for (const name of [
      'internal.example',
      'metadata.example',
      'half.example',
      'mapped.example',
      'ula.example',
      'cgnat.example',
      'zero.example',
    ]) {
      assert.deepEqual(
        await lookupOnce(resolve, name, true),
        { error: "the destination's address is not allowed" },
        name,
      );
      assert.deepEqual(
        await lookupOnce(resolve, name, false),
        { error: "the destination's address is not allowed" },
        name,
      );
    }
    assert.match((await lookupOnce(resolve, 'empty.example', false)).error ?? '', /no address/);
    assert.match((await lookupOnce(resolve, 'nowhere.example', false)).error ?? '', /not found/);
  });
});

void describe('guardedHttpClient', () => {
  void it('checks every connection after resolution: a name rebound to a refused address is refused', async (t) => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(200, { connection: 'close' }).end('{}'));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    t.after(() => new Promise((done) => server.close(done)));
    const { port } = server.address() as AddressInfo;
    const answers: Record<string, LookupAddress[]> = { 'partner.test': [v4('127.0.0.1')] };
    const client = guardedHttpClient(addressPolicy(['127.0.0.1']), resolverOf(answers));
    t.after(() => client.close());
    const post = (host: string) =>
      client.post({ url: `http://${host}:${port}/aud`, body: '{}', headers: {}, timeoutMs: 5000 });

    assert.deepEqual(await post('partner.test'), { status: 200 });
    answers['partner.test'] = [v4('127.0.0.2')]; // rebound to an address outside the allowed one
    assert.deepEqual(await post('partner.test'), {
      error: "the destination's address is not allowed",
      retryable: false,
    });
    answers['partner.test'] = [v6('::ffff:127.0.0.1')];
    assert.deepEqual(await post('partner.test'), { status: 200 }, 'the mapped form of an allowed address');
    assert.equal(requests, 2);
  });

  void it('refuses IP literals and credentials before connecting, and reports failures without detail', async (t) => {
    const client = guardedHttpClient(addressPolicy(), resolverOf({}));
    t.after(() => client.close());
    const post = (url: string) => client.post({ url, body: '{}', headers: {}, timeoutMs: 2000 });
    const refused = { error: "the destination's address is not allowed", retryable: false };
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://[::1]:9/x',
      'http://[::ffff:a9fe:a9fe]/latest',
      'http://169.254.169.254/latest/meta-data/',
      'http://0x7f000001:9/x',
      'http://0.0.0.0:9/x',
    ]) {
      assert.deepEqual(await post(url), refused, url);
    }
    assert.deepEqual(await post('http://user:pw@api.example/x'), {
      error: 'the destination URL holds a user name or password; credentials go in headers',
      retryable: false,
    });
    assert.deepEqual(await post('http://unknown.example/x'), { error: 'connection failed' });
  });
});
