import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { loadRules } from '../../src/qualify/rules-loader.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { tenantState } from '../helpers/tenant-state.ts';
import type { TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** A copy of the data folder as a crash would leave it: what is on disk now, no stop. */
async function crashImage(h: TestApp, root: string, name: string): Promise<string> {
  const copy = join(root, name);
  await cp(h.dataDir, copy, { recursive: true });
  return copy;
}

async function snapshotFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'snapshots'))).filter((f) => f.endsWith('.snap'));
}

test('restart from a snapshot and the log after it gives exactly what a full replay gives', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-snapshot-'));
  const clock = manualClock(NOW);
  const dir = join(root, 'live');
  let h = await startTestApp(clock, dir);
  t.after(async () => {
    await h.app.close();
    await rm(root, { recursive: true, force: true });
  });
  const { tenant } = await h.app.catalog.createTenant('acme');
  await loadRules(h.app.catalog, h.app.qualify, tenant);
  const demo = generateDemo({ profiles: 300, days: 30, seed: 3, now: NOW, ruleTraits: 120, segments: 40 });
  await h.app.traits.createMany(tenant, demo.traits);
  for (const segment of demo.segments) await h.app.segments.create(tenant, segment);
  const batches = [...demo.batches(500)];
  const half = Math.floor(batches.length / 2);
  for (const batch of batches.slice(0, half)) await h.app.ingest.ingest(tenant, batch, { trusted: true });

  // a clean stop writes a snapshot; the next start reads it and replays nothing
  const before = tenantState(h.app, tenant);
  const stoppedAt = h.app.log.lastSeq();
  await h.app.close();
  assert.equal((await snapshotFiles(dir)).length, 1);
  h = await startTestApp(clock, dir);
  assert.equal(h.app.startup.used?.seq, stoppedAt, JSON.stringify(h.app.startup));
  assert.equal(h.app.startup.replayed, 0);
  assert.deepEqual(tenantState(h.app, tenant), before);

  // a crash: the snapshot of the clean stop, then the log after it
  for (const batch of batches.slice(half)) await h.app.ingest.ingest(tenant, batch, { trusted: true });
  const live = tenantState(h.app, tenant);
  const crashed = await startTestApp(clock, await crashImage(h, root, 'crash-1'));
  assert.equal(crashed.app.startup.used?.seq, stoppedAt);
  assert.equal(crashed.app.startup.replayed, h.app.log.lastSeq() - stoppedAt);
  assert.deepEqual(tenantState(crashed.app, tenant), live);
  await crashed.app.close();

  // the same without any snapshot: the whole log
  const bare = await crashImage(h, root, 'no-snapshot');
  await rm(join(bare, 'snapshots'), { recursive: true });
  const replayed = await startTestApp(clock, bare);
  assert.equal(replayed.app.startup.used, undefined);
  assert.deepEqual(tenantState(replayed.app, tenant), live);
  await replayed.app.close();

  // a trait rewritten with backfill after the snapshot: the snapshot no longer fits, the log is replayed
  const trait = demo.traits[5]!;
  await h.app.traits.update(tenant, trait.code, { rule: 'url.path startsWith "/p"', backfill: true });
  const changed = tenantState(h.app, tenant);
  const afterChange = await startTestApp(clock, await crashImage(h, root, 'crash-2'));
  assert.equal(afterChange.app.startup.used, undefined);
  assert.match(afterChange.app.startup.skipped.join('\n'), /was changed since it was taken/);
  assert.deepEqual(tenantState(afterChange.app, tenant), changed);
  await afterChange.app.close();

  // a damaged snapshot is passed over, with the reason
  const damaged = await crashImage(h, root, 'damaged');
  const [file] = await snapshotFiles(damaged);
  const bytes = await readFile(join(damaged, 'snapshots', file!));
  bytes[bytes.length - 1]! ^= 0xff;
  await writeFile(join(damaged, 'snapshots', file!), bytes);
  const fromDamaged = await startTestApp(clock, damaged);
  assert.match(fromDamaged.app.startup.skipped.join('\n'), /checksum|changed/);
  assert.deepEqual(tenantState(fromDamaged.app, tenant), changed);
  await fromDamaged.app.close();
});

test('a deletion leaves no snapshot holding the visitor, and a restart does not bring it back', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-snapshot-del-'));
  const clock = manualClock(NOW);
  const dir = join(root, 'live');
  let h = await startTestApp(clock, dir);
  let open = true;
  t.after(async () => {
    if (open) await h.app.close();
    await rm(root, { recursive: true, force: true });
  });
  const { tenant } = await h.app.catalog.createTenant('acme');
  await loadRules(h.app.catalog, h.app.qualify, tenant);
  const demo = generateDemo({ profiles: 100, days: 10, seed: 4, now: NOW });
  await h.app.traits.createMany(tenant, demo.traits);
  for (const batch of demo.batches(1_000)) await h.app.ingest.ingest(tenant, batch, { trusted: true });
  const victim = h.app.profileService.list(tenant, undefined, 1).profiles[0]!.uid;
  await h.app.close();
  open = false;
  const holds = async (d: string) => {
    for (const f of await snapshotFiles(d))
      if ((await readFile(join(d, 'snapshots', f))).includes(Buffer.from(victim))) return true;
    return false;
  };
  assert.ok(await holds(dir), 'the snapshot holds the visitor before the deletion');

  h = await startTestApp(clock, dir);
  open = true;
  await h.app.privacy.delete(tenant, { uid: victim }, 'test');
  // the older snapshot stays (the delete record, kept in the log, removes the visitor if it is restored)
  assert.ok(h.app.snapshots.due(0), 'a new snapshot is due at the next sweep, even with periodic ones off');
  await h.app.sweep();
  assert.equal(await holds(dir), false, 'no snapshot keeps the deleted visitor');
  assert.equal((await snapshotFiles(dir)).length, 1, 'only the snapshot taken after the deletion');
  const after = tenantState(h.app, tenant);
  await h.app.close();
  open = false;
  assert.equal((await snapshotFiles(dir)).length, 1);
  assert.equal(await holds(dir), false);

  h = await startTestApp(clock, dir);
  open = true;
  assert.notEqual(h.app.startup.used, undefined);
  assert.equal(h.app.startup.replayed, 0);
  assert.deepEqual(tenantState(h.app, tenant), after);
  assert.throws(() => h.app.profileService.get(tenant, { uid: victim }));
});
