import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from '../helpers/scale-deployment.ts';
import { call, startSideBySide } from '../helpers/scale-deployment.ts';
import { createRules, eventBatches, maidOfVisitor, postBatch, uidOf } from '../helpers/scale-world.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';

const VISITORS = 150;
const SEED = 5;
const HOUR = 3_600_000;

const ok = (answer: Answer): Answer => {
  assert.ok(answer.status < 300, `${answer.status} ${answer.text}`);
  return answer;
};

/**
 * A CRM file of `rows` rows (`id,idType,traits,ts`): the world's visitors by uid and by their mobile ID
 * (in capitals: IDs come in any letter case), new uids and new mobile IDs, removals, and rows with an
 * unknown trait (rejected). Every row has its time, so both servers hold the same realisations.
 */
function crmFile(now: number, rows: number): string {
  const lines = ['id,idType,traits,ts'];
  for (let i = 0; i < rows; i++) {
    const ts = now - HOUR - (i % 500) * 60_000;
    const traits = ['vip|V2', 'gold', 'vip'][i % 3] as string;
    const maid = maidOfVisitor(i);
    if (i % 97 === 5) lines.push(`c-${i},uid,vip|nope,${ts}`);
    else if (i < VISITORS && maid !== undefined) lines.push(`${maid.toUpperCase()},maid,${traits},${ts}`);
    else if (i < VISITORS) lines.push(`${uidOf(i)},uid,${traits},${ts}`);
    else if (i % 7 === 0) lines.push(`${maidOf(`new-${i}`)},maid,${traits},${ts}`);
    else if (i % 11 === 0)
      lines.push(`${maidOf(`nobody-${i}`)},maid,-vip,${ts}`); // makes no profile
    else lines.push(`crm-${i},uid,${traits},${ts}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What two servers' reports of the same file must share (not the job's id, times or chunk size). */
function comparable(report: JobReport) {
  const { job: _job, createdAt: _c, finishedAt: _f, chunks: _chunks, ...rest } = report;
  return rest;
}

/**
 * ADR 39: file onboarding on a scaled-out deployment (1 collector, 2 workers, 2 API servers, 4 partitions)
 * gives the profiles, segments and reports the embedded server gives for the same events and files: the
 * API server splits each chunk by the partition holding each row's visitor (a mobile ID of a visitor
 * another partition holds goes there, not to a new profile), and any API server reports any job.
 */
test('file onboarding on a scaled-out deployment gives what the embedded server gives', async (t) => {
  const nats = await startNatsServer();
  t.after(() => nats.stop());
  const [reference, deployment] = await startSideBySide(nats, {
    collectors: 1,
    workers: 2,
    apis: 2,
    partitions: 4,
    leaseTtlMs: 2_000,
  });
  t.after(() => Promise.all([reference.stop(), deployment.stop()]));
  const [api1, api2] = deployment.apis as [
    (typeof deployment.apis)[number],
    (typeof deployment.apis)[number],
  ];
  const [collector] = deployment.collectors as [(typeof deployment.collectors)[number]];
  const ref = { target: reference.process, key: reference.apiKey };
  const dep = deployment.apiKey;

  const source = { code: 'crm', name: 'CRM', party: 'first' };
  const traits = {
    traits: [
      { code: 'vip', name: 'VIP customer', lifetimeDays: 30 },
      { code: 'gold', name: 'Gold card', integrationCode: 'V2', lifetimeDays: 30 },
    ],
  };
  const segments = [
    { code: 'vips', name: 'VIPs', rule: 'trait:vip' },
    { code: 'gold_londoners', name: 'Gold Londoners', rule: 'trait:gold and geo.city == "London"' },
  ];
  for (const [target, key, siteKey] of [
    [ref.target, ref.key, reference.siteKey],
    [api1, dep, deployment.siteKey],
  ] as const) {
    await createRules(target, key, siteKey);
    ok(await call(target, 'POST', '/v1/sources', key, source));
    ok(await call(target, 'POST', '/v1/onboarding/crm/traits', key, traits));
    for (const segment of segments) ok(await call(target, 'POST', '/v1/segments', key, segment));
  }
  const now = Date.now();
  for (const batch of eventBatches(VISITORS, now, SEED)) {
    await postBatch(ref.target, ref.key, batch);
    await postBatch(collector, dep, batch);
  }
  await deployment.settled();

  const upload = async (target: { base: string }, key: string, query: string, csv: string) => {
    const answer = ok(
      await call(target, 'POST', `/v1/onboarding/crm?${query}&wait=true`, key, csv, {
        'content-type': 'text/csv',
      }),
    );
    return answer.body as JobReport;
  };
  const everyProfile = async (target: { base: string }, key: string) => {
    const all: { uid: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`;
      const body = ok(await call(target, 'GET', `/v1/profiles?${query}`, key)).body as {
        profiles: { uid: string }[];
        nextCursor: string | null;
      };
      all.push(...body.profiles);
      cursor = body.nextCursor;
    } while (cursor !== null);
    return all.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  };
  const sameEverywhere = async (what: string, sizesFrom: { base: string } = api1) => {
    await deployment.settled();
    const expected = await everyProfile(ref.target, ref.key);
    const got = await everyProfile(api2, dep);
    assert.equal(got.length, expected.length, `${what}: profiles`);
    assert.deepEqual(got, expected, `${what}: every profile`);
    for (const segment of ['vips', 'gold_londoners', 'everyone']) {
      const path = `/v1/segments/${segment}/size`;
      const size = (answer: Answer) => (ok(answer).body as { size: number }).size;
      assert.equal(
        size(await call(sizesFrom, 'GET', path, dep)),
        size(await call(ref.target, 'GET', path, ref.key)),
      );
    }
  };

  // a delta file of two chunks (512 KiB each on NATS) through the first API server
  const file = crmFile(now, 20_000);
  assert.ok(file.length > 512 * 1024, `the file spans chunks: ${file.length} bytes`);
  const expected = await upload(ref.target, ref.key, 'mode=delta', file);
  const got = await upload(api1, dep, 'mode=delta', file);
  assert.equal(got.status, 'succeeded', JSON.stringify(got));
  assert.ok(got.chunks >= 2, `chunks: ${got.chunks}`);
  assert.ok(got.rows.rejected > 0 && got.errors.length > 0, 'some rows are refused');
  assert.deepEqual(comparable(got), comparable(expected));
  await sameEverywhere('after the delta file');
  // a visitor named by its mobile ID got the traits on its own profile, held by its uid's partition
  const held = uidOf(3);
  const profile = ok(await call(api2, 'GET', `/v1/profiles/${held}`, dep)).body as { traits: unknown };
  assert.match(JSON.stringify(profile.traits), /vip/, `${held} holds the file's traits`);
  const byMaid = await call(api2, 'GET', `/v1/profiles/maid:${maidOfVisitor(3)}`, dep);
  assert.equal(byMaid.status, 404, 'no second profile is made for a known mobile ID');

  // any API server reports any job: the second one reads the first one's
  assert.deepEqual(ok(await call(api2, 'GET', `/v1/onboarding/jobs/${got.job}`, dep)).body, got);
  const listed = ok(await call(api2, 'GET', '/v1/onboarding/jobs', dep)).body as { jobs: JobReport[] };
  assert.deepEqual(
    listed.jobs.map((j) => j.job),
    [got.job],
  );
  assert.equal((await call(api2, 'GET', `/v1/onboarding/jobs/${crypto.randomUUID()}`, dep)).status, 404);

  // a full file through the other API server: the profiles it does not name lose the source's traits
  // on every partition
  const full = crmFile(now, 60)
    .split('\n')
    .filter((line, i) => i === 0 || i % 4 !== 1)
    .join('\n');
  const fullExpected = await upload(ref.target, ref.key, 'mode=full', full);
  const fullGot = await upload(api2, dep, 'mode=full', full);
  assert.equal(fullGot.status, 'succeeded', JSON.stringify(fullGot));
  assert.deepEqual(comparable(fullGot), comparable(fullExpected));
  await sameEverywhere('after the full file');
  const vips = ok(await call(api1, 'GET', '/v1/segments/vips/size', dep)).body as { size: number };
  assert.ok(vips.size > 0 && vips.size < 60, `vips after the full file: ${vips.size}`);
  const jobs = ok(await call(api1, 'GET', '/v1/onboarding/jobs', dep)).body as { jobs: JobReport[] };
  assert.deepEqual(
    jobs.jobs.map((j) => j.job),
    [fullGot.job, got.job],
    'newest first, from both API servers',
  );

  // an API server killed in the middle of a job goes on when it starts again on its data folder, from the
  // lowest chunk a partition lacks (chunks some partitions already had are not applied twice)
  const lines = crmFile(now - HOUR, 3_000)
    .split('\n')
    .slice(1, -1);
  const repeated = ['id,idType,traits,ts', ...Array.from({ length: 40 }, () => lines).flat(), ''].join('\n');
  assert.ok(repeated.length > 8 * 512 * 1024, `many chunks: ${repeated.length} bytes`);
  const longExpected = await upload(ref.target, ref.key, 'mode=delta', repeated);
  const accepted = ok(
    await call(api1, 'POST', '/v1/onboarding/crm?mode=delta', dep, repeated, { 'content-type': 'text/csv' }),
  ).body as JobReport;
  const reportOn = async (api: { base: string }) =>
    ok(await call(api, 'GET', `/v1/onboarding/jobs/${accepted.job}`, dep)).body as JobReport;
  let atKill = await reportOn(api2);
  while (atKill.chunks < 1) {
    await new Promise((r) => setTimeout(r, 20));
    atKill = await reportOn(api2);
  }
  api1.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  const stalled = await reportOn(api2);
  assert.equal(stalled.status, 'running', 'killed in the middle of the job');
  const again = await deployment.startAgain('api', 'api1');
  let resumed = await reportOn(api2);
  for (const deadline = Date.now() + 60_000; resumed.status !== 'succeeded';) {
    assert.ok(Date.now() < deadline, `the job did not end: ${JSON.stringify(resumed)}`);
    await new Promise((r) => setTimeout(r, 200));
    resumed = await reportOn(api2);
  }
  assert.ok(resumed.chunks > stalled.chunks, `resumed after chunk ${stalled.chunks}`);
  assert.deepEqual(comparable(resumed), comparable(longExpected));
  assert.deepEqual(await reportOn(again), resumed);
  await sameEverywhere('after the job resumed', again);

  // ID-link files still answer 501 on a deployment, saying why
  const links = await call(api2, 'POST', '/v1/identity/links', dep, 'crm,maid\nC-1,x\n', {
    'content-type': 'text/csv',
  });
  assert.equal(links.status, 501, links.text);
});
