import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { loadDemoDays } from '../../src/cli/demo-bulk.ts';
import { loadRules } from '../../src/qualify/rules-loader.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { tenantState } from '../helpers/tenant-state.ts';
import type { TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SPEC = { profiles: 400, days: 20, seed: 9, now: NOW };

async function tenantWithRules(h: TestApp) {
  const { tenant, apiKey } = await h.app.catalog.createTenant('bench');
  await loadRules(h.app.catalog, h.app.qualify, tenant);
  const demo = generateDemo({ ...SPEC, ruleTraits: 150, segments: 40 });
  await h.app.traits.createMany(tenant, demo.traits);
  for (const segment of demo.segments) await h.app.segments.create(tenant, segment);
  return { tenant, apiKey, demo };
}

async function logBytes(dir: string): Promise<string> {
  const files = await readdir(join(dir, 'log'));
  return (await Promise.all(files.map((f) => readFile(join(dir, 'log', f), 'latin1')))).join('');
}

test('the bulk path of `dmp demo` gives exactly the profiles and segments of the ingestion path, also after a replay', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-demo-bulk-'));
  const clock = manualClock(NOW);
  const ingested = await startTestApp(clock, join(root, 'ingested'));
  let bulk = await startTestApp(clock, join(root, 'bulk'));
  t.after(async () => {
    await ingested.close();
    await bulk.close();
    await rm(root, { recursive: true, force: true });
  });

  const a = await tenantWithRules(ingested);
  for (const batch of a.demo.batches(1_000)) {
    const result = await ingested.app.ingest.ingest(a.tenant, batch, { trusted: true });
    assert.equal(result.rejected.length, 0);
  }
  const b = await tenantWithRules(bulk);
  const applied = await loadDemoDays(bulk.app, b.tenant, SPEC, b.demo.eventCount());
  assert.equal(applied, a.demo.eventCount());
  assert.equal(bulk.app.log.lastSeq(), ingested.app.log.lastSeq() - a.demo.eventCount() + SPEC.days);

  const expected = tenantState(ingested.app, a.tenant);
  assert.ok(
    expected.sizes.some(([, size]) => (size as number) > 0),
    'some segment has members',
  );
  assert.equal(expected.profiles.length, SPEC.profiles);
  assert.deepEqual(tenantState(bulk.app, b.tenant), expected);

  // the day records replayed from the log (no snapshot) give the same again
  const image = join(root, 'replayed');
  await cp(bulk.dataDir, image, { recursive: true });
  await rm(join(image, 'snapshots'), { recursive: true, force: true });
  const replayed = await startTestApp(clock, image);
  try {
    assert.equal(replayed.app.startup.replayed, replayed.app.log.lastSeq());
    assert.deepEqual(tenantState(replayed.app, b.tenant), expected);
  } finally {
    await replayed.close();
  }

  // a generated visitor's export holds its events, drawn again from the day records
  const uid = (expected.profiles[7] as { uid: string }).uid;
  const exportOf = async (h: TestApp, key: string) =>
    (await h.call('GET', `/v1/profiles/${uid}/export`, key)).body as {
      events: { ts: number; url: unknown }[];
    };
  const fromBulk = (await exportOf(bulk, b.apiKey)).events.map((e) => [e.ts, e.url]);
  const fromEvents = (await exportOf(ingested, a.apiKey)).events.map((e) => [e.ts, e.url]);
  assert.ok(fromEvents.length > 0);
  assert.deepEqual(fromBulk, fromEvents);

  // deleting a generated visitor rewrites the day records to leave it out: a replay does not bring it back
  assert.equal((await bulk.call('DELETE', `/v1/profiles/${uid}`, b.apiKey)).status, 200);
  // the `delete` record itself stays until the next sweep's snapshot covers it (ADR 0008)
  await bulk.app.sweep();
  assert.ok(!(await logBytes(bulk.dataDir)).includes(uid), 'the uid is not in the log');
  const afterDeletion = tenantState(bulk.app, b.tenant);
  assert.equal(afterDeletion.profiles.length, SPEC.profiles - 1);
  await bulk.close();
  await rm(join(bulk.dataDir, 'snapshots'), { recursive: true, force: true });
  bulk = await startTestApp(clock, bulk.dataDir);
  assert.equal(bulk.app.startup.used, undefined);
  assert.deepEqual(tenantState(bulk.app, b.tenant), afterDeletion);
  assert.equal((await bulk.call('GET', `/v1/profiles/${uid}`, b.apiKey)).status, 404);
});
