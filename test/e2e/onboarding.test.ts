import { test } from 'node:test';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { partnerTenant, sizeOf, startWorld, traitsOf } from './onboarding-helpers.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

test('CSV: good rows are applied, each bad row reported with row, column and reason; the report is kept', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  const { apiKey } = await partnerTenant(w, 'acme');
  const csv = ['id,traits', 'c-1,t1|t2', 'c-2,P3', ',t1', 'c-4,t1|nope', 'c-5,"t1;t2"', 'c-6,t4,extra'].join(
    '\n',
  );
  const report = await w.onboard(apiKey, 'partner', 'mode=delta', csv);
  assert.equal(report.status, 'succeeded');
  assert.deepEqual(report.rows, { read: 6, accepted: 3, rejected: 3, optedOut: 0 });
  assert.deepEqual(
    report.errors.map((e) => [e.row, e.column, e.reason]),
    [
      [4, 'id', 'empty_id'],
      [5, 'traits', 'unknown_trait'],
      [7, '', 'field_count'],
    ],
  );
  assert.match(report.errors[1]?.message ?? '', /"nope"/);
  assert.deepEqual(report.errorCounts, { empty_id: 1, unknown_trait: 1, field_count: 1 });
  assert.equal(report.bytesDone, report.bytes);
  assert.equal(report.realisations, 5);

  assert.deepEqual(await traitsOf(w, apiKey, 'c-1'), ['t1', 't2']);
  assert.deepEqual(await traitsOf(w, apiKey, 'c-2'), ['t3'], 'an integration code names its trait');
  assert.deepEqual(await traitsOf(w, apiKey, 'c-5'), ['t1', 't2']);
  assert.equal(await traitsOf(w, apiKey, 'c-4'), null, 'a row with an unknown trait is refused whole');
  assert.equal(await sizeOf(w, apiKey, 'has_t1'), 2);
  const segments = (await w.call('GET', '/v1/profiles/c-5/segments', apiKey)).body as { segments: string[] };
  assert.deepEqual(segments.segments.sort(), ['has_t1', 't1_or_t2_recent']);

  const again = await w.call('GET', `/v1/onboarding/jobs/${report.job}`, apiKey);
  assert.deepEqual(again.body, report);
  const list = (await w.call('GET', '/v1/onboarding/jobs', apiKey)).body as { jobs: JobReport[] };
  assert.deepEqual(
    list.jobs.map((j) => j.job),
    [report.job],
  );
  const audit = (await w.call('GET', '/v1/audit?action=onboarding.upload', apiKey)).body as {
    entries: unknown[];
  };
  assert.equal(audit.entries.length, 1);
});

test('NDJSON: ID types, row times (windows see them), bad lines reported', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  const { apiKey } = await partnerTenant(w, 'acme');
  const lines = [
    JSON.stringify({ idType: 'maid', id: maidOf('m-1'), traits: ['t1'], ts: NOW - 10 * DAY }),
    JSON.stringify({ id: 'c-9', traits: ['P2'], ts: new Date(NOW - DAY).toISOString() }),
    'not json',
    JSON.stringify({ id: 5, traits: [] }),
    '',
    JSON.stringify({ id: 'c-10', traits: ['t1'], ts: NOW + 10 * DAY }),
  ].join('\n');
  const report = await w.onboard(apiKey, 'partner', '', lines, 'application/x-ndjson');
  assert.deepEqual(report.rows, { read: 5, accepted: 2, rejected: 3, optedOut: 0 });
  assert.deepEqual(
    report.errors.map((e) => [e.row, e.column, e.reason]),
    [
      [3, '', 'bad_json'],
      [4, 'id', 'bad_field'],
      [6, 'ts', 'ts_out_of_range'],
    ],
  );
  assert.deepEqual(await traitsOf(w, apiKey, maidOf('m-1'), 'maid'), ['t1']);
  const profile = (await w.call('GET', `/v1/profiles/x?idType=maid&id=${maidOf('m-1')}`, apiKey)).body as {
    uid: string;
    traits: { code: string; last: string }[];
  };
  assert.equal(profile.traits[0]?.last, new Date(NOW - 10 * DAY).toISOString());
  // t1 ten days ago is outside [within 7d]; c-9's t2 counts
  assert.equal(await sizeOf(w, apiKey, 't1_or_t2_recent'), 1);
  assert.equal(await sizeOf(w, apiKey, 'has_t1'), 1);
  const bad = await w.call('POST', '/v1/onboarding/partner', apiKey, 'id,traits\n', 'text/plain');
  assert.equal(bad.status, 415);
});

