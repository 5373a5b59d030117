import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';

// snapshots every 300 records, looked for every second: the restart restores one and replays the tail
const ENV = { DMP_SNAPSHOT_EVERY_RECORDS: '300', DMP_RETENTION_INTERVAL_S: '1' };

async function hasSnapshot(dataDir: string): Promise<boolean> {
  const files = await readdir(join(dataDir, 'snapshots')).catch(() => []);
  return files.some((f) => f.endsWith('.snap'));
}

test('kill -9 while batches with ids stream in: every batch retried after the restart is applied exactly once', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-id-kill-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const out = execFileSync(process.execPath, [DMP, 'tenant', 'create', 'acme', '--data', dataDir], {
    encoding: 'utf8',
  });
  const keys = JSON.parse(out) as { apiKey: string };
  const auth = { authorization: `Bearer ${keys.apiKey}`, 'content-type': 'application/json' };
  const call = async (path: string, body?: unknown) => {
    const init =
      body === undefined ? { headers: auth } : { method: 'POST', headers: auth, body: JSON.stringify(body) };
    const r = await fetch(`${base}${path}`, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  let server = await startDmpProcess(dataDir, 0, ENV);
  const { port, base } = server;
  t.after(() => server.kill('SIGKILL'));
  for (const [path, body] of [
    ['/v1/traits', { code: 'visited_a', name: 'A', rule: 'url.path startsWith "/a"' }],
    ['/v1/segments', { code: 'has_a', name: 'Has A', rule: 'trait:visited_a' }],
    ['/v1/segments', { code: 'twice', name: 'Twice', rule: 'trait:visited_a[count >= 2]' }],
  ] as const)
    assert.equal((await call(path, body)).status, 201);

  // Four lanes of batches; each event a new visitor seen once, with its own id. A batch whose answer
  // never came (the server died under it) may or may not have been stored: the client retries it.
  const sent: { id: string; uid: string; url: string }[][] = [];
  let acked = 0;
  let killed = false;
  const lane = async (n: number): Promise<void> => {
    for (let b = 0; !killed; b++) {
      const batch = Array.from({ length: 50 }, (_, i) => {
        const uid = `v-${n}-${b}-${i}`;
        return { id: `e-${uid}`, uid, url: 'https://shop.example.com/a/page' };
      });
      sent.push(batch);
      try {
        const r = await fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(batch),
        });
        if (r.status !== 202) return;
        acked += batch.length;
      } catch {
        return;
      }
    }
  };
  const lanes = [0, 1, 2, 3].map(lane);
  while (acked < 3_000 || !(await hasSnapshot(dataDir))) await new Promise((r) => setTimeout(r, 20));
  server.kill('SIGKILL');
  killed = true;
  await Promise.all(lanes);
  await exited(server);

  server = await startDmpProcess(dataDir, port, ENV);
  let accepted = 0;
  let duplicates = 0;
  for (const batch of sent) {
    const r = await call('/v1/events', batch);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    accepted += r.body.accepted as number;
    duplicates += (r.body.duplicates as number | undefined) ?? 0;
  }
  const total = sent.length * 50;
  assert.equal(accepted + duplicates, total);
  assert.ok(
    duplicates >= acked,
    `${duplicates} duplicates, but ${acked} events were acknowledged before the kill`,
  );
  const size = async (code: string) => (await call(`/v1/segments/${code}/size`)).body.size;
  assert.equal(await size('has_a'), total, 'every event sent is there');
  assert.equal(await size('twice'), 0, 'none is there twice');

  // and once more after a clean stop: still each once
  server.kill('SIGTERM');
  await exited(server);
  server = await startDmpProcess(dataDir, port, ENV);
  const again = await call('/v1/events', sent[0]);
  assert.deepEqual(again.body, { accepted: 0, rejected: [], duplicates: 50 });
  assert.equal(await size('twice'), 0);
  server.kill('SIGTERM');
  await exited(server);
});
