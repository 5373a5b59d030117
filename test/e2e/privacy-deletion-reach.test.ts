import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { manualClock } from '../../src/core/clock.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { World } from '../helpers/activation-world.ts';
import {
  exportFiles,
  fileDestination,
  gunzipText,
  httpDestination,
  ok,
  runViaApi,
  seedRules,
  startWorld,
  visit,
} from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const UID = 'v-forget-9c1e52';
const MAID = maidOf('m-forget-4d7a90');

/** Every file under `dir` (gzipped ones read unzipped) whose bytes hold one of `needles`, relative names. */
async function filesHolding(dir: string, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    if ((await stat(path)).isDirectory()) {
      for (const name of await readdir(path)) await walk(join(path, name));
      return;
    }
    let bytes = await readFile(path);
    if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
    if (needles.some((n) => bytes.includes(Buffer.from(n)))) found.push(relative(dir, path));
  };
  await walk(dir);
  return found.sort();
}

/** A visitor with a uid and a maid in an http destination's dead letters, two file exports and their state. */
async function activatedWorld(w: World): Promise<void> {
  await seedRules(w);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'hook')));
  ok(await w.call('POST', '/v1/destinations', fileDestination('files', 'csv', 2)));
  ok(await w.call('POST', '/v1/destinations', fileDestination('mfiles', 'ndjson', 2, 'maid')));
  assert.equal(
    await w.post([
      visit(UID, '/pricing', { maid: MAID }),
      visit('v-keep-1', '/pricing', { maid: maidOf('m-keep-1') }),
      visit('v-keep-2', '/blog', { maid: maidOf('m-keep-2') }),
    ]),
    202,
  );
  w.partner.answerNext(1, { status: 400 });
  assert.equal((await runViaApi(w, 'hook', { mode: 'full' })).status, 'partial');
  for (const runId of ['r1', 'r2']) {
    assert.equal((await runViaApi(w, 'files', { runId })).status, 'succeeded');
    assert.equal((await runViaApi(w, 'mfiles', { runId: `m${runId}` })).status, 'succeeded');
  }
}

test('a deletion by any ID reaches dead letters, activation state, file exports and snapshots; a restart restores a snapshot', async (t) => {
  const clock = manualClock(NOW);
  const root = await mkdtemp(join(tmpdir(), 'opendmp-reach-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'live');
  const w = await startWorld(clock, dir);
  let open = true;
  t.after(async () => {
    if (open) await w.close();
  });
  await activatedWorld(w);
  assert.ok(w.app.snapshots.take().taken);
  const before = await filesHolding(dir, [UID, MAID]);
  for (const where of ['catalog.sqlite', 'activation/', 'exports/', 'snapshots/'])
    assert.ok(
      before.some((f) => f.startsWith(where)),
      `${where} holds the visitor before: ${before.join()}`,
    );

  // deleted by its maid: every ID the profile held goes
  const deleted = await w.call('DELETE', `/v1/profiles/x?idType=maid&id=${MAID}`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const crashed = join(root, 'crashed');
  await cp(dir, crashed, { recursive: true });
  await w.app.sweep();

  // left: each destination's state names the ID alone, as a removal the next run sends
  assert.deepEqual(await filesHolding(dir, [UID, MAID]), [
    'activation/acme/files/state.json.gz',
    'activation/acme/mfiles/state.json.gz',
  ]);
  const state = JSON.parse(gunzipText(await readFile(join(dir, 'activation/acme/files/state.json.gz')))) as {
    members: [string, string[]][];
    erased?: string[];
  };
  assert.deepEqual(state.erased, [UID]);
  assert.ok(!state.members.some(([id]) => id === UID));
  const letters = (await w.call('GET', '/v1/destinations/hook/dead-letters?limit=10')).body as {
    deadLetters: { payload: { added: { id: string }[] } }[];
  };
  assert.deepEqual(letters.deadLetters.flatMap((l) => l.payload.added.map((a) => a.id)).sort(), [
    'v-keep-1',
    'v-keep-2',
  ]);
  const manifest = JSON.parse((await exportFiles(w, 'files', 'r1')).get('manifest.json')!.toString()) as {
    totalRows: number;
  };
  assert.equal(manifest.totalRows, 2, 'the export lost its row, and its manifest says so');
  assert.ok((await exportFiles(w, 'files', 'r1')).has('_SUCCESS'));

  // the next delta run tells the partner, and then no file holds the visitor but that run's removal row
  assert.equal((await runViaApi(w, 'files', { runId: 'r3' })).status, 'succeeded');
  const r3 = gunzipText((await exportFiles(w, 'files', 'r3')).get('part-00000.csv.gz')!);
  assert.match(r3, new RegExp(`^${UID},,remove$`, 'm'));
  assert.deepEqual(await filesHolding(dir, [UID, MAID]), [
    'activation/acme/mfiles/state.json.gz',
    'exports/acme/files/r3/part-00000.csv.gz',
  ]);

  await w.close();
  open = false;
});

test('a restart after a deletion, clean or after a crash, restores a snapshot and replays only the tail', async (t) => {
  const clock = manualClock(NOW);
  const root = await mkdtemp(join(tmpdir(), 'opendmp-reach-restart-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'live');
  let h = await startTestApp(clock, dir);
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  const events = Array.from({ length: 40 }, (_, i) => ({ uid: `v-${i}`, ids: { maid: maidOf(`m-${i}`) } }));
  assert.equal(
    (await h.call('POST', '/v1/events', apiKey, [...events, { uid: UID, ids: { maid: MAID } }])).status,
    202,
  );
  assert.ok(h.app.snapshots.take().taken);
  assert.equal((await h.call('DELETE', `/v1/profiles/${UID}`, apiKey)).status, 200);
  // a crash right after the deletion: the older snapshot is used, and the delete record replayed
  const crashed = join(root, 'crashed');
  await cp(dir, crashed, { recursive: true });
  await h.close();

  h = await startTestApp(clock, dir);
  assert.notEqual(h.app.startup.used, undefined, JSON.stringify(h.app.startup));
  assert.equal(h.app.startup.replayed, 0);
  assert.equal((await h.call('GET', `/v1/profiles/${UID}`, apiKey)).status, 404);
  assert.equal((await h.call('GET', '/v1/profiles/v-3', apiKey)).status, 200);
  await h.close();
  assert.deepEqual(await filesHolding(dir, [UID, MAID]), []);

  h = await startTestApp(clock, crashed);
  assert.notEqual(h.app.startup.used, undefined, JSON.stringify(h.app.startup));
  assert.ok(h.app.startup.replayed <= 2, `replayed ${h.app.startup.replayed}`);
  assert.throws(() => h.app.profileService.get(tenant, { uid: UID }));
  assert.equal((await h.call('GET', '/v1/profiles/v-3', apiKey)).status, 200);
  await h.close();
  assert.deepEqual(
    await filesHolding(crashed, [UID, MAID]),
    [],
    'the snapshot at the stop after the crash took the older one and the delete record away',
  );
});