test('delta adds and removes (-CODE); full makes the file the whole truth for the source', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  const { apiKey } = await partnerTenant(w, 'acme');
  // another source's onboarded trait and a rule trait from an event: a partner file never touches them
  assert.equal(
    (await w.call('POST', '/v1/sources', apiKey, { code: 'crm', name: 'CRM', party: 'first' })).status,
    201,
  );
  const vip = await w.call('POST', '/v1/onboarding/crm/traits', apiKey, {
    traits: [{ code: 'vip', name: 'VIP' }],
  });
  assert.equal((vip.body as { traits: { kind: string }[] }).traits[0]?.kind, 'onboarded');
  await w.call('POST', '/v1/traits', apiKey, {
    code: 'visited_a',
    name: 'A',
    rule: 'url.path startsWith "/a"',
  });
  assert.equal(
    (await w.call('POST', '/v1/events', apiKey, { uid: 'c-2', url: 'https://x.example/a' })).status,
    202,
  );
  await w.onboard(apiKey, 'crm', '', 'id,traits\nc-2,vip\n');

  await w.onboard(apiKey, 'partner', 'mode=delta', 'id,traits\nc-1,t1|t2\nc-2,t1\nc-3,t3\n');
  const delta = await w.onboard(apiKey, 'partner', 'mode=delta', 'id,traits\nc-1,-t1|t4\nc-404,-t1\n');
  assert.deepEqual(delta.rows, { read: 2, accepted: 2, rejected: 0, optedOut: 0 });
  assert.deepEqual(await traitsOf(w, apiKey, 'c-1'), ['t2', 't4']);
  assert.equal(await traitsOf(w, apiKey, 'c-404'), null, 'a removal creates no profile');
  assert.equal(await sizeOf(w, apiKey, 'has_t1'), 1);

  // a delta that sends a held trait again keeps one realisation of it, at the new time
  clock.set(NOW + DAY);
  await w.onboard(apiKey, 'partner', 'mode=delta', 'id,traits\nc-1,t2\n');
  const c1 = (await w.call('GET', '/v1/profiles/c-1', apiKey)).body as {
    traits: { code: string; count: number; last: string }[];
  };
  assert.deepEqual(
    c1.traits.find((x) => x.code === 't2'),
    {
      code: 't2',
      count: 1,
      first: new Date(NOW + DAY).toISOString(),
      last: new Date(NOW + DAY).toISOString(),
    },
  );

  // full: c-1 named twice (its rows add up), c-3 named with no trait, c-2 not named at all
  const full = await w.onboard(apiKey, 'partner', 'mode=full', 'id,traits\nc-1,t5\nc-3,\nc-1,P4\nc-7,-t1\n');
  assert.deepEqual(full.rows, { read: 4, accepted: 3, rejected: 1, optedOut: 0 });
  assert.equal(full.errors[0]?.reason, 'removal_in_full');
  assert.deepEqual(await traitsOf(w, apiKey, 'c-1'), ['t4', 't5']);
  assert.deepEqual(await traitsOf(w, apiKey, 'c-3'), []);
  assert.deepEqual(await traitsOf(w, apiKey, 'c-2'), ['vip', 'visited_a']);
  assert.equal(await sizeOf(w, apiKey, 'has_t1'), 0);

  // an empty full file takes every partner trait away, and nothing else
  await w.onboard(apiKey, 'partner', 'mode=full', 'id,traits\n');
  assert.deepEqual(await traitsOf(w, apiKey, 'c-1'), []);
  assert.deepEqual(await traitsOf(w, apiKey, 'c-2'), ['vip', 'visited_a']);
});

