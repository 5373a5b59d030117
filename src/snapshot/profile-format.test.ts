import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { ProfileStore } from '../profiles/profile-store.ts';
import { jsonPart } from '../profiles/snapshot-parts.ts';
import { writeSnapshotFile } from './snapshot-file.ts';
import { Snapshots, type SnapshotQualify } from './snapshots.ts';

// The profiles' snapshot layout went to version 4 (several IDs of a type, each with its learnt time): a
// file of the previous layout is passed over, so the start replays the log once instead.

const T0 = Date.parse('2026-11-20T12:00:00Z');
const SEQ = 40;

/**
 * What snapshots read of qualification, for a store with no rules and no audience index: the log applied
 * up to `SEQ` (the profile store is the real one; qualification adds nothing these files depend on).
 */
function qualifyOf(store: ProfileStore): SnapshotQualify {
  let applied = SEQ;
  return {
    stats: { deletions: 0 },
    appliedThrough: () => applied,
    markAppliedThrough: (seq) => {
      applied = Math.max(applied, seq);
    },
    tenants: () => store.tenants(),
    rules: () => ({ traitsById: new Map() }),
    audienceParts: () => [],
    restoreAudience: () => {},
    dropAudience: () => {},
  };
}

/** A tenant whose profiles went through a merge, so the snapshot holds two uids on one profile. */
function populated(): ProfileStore {
  const store = createMemoryProfileStore();
  const profiles = store.tenant('t');
  const phone = profiles.resolve('phone', { maid: 'm-1' }, true, T0)!;
  const laptop = profiles.resolve('laptop', {}, true, T0 + 1000)!;
  profiles.addRealisation(phone, 1, T0);
  profiles.addRealisation(laptop, 1, T0 + 1000);
  profiles.merge(phone, laptop);
  return store;
}

test('a snapshot of the profiles restores two IDs of a type and their learnt times; one of layout 3 is passed over and the log replayed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-profile-format-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const live = populated();
  const taken = new Snapshots(dir, live, qualifyOf(live)).take();
  assert.ok(taken.taken);

  const again = createMemoryProfileStore();
  const restored = new Snapshots(dir, again, qualifyOf(again)).restore(SEQ);
  assert.equal(restored.fromSeq, SEQ + 1);
  const profiles = again.tenant('t');
  const p = profiles.find('uid', 'laptop');
  assert.equal(p, profiles.find('uid', 'phone'));
  assert.deepEqual(profiles.allIds(p!), [
    { type: 'uid', value: 'phone', learntAt: T0 },
    { type: 'maid', value: 'm-1', learntAt: T0 },
    { type: 'uid', value: 'laptop', learntAt: T0 + 1000 },
  ]);
  assert.equal(profiles.traitSummaries(p!)[0]?.count, 2);

  // a newer file written by the previous release: same parts, `profiles.meta` of version 3
  const old = live
    .tenant('t')
    .snapshotParts()
    .map((part) =>
      part.name === 'profiles.meta' ? jsonPart('profiles.meta', { version: 3, littleEndian: true }) : part,
    );
  const manifest = { seq: SEQ + 1, createdAt: Date.now(), tenants: { t: { fingerprints: {} } } };
  const name = `snapshot-${String(SEQ + 1).padStart(16, '0')}.snap`;
  writeSnapshotFile(join(dir, name), manifest, new Map([['t', old]]));
  const fresh = createMemoryProfileStore();
  const result = new Snapshots(dir, fresh, qualifyOf(fresh)).restore(SEQ + 1);
  assert.match(
    result.skipped.join('\n'),
    new RegExp(`${name}: snapshot profiles\\.meta: cannot read \\{"version":3`),
  );
  assert.equal(result.used?.file, taken.file, 'the older file of this layout is used');

  // alone, it is passed over and the whole log is replayed
  await rm(join(dir, taken.file));
  const empty = createMemoryProfileStore();
  const alone = new Snapshots(dir, empty, qualifyOf(empty)).restore(SEQ + 1);
  assert.equal(alone.fromSeq, 1);
  assert.equal(alone.used, undefined);
  assert.deepEqual(empty.tenants(), []);
});
