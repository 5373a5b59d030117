import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { Snapshots } from './snapshots.ts';

const T0 = Date.parse('2026-11-20T12:00:00Z');

/** Two tenants of profiles with realisations and a built audience index each, in a store and qualify pair. */
function populated() {
  const store = createMemoryProfileStore();
  const qualify = testQualify(store);
  for (const tenant of ['a', 'b']) {
    const profiles = store.tenant(tenant);
    for (let i = 0; i < 50; i++) {
      const p = profiles.resolve(`${tenant}-${i}`, {}, true)!;
      profiles.addRealisation(p, 1 + (i % 3), T0 - i * 60_000);
      profiles.addRealisation(p, 1 + (i % 3), T0 - i * 30_000); // twice: count levels too
    }
  }
  qualify.startIndexing();
  for (const tenant of ['a', 'b']) qualify.audience(tenant);
  return { store, qualify };
}

test('a snapshot damaged in its last piece restores nothing: tenants restored before the damage are undone', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-snapshots-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const live = populated();
  const taken = new Snapshots(dir, live.store, live.qualify).take();
  assert.ok(taken.taken);

  // intact: both tenants come back whole
  const again = createMemoryProfileStore();
  const restored = new Snapshots(dir, again, testQualify(again)).restore(Number.MAX_SAFE_INTEGER);
  assert.equal(restored.used?.seq, taken.seq);
  assert.deepEqual(again.tenants().sort(), ['a', 'b']);
  assert.equal(again.tenant('b').count(), 50);

  // damaged in the last part written (the second tenant's audience index): nothing is left restored
  const [file] = (await readdir(dir)).filter((f) => f.endsWith('.snap'));
  const bytes = await readFile(join(dir, file!));
  const headerAt = Number(bytes.readBigUInt64LE(8)); // the parts end where the header begins
  bytes[headerAt - 4]! ^= 0xff; // inside the last part (8 bytes, so it ends at the header)
  await writeFile(join(dir, file!), bytes);
  const fresh = createMemoryProfileStore();
  const qualify = testQualify(fresh);
  const result = new Snapshots(dir, fresh, qualify).restore(Number.MAX_SAFE_INTEGER);
  assert.equal(result.used, undefined);
  assert.match(result.skipped.join('\n'), /part b\/audience\.[a-z.]+ fails its checksum/);
  assert.deepEqual(fresh.tenants(), [], 'the first tenant, restored before the damage was found, is undone');
  assert.deepEqual(qualify.audienceParts('a'), []);
});
