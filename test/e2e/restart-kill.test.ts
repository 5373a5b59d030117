import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';
import { join } from 'node:path';

async function listAll(base: string, key: string): Promise<Map<string, string[]>> {
  const all = new Map<string, string[]>();
  let cursor: string | null = null;
  do {
    const url: string = `${base}/v1/profiles?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`;
    const r = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const body = (await r.json()) as {
      profiles: { uid: string; segments: string[] }[];
      nextCursor: string | null;
    };
    for (const p of body.profiles) all.set(p.uid, p.segments);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return all;
}

test('SIGKILL in the middle of a stream of batches: every acknowledged event is there after restart, none twice', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-kill-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const keys = JSON.parse(
    execFileSync(process.execPath, [DMP, 'tenant', 'create', 'acme', '--data', dataDir], {
      encoding: 'utf8',
    }),
  ) as {
    tenant: string;
    apiKey: string;
    siteKey: string;
  };
  assert.deepEqual(Object.keys(keys).sort(), ['apiKey', 'siteKey', 'tenant']);
  const auth = { authorization: `Bearer ${keys.apiKey}`, 'content-type': 'application/json' };

  let server = await startDmpProcess(dataDir, 0);
  const { port, base } = server;
  t.after(() => server.kill('SIGKILL'));
  for (const [path, body] of [
    ['/v1/traits', { code: 'visited_a', name: 'A', rule: 'url.path startsWith "/a"' }],
    ['/v1/segments', { code: 'has_a', name: 'Has A', rule: 'trait:visited_a' }],
    ['/v1/segments', { code: 'twice', name: 'Twice', rule: 'trait:visited_a[count >= 2]' }],
  ] as const) {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    assert.equal(r.status, 201);
  }

  // Four concurrent streams of batches; each event is a new visitor seen once.
  const acked = new Set<string>();
  let killed = false;
  const stream = async (lane: number): Promise<void> => {
    for (let batch = 0; !killed; batch++) {
      const uids = Array.from({ length: 50 }, (_, i) => `v-${lane}-${batch}-${i}`);
      const events = uids.map((uid) => ({ uid, url: 'https://shop.example.com/a/page' }));
      try {
        const r = await fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(events),
        });
        if (r.status !== 202) return;
        for (const uid of uids) acked.add(uid);
      } catch {
        return; // the server died under this request: nothing was acknowledged
      }
    }
  };
  const lanes = [0, 1, 2, 3].map(stream);
  while (acked.size < 4_000) await new Promise((r) => setTimeout(r, 20));
  server.kill('SIGKILL');
  killed = true;
  await Promise.all(lanes);
  await exited(server);

  server = await startDmpProcess(dataDir, port);
  const after = await listAll(base, keys.apiKey);
  for (const uid of acked) assert.ok(after.has(uid), `acknowledged ${uid} is missing after restart`);
  for (const [uid, segments] of after) {
    assert.deepEqual(segments, ['has_a'], `${uid}: ${segments.join(',')}`);
  }
  const size = (await (await fetch(`${base}/v1/segments/has_a/size`, { headers: auth })).json()) as {
    size: number;
  };
  assert.equal(size.size, after.size);

  // A clean stop and start keeps everything too.
  server.kill('SIGTERM');
  await exited(server);
  server = await startDmpProcess(dataDir, port);
  const again = await listAll(base, keys.apiKey);
  assert.equal(again.size, after.size);
  server.kill('SIGTERM');
  await exited(server);
});
