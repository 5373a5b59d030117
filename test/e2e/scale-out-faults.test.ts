import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOfVisitor } from '../../src/log/nats/partition.ts';
import { exited } from '../helpers/dmp-process.ts';
import type { DmpProcess } from '../helpers/dmp-process.ts';
import type { Deployment, Reference } from '../helpers/scale-deployment.ts';
import { call, startDeployment, startSideBySide } from '../helpers/scale-deployment.ts';
import { SEGMENTS, createRules, eventBatches, postBatch, timeless, uidOf } from '../helpers/scale-world.ts';
import { startNatsCluster, startNatsServer } from '../helpers/nats-servers.ts';

const VISITORS = 200;
const PARTITIONS = 8;
const LEASE_TTL_MS = 2_000;

/**
 * Issue 18's done-criterion, part 2 (ADR 35): faults. A worker killed with SIGKILL in the middle of a
 * stream of events: its leases expire, the other workers take its partitions, recover them from the
 * stream and go on; and one NATS server of three killed while events come in: the R3 stream keeps
 * taking them. In both, nothing acknowledged is lost and nothing is applied twice: every profile and
 * every size equals the embedded server's, which got each acknowledged batch once. Each test says how
 * long the fault made a partition (or collection) unavailable.
 */

test('kill -9 of a worker mid-stream: its partitions move to the others, nothing acknowledged is lost or applied twice', async (t) => {
  const nats = await startNatsServer();
  t.after(() => nats.stop());
  const [reference, deployment] = await startSideBySide(nats, {
    collectors: 1,
    workers: 3,
    apis: 1,
    partitions: PARTITIONS,
    leaseTtlMs: LEASE_TTL_MS,
    // engines snapshot to the Object Store often, so the takeover restores one and replays the rest
    env: { DMP_SNAPSHOT_EVERY_RECORDS: '20', DMP_RETENTION_INTERVAL_S: '1' },
  });
  t.after(() => Promise.all([reference.stop(), deployment.stop()]));
  await rulesOnBoth(reference, deployment);
  const batches = eventBatches(VISITORS, Date.now(), 11, 40);
  const half = Math.floor(batches.length / 2);
  const send = async (batch: unknown[]) => {
    await postBatch(reference.process, reference.apiKey, batch);
    await postBatch(deployment.collectors[0] as { base: string }, deployment.apiKey, batch);
  };
  for (const batch of batches.slice(0, half)) await send(batch);
  await deployment.settled();
  await new Promise((r) => setTimeout(r, 2_500)); // a sweep or two: each engine's snapshot is in the Object Store

  // the worker serving most partitions dies without a word, while events keep coming
  const serving = await deployment.serving();
  const victim = serving.reduce(
    (best, s, i) => ((s?.length ?? 0) > (serving[best]?.length ?? 0) ? i : best),
    0,
  );
  const lost = serving[victim] ?? [];
  assert.ok(lost.length > 0);
  const probe = probeUid(deployment.tenant, lost[0] as number);
  const killedAt = Date.now();
  const dead = deployment.workers[victim];
  dead?.kill('SIGKILL');
  if (dead !== undefined) await exited(dead);
  const back = waitForAnswer(deployment, probe);
  for (const batch of batches.slice(half)) await send(batch);
  const unavailableMs = (await back) - killedAt;
  t.diagnostic(
    `partitions ${lost.join(', ')} of the killed worker answered again after ${unavailableMs} ms (lease ${LEASE_TTL_MS} ms)`,
  );
  assert.ok(unavailableMs < 30_000, `unavailable for ${unavailableMs} ms`);

  await deployment.settled();
  const after = await deployment.serving();
  assert.equal(after[victim], undefined);
  // each moved partition was restored from its snapshot in the Object Store, then the stream after it
  const recovered = await deployment.recovered();
  for (const partition of lost) {
    const how = recovered[partition];
    assert.ok(how !== undefined && how.snapshotSeq > 0, `partition ${partition}: ${JSON.stringify(how)}`);
  }
  t.diagnostic(
    `recovery of the moved partitions: ${JSON.stringify(lost.map((p) => ({ p, ...recovered[p] })))}`,
  );
  assert.deepEqual(
    after.flatMap((s) => s ?? []).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  await sameEverywhere(reference, deployment);
});

test('kill -9 of one NATS server of three: the R3 stream keeps taking events, nothing acknowledged is lost or applied twice', async (t) => {
  const nats = await startNatsCluster();
  t.after(() => nats.stop());
  const [reference, deployment] = await startSideBySide(nats, {
    collectors: 2,
    workers: 2,
    apis: 1,
    partitions: PARTITIONS,
    // leases outlast the cluster's election (a few seconds): the workers keep their partitions through it
    leaseTtlMs: 10_000,
  });
  t.after(() => Promise.all([reference.stop(), deployment.stop()]));
  await rulesOnBoth(reference, deployment);
  const batches = eventBatches(VISITORS, Date.now(), 13, 40);
  const half = Math.floor(batches.length / 2);
  let slowestMs = 0;
  let retries = 0;
  const send = async (k: number, batch: unknown[]) => {
    await postBatch(reference.process, reference.apiKey, batch);
    const collector = deployment.collectors[k % 2] as { base: string };
    // a client retries what was not acknowledged (503 while the cluster elects leaders), as real ones do
    const started = Date.now();
    for (;;) {
      const answer = await call(collector, 'POST', '/v1/events', deployment.apiKey, batch).catch(
        () => undefined,
      );
      if (answer?.status === 202) break;
      retries++;
      assert.ok(
        Date.now() - started < 60_000,
        `the collector kept refusing: ${answer?.status} ${answer?.text}`,
      );
      await new Promise((r) => setTimeout(r, 250));
    }
    slowestMs = Math.max(slowestMs, Date.now() - started);
  };
  for (const [k, batch] of batches.slice(0, half).entries()) await send(k, batch);
  const before = slowestMs;
  slowestMs = 0;
  // the stream's leader is the server to lose: its followers must elect another and go on
  const leader = await streamLeader(deployment);
  const server = nats.servers.find((s) => s.name === leader) ?? nats.servers[0];
  await server?.kill();
  for (const [k, batch] of batches.slice(half).entries()) await send(k, batch);
  t.diagnostic(
    `after the stream leader ${leader} was killed, the slowest batch took ${slowestMs} ms to be acknowledged ` +
      `(${before} ms before the kill; ${retries} batches retried)`,
  );
  await deployment.settled(90_000);
  await sameEverywhere(reference, deployment);
});

/** The same rules on the embedded server and the deployment, and every engine knows them. */
async function rulesOnBoth(reference: Reference, deployment: Deployment): Promise<void> {
  await createRules(reference.process, reference.apiKey, reference.siteKey);
  const api = deployment.apis[0] as { base: string };
  await createRules(api, deployment.apiKey, deployment.siteKey);
  // a change reaches each process within a second when the machine is quiet; one CI run under load
  // saw more than 20 s once (not diagnosed): the answers that are still not 200 are shown if it recurs
  for (const deadline = Date.now() + 45_000; ;) {
    const sizes = await Promise.all(
      SEGMENTS.map(([code]) => call(api, 'GET', `/v1/segments/${code}/size`, deployment.apiKey)),
    );
    if (sizes.every((s) => s.status === 200)) return;
    const waiting = sizes
      .map((s, i) => `${SEGMENTS[i]?.[0] ?? i}: ${s.status} ${s.text.slice(0, 200)}`)
      .filter((_line, i) => sizes[i]?.status !== 200);
    assert.ok(Date.now() < deadline, `the engines did not load the segments:\n${waiting.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A visitor of the world whose profile lives in `partition`. */
function probeUid(tenant: string, partition: number): string {
  for (let i = 0; i < VISITORS; i++)
    if (partitionOfVisitor(tenant, uidOf(i), PARTITIONS) === partition) return uidOf(i);
  throw new Error(`no visitor of the world is in partition ${partition}`);
}

/** Asks the API for `uid` every 50 ms until it answers 200; resolves with the time it did. */
async function waitForAnswer(deployment: Deployment, uid: string): Promise<number> {
  const api = deployment.apis[0] as { base: string };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const answer = await call(api, 'GET', `/v1/profiles/${uid}`, deployment.apiKey).catch(() => undefined);
    if (answer?.status === 200) return Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${uid} did not answer again within 60 s`);
}

test('a worker told to stop while NATS is gone exits within DMP_STOP_LIMIT_MS, with code 1, saying why', async (t) => {
  const nats = await startNatsServer();
  t.after(() => nats.stop());
  const deployment = await startDeployment(nats, {
    collectors: 1,
    workers: 1,
    apis: 1,
    partitions: 2,
    leaseTtlMs: LEASE_TTL_MS,
    env: { DMP_STOP_LIMIT_MS: '1500' },
  });
  t.after(() => deployment.stop());
  const worker = deployment.workers[0] as DmpProcess;
  let said = '';
  worker.stderr?.on('data', (text: string) => (said += text));
  await nats.stop();
  const asked = Date.now();
  worker.kill('SIGTERM');
  await exited(worker);
  const tookMs = Date.now() - asked;
  t.diagnostic(`the worker exited ${tookMs} ms after SIGTERM with NATS gone`);
  assert.equal(worker.exitCode, 1, said);
  assert.match(said, /could not stop cleanly within 1\.5 s/);
  assert.ok(tookMs < 10_000, `it took ${tookMs} ms`);
});

/** The name of the NATS server leading the stream. */
async function streamLeader(deployment: Deployment): Promise<string> {
  const info = await deployment.streamInfo();
  return info.cluster?.leader ?? '';
}

/** Every segment size and every visitor's profile equal the embedded server's. */
async function sameEverywhere(reference: Reference, deployment: Deployment): Promise<void> {
  const api = deployment.apis[0] as { base: string };
  for (const [code] of SEGMENTS) {
    const path = `/v1/segments/${code}/size`;
    const expected = await call(reference.process, 'GET', path, reference.apiKey);
    const got = await call(api, 'GET', path, deployment.apiKey);
    assert.deepEqual(timeless(got.body), timeless(expected.body), `size of ${code}`);
  }
  for (let i = 0; i < VISITORS; i++) {
    const path = `/v1/profiles/${uidOf(i)}`;
    const expected = await call(reference.process, 'GET', path, reference.apiKey);
    const got = await call(api, 'GET', path, deployment.apiKey);
    assert.equal(got.status, expected.status, `${path}: ${got.text}`);
    assert.deepEqual(timeless(got.body), timeless(expected.body), path);
  }
}
