import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';
import type { DmpProcess } from '../helpers/dmp-process.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import { CHROME_UA, LONDON_IP } from '../helpers/addresses.ts';

const run = promisify(execFile);

/**
 * `dmp serve --log nats://...` (DMP_LOG) keeps the event log in a NATS JetStream stream instead of the
 * data folder: events are acknowledged once JetStream has them, a `kill -9` loses none of them (the
 * restarted server rebuilds its profiles by replaying the stream: the same exact size), a deletion
 * erases the visitor's events from the stream (its export is gone after the restart too), and the data
 * folder holds no log segments. A bad DMP_LOG stops the start with what to write.
 */
test('dmp serve with the event log in NATS JetStream: kill -9, replay, the same answers; a deletion stays erased', async (t) => {
  const nats = await startNatsServer();
  t.after(() => nats.stop());
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-nats-serve-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { apiKey } = JSON.parse(
    (await run(process.execPath, [DMP, 'tenant', 'create', 'acme', '--data', dir])).stdout,
  ) as { apiKey: string };
  const env = { DMP_LOG: nats.urls.join(','), DMP_PARTITIONS: '4' };
  let child: DmpProcess = await startDmpProcess(dir, 0, env);
  t.after(async () => {
    child.kill('SIGKILL');
    await exited(child);
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${child.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as unknown };
  };
  const trait = { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await call('POST', '/v1/traits', trait)).status, 201);
  const segment = { code: 'london_pricing', name: 'LP', rule: 'trait:pricing and geo.city == "London"' };
  assert.equal((await call('POST', '/v1/segments', segment)).status, 201);
  const visitors = Array.from({ length: 30 }, (_, i) => `v-${i}`);
  const events = visitors.map((uid) => ({
    uid,
    ip: LONDON_IP,
    ua: CHROME_UA,
    url: 'https://shop.example.com/pricing',
  }));
  assert.equal((await call('POST', '/v1/events', events)).status, 202);
  const sizeOf = async () =>
    ((await call('GET', '/v1/segments/london_pricing/size')).body as { size: number }).size;
  assert.equal(await sizeOf(), 30);
  const deleted = await call('DELETE', '/v1/profiles/v-7');
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.equal(await sizeOf(), 29);
  const logDir = join(dir, 'log');
  const segments = existsSync(logDir) ? await readdir(logDir) : [];
  assert.deepEqual(segments, [], 'no log segments in the data folder');

  child.kill('SIGKILL');
  await exited(child);
  child = await startDmpProcess(dir, 0, env);
  assert.equal(await sizeOf(), 29, 'every acknowledged event replayed from the stream, the deletion too');
  assert.equal((await call('GET', '/v1/profiles/v-8')).status, 200);
  assert.equal((await call('GET', '/v1/profiles/v-7')).status, 404, 'the deleted visitor stays deleted');
  assert.equal((await call('GET', '/v1/profiles/v-7/export')).status, 404);

  await assert.rejects(
    run(process.execPath, [DMP, 'serve', '--data', dir, '--log', 'redis://127.0.0.1:6379']),
    (e: { code: number; stderr: string }) =>
      e.code === 2 && /give NATS servers as nats:\/\/HOST:PORT/.test(e.stderr),
  );
});