test('opted-out IDs are skipped and counted, and a restart (replay) neither loses rows nor brings one back', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  const { apiKey } = await partnerTenant(w, 'acme');
  assert.equal(
    (await w.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: maidOf('m-out') })).status,
    201,
  );
  const report = await w.onboard(
    apiKey,
    'partner',
    'idType=maid',
    `id,traits\n${maidOf('m-out')},t1\n${maidOf('m-ok')},t1|t2\n${maidOf('m-late')},t1\n`,
  );
  assert.deepEqual(report.rows, { read: 3, accepted: 2, rejected: 0, optedOut: 1 });
  assert.equal(await traitsOf(w, apiKey, maidOf('m-out'), 'maid'), null);
  // opting out after the file was onboarded deletes the profile; the file in the log must not revive it
  const late = await w.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: maidOf('m-late') });
  assert.equal((late.body as { profileDeleted: boolean }).profileDeleted, true);
  const sizes = [await sizeOf(w, apiKey, 'has_t1'), await sizeOf(w, apiKey, 't1_or_t2_recent')];
  assert.deepEqual(sizes, [1, 1]);
  await w.close(true);
  // as after a crash before any snapshot: the profiles are rebuilt by replaying the whole log
  await rm(join(w.dataDir, 'snapshots'), { recursive: true, force: true });

  const again = await startWorld(clock, w.dataDir);
  assert.equal(again.app.startup.used, undefined, 'no snapshot: the log was replayed');
  t.after(() => again.close());
  assert.deepEqual(await traitsOf(again, apiKey, maidOf('m-ok'), 'maid'), ['t1', 't2']);
  assert.equal(await traitsOf(again, apiKey, maidOf('m-late'), 'maid'), null);
  assert.deepEqual(
    [await sizeOf(again, apiKey, 'has_t1'), await sizeOf(again, apiKey, 't1_or_t2_recent')],
    sizes,
  );
  const kept = await again.call('GET', `/v1/onboarding/jobs/${report.job}`, apiKey);
  assert.deepEqual((kept.body as JobReport).rows, report.rows);
});

test("tenant isolation: another tenant's key sees no job, source or trait of this one", async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  const a = await partnerTenant(w, 'alpha');
  const b = await w.app.catalog.createTenant('beta');
  const report = await w.onboard(a.apiKey, 'partner', '', 'id,traits\nc-1,t1\n');
  for (const [method, path, body, type] of [
    ['GET', `/v1/onboarding/jobs/${report.job}`],
    ['POST', '/v1/onboarding/partner', 'id,traits\nc-1,t1\n', 'text/csv'],
    ['POST', '/v1/onboarding/partner/traits', { traits: [{ code: 'x', name: 'X' }] }],
  ] as const) {
    const r = await w.call(method, path, b.apiKey, body, type);
    assert.equal(r.status, 404, `${method} ${path} with B's key: ${r.status} ${JSON.stringify(r.body)}`);
  }
  assert.deepEqual((await w.call('GET', '/v1/onboarding/jobs', b.apiKey)).body, { jobs: [] });
  // B's own source of the same name and the same IDs land in B only
  await partnerTenant(w, 'gamma').then(async (g) => {
    await w.onboard(g.apiKey, 'partner', 'mode=full', 'id,traits\nc-9,t2\n');
    assert.equal(await traitsOf(w, g.apiKey, 'c-1'), null);
  });
  assert.deepEqual(await traitsOf(w, a.apiKey, 'c-1'), ['t1']);
  assert.equal(await sizeOf(w, a.apiKey, 'has_t1'), 1);
  const noKey = await fetch(`${w.base}/v1/onboarding/jobs`);
  assert.equal(noKey.status, 401);
});

test('a deleted visitor onboarded from a file leaves no byte in the log and stays deleted after a replay', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  const { apiKey } = await partnerTenant(w, 'acme');
  await w.onboard(apiKey, 'partner', '', 'id,traits\nc-del,t1\nc-keep,t2\n');
  assert.equal((await w.call('DELETE', '/v1/profiles/c-del', apiKey)).status, 200);
  await w.close(true);
  const logDir = join(w.dataDir, 'log');
  for (const file of await readdir(logDir)) {
    const bytes = await readFile(join(logDir, file));
    assert.ok(!bytes.includes('c-del'), `${file} still holds the deleted ID`);
  }
  await rm(join(w.dataDir, 'snapshots'), { recursive: true, force: true });
  const again = await startWorld(clock, w.dataDir);
  t.after(() => again.close());
  assert.deepEqual(await traitsOf(again, apiKey, 'c-keep'), ['t2']);
  assert.equal(await traitsOf(again, apiKey, 'c-del'), null);
});
