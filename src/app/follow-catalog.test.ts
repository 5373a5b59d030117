import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../api/request-log.ts';
import type { CatalogChange } from '../catalog/catalog-changes.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import type { FollowedCaches } from './follow-catalog.ts';
import { CatalogFollower } from './follow-catalog.ts';

/** A catalog that tells of changes when the test says so, and counts the rule reads. */
function changingCatalog(tenants: string[]) {
  let tell: ((change: CatalogChange) => void) | undefined;
  const reads: string[] = [];
  return {
    reads,
    emit: (tenant: string, kind: string) => tell?.({ tenant, kind }),
    catalog: {
      listen: async (onChange: (change: CatalogChange) => void) => {
        tell = onChange;
        return { close: async () => undefined };
      },
      listTenants: async () => tenants.map((id) => ({ id }) as never),
      listTraits: async (tenant: string) => {
        reads.push(tenant);
        return [];
      },
      listSegments: async () => [],
    },
  };
}

/** The hooks each cache offers, recording what they were told. */
function recordingCaches(catalog: FollowedCaches['catalog'], failOptOuts = false) {
  const told: string[] = [];
  const caches: FollowedCaches = {
    catalog,
    qualify: testQualify(createMemoryProfileStore()),
    optOuts: {
      refresh: async (t) => {
        told.push(`opt-outs ${t}`);
        if (failOptOuts) throw new Error('catalog down');
      },
    },
    destinations: { changedElsewhere: () => told.push('destinations') },
    runner: {
      destinationsChangedElsewhere: async (t) => void told.push(`runs of deleted destinations ${t}`),
      runsChangedElsewhere: async (t) => void told.push(`runs ${t}`),
    },
    campaigns: { reload: async (t) => void told.push(`campaigns ${t}`) },
    partners: { changedElsewhere: (t) => void told.push(`partners ${t}`) },
    identitySettings: { forget: (t) => void told.push(`identity ${t}`) },
  };
  return { told, caches };
}

const quiet = () => createLogger('silent');
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('changes are gathered per tenant and cache: ten trait changes make one read of the rules', async () => {
  const { catalog, emit, reads } = changingCatalog(['acme']);
  const follower = await CatalogFollower.listen(catalog, quiet(), 20);
  const { told, caches } = recordingCaches(catalog);
  follower.follow(caches);
  for (let i = 0; i < 10; i++) emit('acme', i % 2 === 0 ? 'trait' : 'segment');
  emit('acme', 'audit');
  emit('acme', 'partner');
  await settle(80);
  assert.deepEqual(reads, ['acme']);
  assert.deepEqual(told, ['partners acme']);
  await follower.close();
});

test('changes heard before follow() are applied then; "*" reloads every cache of every tenant', async () => {
  const { catalog, emit, reads } = changingCatalog(['a', 'b']);
  const follower = await CatalogFollower.listen(catalog, quiet(), 5);
  emit('a', 'opt-out');
  const { told, caches } = recordingCaches(catalog);
  follower.follow(caches);
  await settle(40);
  assert.deepEqual(told, ['opt-outs a']);
  told.length = 0;
  emit('*', '*');
  await settle(40);
  assert.deepEqual(reads.sort(), ['a', 'b']);
  assert.deepEqual(told.sort(), [
    'campaigns a',
    'campaigns b',
    'destinations',
    'destinations',
    'identity a',
    'identity b',
    'opt-outs a',
    'opt-outs b',
    'partners a',
    'partners b',
    'runs a',
    'runs b',
    'runs of deleted destinations a',
    'runs of deleted destinations b',
  ]);
  await follower.close();
});

test('a failed reload is logged and the next change is still followed; nothing after close', async () => {
  const { catalog, emit } = changingCatalog(['acme']);
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const follower = await CatalogFollower.listen(catalog, createLogger('info', stream), 5);
  const { told, caches } = recordingCaches(catalog, true);
  follower.follow(caches);
  emit('acme', 'opt-out');
  await settle(30);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /reloading opt-outs of tenant acme after a catalog change failed/);
  emit('acme', 'opt-out');
  await settle(30);
  assert.deepEqual(told, ['opt-outs acme', 'opt-outs acme']);
  await follower.close();
  emit('acme', 'opt-out');
  await settle(30);
  assert.equal(told.length, 2);
});

test('a catalog without listen (SQLite: one process) gives a follower that does nothing', async () => {
  const follower = await CatalogFollower.listen({ listTenants: async () => [] }, quiet());
  assert.equal(follower.listening, false);
  follower.follow(
    recordingCaches({ listTenants: async () => [], listTraits: async () => [], listSegments: async () => [] })
      .caches,
  );
  await follower.close();
});
