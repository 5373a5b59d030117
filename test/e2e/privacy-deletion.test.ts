import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SECRET_UID = 'visitor-to-forget-7f3a';
const SECRET_MAID = maidOf('m-secret');

async function logBytes(dir: string): Promise<string> {
  const files = await readdir(join(dir, 'log'));
  const parts = await Promise.all(files.map((f) => readFile(join(dir, 'log', f), 'latin1')));
  return parts.join('');
}

test('a deleted visitor is gone everywhere, with a receipt, and nothing comes back after a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-delete-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = manualClock(NOW);
  let h = await startTestApp(clock, dir);
  const { apiKey } = await h.app.catalog.createTenant('acme');
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing',
    name: 'P',
    rule: 'url.path startsWith "/pricing"',
  });
  await h.call('POST', '/v1/segments', apiKey, { code: 'pricing_fans', name: 'F', rule: 'trait:pricing' });
  await h.call('POST', '/v1/segments', apiKey, { code: 'everyone', name: 'E', rule: 'visits >= 1' });
  const page = (uid: string, ts: number) => ({
    uid,
    url: 'https://shop.example.com/pricing',
    ts,
    ids: { maid: maidOf(`m-${uid}`) },
  });
  const events = [
    page(SECRET_UID, NOW - 3_600_000),
    page('keeper', NOW - 3_000_000),
    page(SECRET_UID, NOW - 60_000),
  ];
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);

  const exported = await h.call('GET', `/v1/profiles/${SECRET_UID}/export`, apiKey);
  assert.equal(exported.status, 200);
  const dump = exported.body as {
    events: { uid: string }[];
    realisations: { trait: string; times: string[] }[];
  };
  assert.equal(dump.events.length, 2, 'the export holds the raw events');
  assert.deepEqual(
    dump.realisations.map((r) => [r.trait, r.times.length]),
    [['pricing', 2]],
  );
  assert.ok((await logBytes(dir)).includes(SECRET_UID));

  const deleted = await h.call('DELETE', `/v1/profiles/${SECRET_UID}`, apiKey);
  assert.equal(deleted.status, 200);
  const receipt = deleted.body as { deleted: boolean; removed: Record<string, number> };
  assert.deepEqual(receipt.removed, {
    profile: 1,
    ids: 2,
    realisations: 2,
    segmentMemberships: 2,
    rawEvents: 2,
  });
  // the delete record stays in the log until a snapshot after it is written (the next sweep)
  await h.app.sweep();

  const gone = async (): Promise<void> => {
    assert.equal((await h.call('GET', `/v1/profiles/${SECRET_UID}`, apiKey)).status, 404);
    assert.equal((await h.call('GET', `/v1/profiles/${SECRET_UID}/segments`, apiKey)).status, 404);
    assert.equal(
      (await h.call('GET', `/v1/profiles/x/segments?idType=maid&id=${maidOf(`m-${SECRET_UID}`)}`, apiKey))
        .status,
      404,
    );
    assert.equal((await h.call('GET', `/v1/profiles/${SECRET_UID}/export`, apiKey)).status, 404);
    assert.equal(
      ((await h.call('GET', '/v1/segments/pricing_fans/size', apiKey)).body as { size: number }).size,
      1,
    );
    const overlap = (
      await h.call('POST', '/v1/audience/overlap', apiKey, { segments: ['pricing_fans', 'everyone'] })
    ).body as { overlap: number[][] };
    assert.deepEqual(overlap.overlap, [
      [1, 1],
      [1, 1],
    ]);
    const listed = (await h.call('GET', '/v1/profiles', apiKey)).body as { profiles: { uid: string }[] };
    assert.deepEqual(
      listed.profiles.map((p) => p.uid),
      ['keeper'],
    );
    assert.ok(
      !(await logBytes(dir)).includes(`"${SECRET_UID}"`.slice(1, -1).concat('"')),
      'no raw event left',
    );
  };
  await gone();

  await h.close();
  h = await startTestApp(clock, dir);
  t.after(() => h.close());
  await gone();
  const audit = (await h.call('GET', '/v1/audit?action=privacy.delete', apiKey)).body as {
    entries: { actor: string; target: string; after: unknown }[];
  };
  assert.equal(audit.entries.length, 1);
  assert.match(audit.entries[0]!.actor, /^key:/);
  assert.ok(!JSON.stringify(audit.entries).includes(SECRET_UID), 'the audit log holds no ID in clear');
});

test('a deletion interrupted before its erasure is finished at the next start', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-delete-crash-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = manualClock(NOW);
  let h = await startTestApp(clock, dir);
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  await h.call('POST', '/v1/events', apiKey, [
    { uid: SECRET_UID, ids: { maid: SECRET_MAID } },
    { uid: 'keeper' },
  ]);
  // the deletion record is durable, then the process stops before erasing anything
  await h.app.ingest.append([{ kind: 'delete', tenant, uid: SECRET_UID, ids: { maid: SECRET_MAID } }]);
  assert.ok((await logBytes(dir)).includes(SECRET_UID));
  await h.close();

  h = await startTestApp(clock, dir);
  t.after(() => h.close());
  await h.app.sweep();
  const bytes = await logBytes(dir);
  assert.ok(!bytes.includes(SECRET_UID) && !bytes.includes(SECRET_MAID), 'finished at start');
  assert.equal((await h.call('GET', `/v1/profiles/${SECRET_UID}`, apiKey)).status, 404);
  assert.equal((await h.call('GET', '/v1/profiles/keeper', apiKey)).status, 200);
});
