import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Answer } from '../helpers/scale-deployment.ts';
import { call, startSideBySide } from '../helpers/scale-deployment.ts';
import {
  bidRequestFor,
  createRules,
  eventBatches,
  maidOfVisitor,
  postBatch,
  uidOf,
} from '../helpers/scale-world.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import { fileDestination as csvDestination } from '../helpers/activation-world.ts';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { DUTY_BUCKET } from '../../src/scale/duty-lease.ts';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';

const VISITORS = 150;
const SEED = 11;
const DAY = 86_400_000;

/** A file destination of `idType` IDs (id, segs, action): the pricing fans and the Londoners, one CSV part a run. */
function fileDestination(code: string, idType: 'uid' | 'maid') {
  return {
    ...csvDestination(code, 'csv', 10_000, idType),
    segments: [
      { segment: 'pricing_fans', id: '607' },
      { segment: 'londoners', id: '610' },
    ],
  };
}

interface Run {
  runId: string;
  status: string;
  campaign?: string;
  report: { baseRunId?: string; counts: Record<string, number>; funnel: unknown; error?: string };
}

/** The rows of a run's export folder under `dataDir`, sorted (the header dropped). */
async function rowsOf(dataDir: string, tenant: string, code: string, runId: string): Promise<string[]> {
  const dir = join(dataDir, 'exports', tenant, code, runId);
  const rows: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.gz')))
    rows.push(
      ...gunzipSync(await readFile(join(dir, name)))
        .toString('utf8')
        .split('\n')
        .slice(1, -1),
    );
  return rows.sort();
}

const ok = (answer: Answer): Answer => {
  assert.ok(answer.status < 300, `${answer.status} ${answer.text}`);
  return answer;
};

