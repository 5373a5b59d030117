import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';
import { testDatabaseUrl } from '../contracts/catalog/postgres-test-database.ts';
import { CHROME_UA, LONDON_IP } from '../helpers/addresses.ts';

const run = promisify(execFile);

/**
 * `--catalog postgres://...` (or DMP_CATALOG) puts the catalog in PostgreSQL for every command: `dmp
 * tenant create` makes the tenant there, `dmp serve` reads and writes its traits, segments and users
 * there (and no `catalog.sqlite` appears in the data folder), `dmp user add` adds a console user the
 * running server logs in, and a restart finds everything with the same exact size.
 */
test('dmp tenant create, serve and user add with --catalog postgres://: the catalog lives in PostgreSQL across a restart', async (t) => {
  const url = await testDatabaseUrl();
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-pg-serve-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dmp = (...args: string[]) => run(process.execPath, [DMP, ...args, '--data', dir, '--catalog', url]);

  const { apiKey, tenant } = JSON.parse((await dmp('tenant', 'create', 'acme')).stdout) as {
    apiKey: string;
    tenant: string;
  };
  let child = await startDmpProcess(dir, 0, { DMP_CATALOG: url });
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${child.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  const trait = { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await call('POST', '/v1/traits', trait)).status, 201);
  const segment = { code: 'london_pricing', name: 'LP', rule: 'trait:pricing and geo.city == "London"' };
  assert.equal((await call('POST', '/v1/segments', segment)).status, 201);
  const events = ['ann', 'bob'].map((uid) => ({
    uid,
    ip: LONDON_IP,
    ua: CHROME_UA,
    url: 'https://shop.example.com/pricing',
  }));
  assert.equal((await call('POST', '/v1/events', events)).status, 202);
  const size = (await call('GET', '/v1/segments/london_pricing/size')).body as { size: number };
  assert.equal(size.size, 2);
  assert.equal(existsSync(join(dir, 'catalog.sqlite')), false, 'no SQLite catalog beside the log');

  const user = JSON.parse((await dmp('user', 'add', tenant, 'vic@acme.com', '--role', 'viewer')).stdout) as {
    password: string;
  };
  const login = await fetch(`${child.base}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'vic@acme.com', password: user.password }),
  });
  assert.equal(login.status, 200, 'the running server finds the user dmp user add put in PostgreSQL');

  child.kill('SIGTERM');
  await exited(child);
  child = await startDmpProcess(dir, 0, { DMP_CATALOG: url });
  const again = (await call('GET', '/v1/segments/london_pricing')).body as { rule: string };
  assert.equal(again.rule, segment.rule);
  assert.equal(((await call('GET', '/v1/segments/london_pricing/size')).body as { size: number }).size, 2);
  const audit = (await call('GET', '/v1/audit?action=segment.create')).body as { entries: unknown[] };
  assert.equal(audit.entries.length, 1, 'the audit log is in PostgreSQL too');
});