/** `create` until it is not refused for an unknown segment (another server's change still on its way), up to 5 s. */
async function untilKnown(create: () => Promise<Answer>): Promise<Answer> {
  for (const deadline = Date.now() + 5_000; ;) {
    const answer = await create();
    if (answer.status !== 422 || !answer.text.includes('unknown_segment') || Date.now() > deadline)
      return ok(answer);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * ADR 38: batch runs and campaign runs on a scaled-out deployment (1 collector, 2 workers, 2 API servers,
 * 4 partitions) send what the embedded server sends for the same events: each API server gathers every
 * partition's members, and a delta run on one API server is based on the last good run of the other (the
 * member state is shared), a deletion carried out by a worker included, which also reaches the export
 * files the API servers wrote. A run another API server is doing is a 409 until it ends or is cancelled.
 */
test('batch and campaign runs on a scaled-out deployment send what the embedded server sends', async (t) => {
  const nats = await startNatsServer();
  t.after(() => nats.stop());
  const [reference, deployment] = await startSideBySide(nats, {
    collectors: 1,
    workers: 2,
    apis: 2,
    partitions: 4,
    leaseTtlMs: 2_000,
    // the run schedules checked each second, by the one API server that holds that duty
    env: { DMP_SCHEDULE_TICK_S: '1' },
  });
  t.after(() => Promise.all([reference.stop(), deployment.stop()]));
  const [api1, api2] = deployment.apis as [
    (typeof deployment.apis)[number],
    (typeof deployment.apis)[number],
  ];
  const [collector] = deployment.collectors as [(typeof deployment.collectors)[number]];
  const ref = reference.process;
  const side = {
    ref: { data: reference.dir, tenant: 'acme', key: reference.apiKey },
    api1: { data: join(deployment.dir, 'api1'), tenant: deployment.tenant, key: deployment.apiKey },
    api2: { data: join(deployment.dir, 'api2'), tenant: deployment.tenant, key: deployment.apiKey },
  };

  await createRules(ref, reference.apiKey, reference.siteKey);
  await createRules(api1, deployment.apiKey, deployment.siteKey);
  for (const [code, idType] of [
    ['files', 'uid'],
    ['mfiles', 'maid'],
  ] as const) {
    ok(await call(ref, 'POST', '/v1/destinations', reference.apiKey, fileDestination(code, idType)));
    // the segments were made through API server 1: the other knows them once the catalog's change
    // reaches it (within a second, ADR 35), so its check of the mapped segments is asked again till then
    await untilKnown(() =>
      call(api2, 'POST', '/v1/destinations', deployment.apiKey, fileDestination(code, idType)),
    );
  }
  const now = Date.now();
  const feed = async (visitors: number) => {
    for (const batch of eventBatches(visitors, now, SEED)) {
      await postBatch(ref, reference.apiKey, batch);
      await postBatch(collector, deployment.apiKey, batch);
    }
    await deployment.settled();
  };
  await feed(VISITORS);

  /** Runs `code` on the reference and on `api`; the two runs' reports and rows must be equal. */
  const runBoth = async (api: typeof api1, which: 'api1' | 'api2', code: string, body: object) => {
    const path = `/v1/destinations/${code}/runs?wait=true`;
    const [expected, got] = [
      ok(await call(ref, 'POST', path, reference.apiKey, body)).body as Run,
      ok(await call(api, 'POST', path, deployment.apiKey, body)).body as Run,
    ];
    assert.equal(got.status, 'succeeded', JSON.stringify(got.report));
    assert.equal(expected.status, 'succeeded', JSON.stringify(expected.report));
    assert.deepEqual(got.report.counts, expected.report.counts, `${code} ${got.runId}: counts`);
    assert.deepEqual(got.report.funnel, expected.report.funnel, `${code} ${got.runId}: funnel`);
    assert.equal(got.report.baseRunId, expected.report.baseRunId);
    const rows = await rowsOf(side[which].data, side[which].tenant, code, got.runId);
    assert.deepEqual(
      rows,
      await rowsOf(side.ref.data, side.ref.tenant, code, expected.runId),
      `${code} rows`,
    );
    return { run: got, rows };
  };

  // a full run through the first API server: every partition's members, as one engine holding all
  const full = await runBoth(api1, 'api1', 'files', { mode: 'full', runId: 'files-1' });
  assert.ok(full.rows.length >= 20, `enough members to compare (${full.rows.length})`);
  assert.ok((full.run.report.counts.profilesRead ?? 0) > 0);
  await runBoth(api1, 'api1', 'mfiles', { mode: 'full', runId: 'mfiles-1' });

  // thirty new visitors, and a member with a mobile ID deleted (a worker's engine carries it out)
  const deleted = [...Array(VISITORS).keys()].find(
    (i) => i % 3 === 0 && full.rows.some((r) => r.startsWith(`${uidOf(i)},`)),
  );
  assert.ok(deleted !== undefined, 'a member with a mobile ID');
  ok(await call(ref, 'DELETE', `/v1/profiles/${uidOf(deleted)}`, reference.apiKey));
  ok(await call(api1, 'DELETE', `/v1/profiles/${uidOf(deleted)}`, deployment.apiKey));
  await feed(VISITORS + 30);

  // the deletion reached the export files the first API server wrote, as the embedded server's own
  for (const [code, id] of [
    ['files', uidOf(deleted)],
    ['mfiles', maidOfVisitor(deleted) ?? ''],
  ] as const) {
    const want = await rowsOf(side.ref.data, side.ref.tenant, code, `${code}-1`);
    assert.ok(!want.some((r) => r.startsWith(`${id},`)), `the embedded server erased ${id} from ${code}-1`);
    for (const deadline = Date.now() + 15_000; ;) {
      const got = await rowsOf(side.api1.data, side.api1.tenant, code, `${code}-1`);
      if (JSON.stringify(got) === JSON.stringify(want)) break;
      assert.ok(Date.now() < deadline, `${code}-1 on the API server still holds ${id}: ${got.join(' ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // delta runs through the other API server: based on the first one's runs, the deleted visitor removed
  const delta = await runBoth(api2, 'api2', 'files', { runId: 'files-2' });
  assert.equal(delta.run.report.baseRunId, 'files-1');
  assert.ok(delta.rows.includes(`${uidOf(deleted)},,remove`), delta.rows.join('\n'));
  assert.ok((delta.run.report.counts.added ?? 0) > 0, 'the new visitors are added');
  const mdelta = await runBoth(api2, 'api2', 'mfiles', { runId: 'mfiles-2' });
  assert.ok(mdelta.rows.includes(`${maidOfVisitor(deleted)},,remove`), mdelta.rows.join('\n'));

  // a campaign run started through one API server, read through the other
  const campaign = {
    code: 'xmas',
    name: 'Christmas',
    segments: ['pricing_fans'],
    destinations: ['files', 'ssp'],
    start: new Date(now - DAY).toISOString(),
    end: new Date(now + DAY).toISOString(),
  };
  ok(await call(ref, 'POST', '/v1/campaigns', reference.apiKey, campaign));
  ok(await call(api1, 'POST', '/v1/campaigns', deployment.apiKey, campaign));
  // real-time decisions (bid enrichment, made by the workers' engines) count in the campaign's report
  // on any API server as on the embedded server
  for (let i = 0; i < 40; i++) {
    const body = bidRequestFor(i, i % 2 === 0 ? 'uid' : 'maid');
    ok(await call(ref, 'POST', '/v1/openrtb/enrich?destination=ssp', reference.apiKey, body));
    ok(await call(api1, 'POST', '/v1/openrtb/enrich?destination=ssp', deployment.apiKey, body));
  }
  const realtimeOf = async (target: typeof ref, key: string) =>
    (
      ok(await call(target, 'GET', '/v1/campaigns/xmas/report', key)).body as {
        destinations: { destination: string; realtime: { steps: { step: string; count: number }[] } }[];
      }
    ).destinations.map((d) => [d.destination, d.realtime]);
  const expectedRealtime = await realtimeOf(ref, reference.apiKey);
  assert.deepEqual(await realtimeOf(api2, deployment.apiKey), expectedRealtime);
  const ssp = expectedRealtime.find(([d]) => d === 'ssp')?.[1] as { steps: { count: number }[] };
  assert.ok((ssp.steps[0]?.count ?? 0) > 0, 'some bid requests were for the campaign');
  const started = async (target: typeof ref, key: string) => {
    const answer = ok(await call(target, 'POST', '/v1/campaigns/xmas/run', key));
    const [one] = (answer.body as { runs: { destination: string; run: Run }[] }).runs;
    assert.equal(one?.destination, 'files');
    return one.run.runId;
  };
  const finished = async (target: typeof ref, key: string, runId: string): Promise<Run> => {
    for (const deadline = Date.now() + 30_000; ;) {
      const run = ok(await call(target, 'GET', `/v1/runs/${runId}`, key)).body as Run;
      if (run.status !== 'running') return run;
      assert.ok(Date.now() < deadline, `run ${runId} still running`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const expected = await finished(ref, reference.apiKey, await started(ref, reference.apiKey));
  const got = await finished(api1, deployment.apiKey, await started(api2, deployment.apiKey));
  assert.equal(got.status, 'succeeded', JSON.stringify(got.report));
  assert.equal(got.campaign, 'xmas');
  assert.deepEqual(got.report.counts, expected.report.counts, 'campaign run counts');
  assert.deepEqual(got.report.funnel, expected.report.funnel, 'campaign run funnel');
  assert.deepEqual(
    await rowsOf(side.api2.data, side.api2.tenant, 'files', got.runId),
    await rowsOf(side.ref.data, side.ref.tenant, 'files', expected.runId),
  );

  // a run another API server is doing (saved `running` in the shared catalog) stops a second one
  const catalog = await openCatalog(deployment.catalogUrl);
  try {
    await catalog.saveRun(deployment.tenant, {
      runId: 'elsewhere-1',
      destination: 'mfiles',
      mode: 'delta',
      status: 'running',
      startedAt: new Date().toISOString(),
      report: { kind: 'file' },
    });
  } finally {
    await catalog.close();
  }
  const refused = await call(api1, 'POST', '/v1/destinations/mfiles/runs', deployment.apiKey, {});
  assert.equal(refused.status, 409, refused.text);
  assert.match(refused.text, /elsewhere-1.*another API server.*\/v1\/runs\/elsewhere-1\/cancel/);
  const cancelled = ok(await call(api2, 'POST', '/v1/runs/elsewhere-1/cancel', deployment.apiKey))
    .body as Run;
  assert.equal(cancelled.status, 'cancelled');
  const after = ok(
    await call(api1, 'POST', '/v1/destinations/mfiles/runs?wait=true', deployment.apiKey, {
      runId: 'mfiles-3',
    }),
  ).body as Run;
  assert.equal(after.status, 'succeeded', JSON.stringify(after.report));
  assert.equal(after.report.baseRunId, 'mfiles-2');

  // the run schedules: one API server runs a due destination, once; when it dies, the other takes over
  const runsOf = async (code: string) =>
    (ok(await call(api1, 'GET', `/v1/destinations/${code}/runs`, deployment.apiKey)).body as { runs: Run[] })
      .runs;
  const scheduled = async (code: string) => {
    ok(
      await call(api1, 'POST', '/v1/destinations', deployment.apiKey, {
        ...fileDestination(code, 'uid'),
        schedule: { everyMinutes: 60 },
      }),
    );
    for (const deadline = Date.now() + 20_000; ;) {
      const runs = await runsOf(code);
      if (runs.some((r) => r.status === 'succeeded')) return;
      assert.ok(Date.now() < deadline, `no scheduled run of ${code}: ${JSON.stringify(runs)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await scheduled('hourly');
  await new Promise((r) => setTimeout(r, 2_500)); // more checks, by both API servers if both did it
  assert.equal((await runsOf('hourly')).length, 1, 'one run: one API server runs the schedules');
  // who holds the duty: the lease in the KV bucket names the API server (its DMP_WORKER_ID)
  const nc = await connect({ servers: nats.urls });
  const lease = await (await new Kvm(nc).open(DUTY_BUCKET)).get('schedules');
  await nc.close();
  const named = (JSON.parse(lease?.string() ?? '{}') as { holder?: string }).holder;
  const holder = named === 'api1' ? api1 : named === 'api2' ? api2 : undefined;
  assert.ok(holder !== undefined, `an API server holds the run schedules (${named})`);
  holder.kill('SIGKILL');
  const other = deployment.apis.find((a) => a !== holder) as typeof api1;
  const code = 'hourly2';
  ok(
    await call(other, 'POST', '/v1/destinations', deployment.apiKey, {
      ...fileDestination(code, 'uid'),
      schedule: { everyMinutes: 60 },
    }),
  );
  for (const deadline = Date.now() + 20_000; ;) {
    const runs = (
      ok(await call(other, 'GET', `/v1/destinations/${code}/runs`, deployment.apiKey)).body as { runs: Run[] }
    ).runs;
    if (runs.some((r) => r.status === 'succeeded')) break;
    assert.ok(
      Date.now() < deadline,
      `the other API server did not take the schedules over: ${JSON.stringify(runs)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
  }
});
