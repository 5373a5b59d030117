import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { manualClock } from '../../src/core/clock.ts';
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import type { World } from '../helpers/activation-world.ts';
import {
  httpDestination,
  ok,
  runViaApi,
  seedRules,
  startWorld,
  visit,
  waitFor,
} from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** Seven pricing fans (in the destinations' segments) and `others` visitors in none. */
async function seed(w: World, others = 0): Promise<void> {
  await seedRules(w);
  const events = [];
  for (let i = 1; i <= 7; i++) events.push(visit(`v-0${i}`, '/pricing'));
  for (let i = 0; i < others; i++) events.push(visit(`other-${i}`, '/about'));
  assert.equal(await w.post(events), 202);
}

async function startViaApi(w: World, code: string): Promise<ActivationRun> {
  const answer = await w.call('POST', `/v1/destinations/${code}/runs`, { mode: 'full' });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  return answer.body as ActivationRun;
}

async function getRun(w: World, runId: string): Promise<ActivationRun> {
  return (await w.call('GET', `/v1/runs/${runId}`)).body as ActivationRun;
}

const ended = (w: World, runId: string) =>
  waitFor(async () => {
    const run = await getRun(w, runId);
    return run.status === 'running' ? undefined : run;
  }, `run ${runId} to end`);

test('a run is cancelled through the API: it stops sending and is saved cancelled', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'slow', { batchSize: 1 })));
  w.partner.setDelay(300);
  const started = await startViaApi(w, 'slow');
  await waitFor(async () => (w.partner.requests.length > 0 ? true : undefined), 'the first batch');
  const cancelled = await w.call('POST', `/v1/runs/${started.runId}/cancel`);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  const run = cancelled.body as ActivationRun & { report: { cancelled?: string } };
  assert.equal(run.status, 'cancelled');
  assert.equal(run.report.cancelled, 'cancelled through the API');
  assert.ok(run.finishedAt !== undefined);
  const sent = w.partner.requests.length;
  assert.ok(sent < 7, `${sent} of 7 batches sent`);
  await sleep(700);
  assert.equal(w.partner.requests.length, sent, 'nothing is sent after the cancel');
  assert.equal((await getRun(w, started.runId)).status, 'cancelled');

  const again = await w.call('POST', `/v1/runs/${started.runId}/cancel`);
  assert.equal(again.status, 409);
  assert.equal((again.body as { code: string }).code, 'run_ended');
  assert.equal((await w.call('POST', '/v1/runs/nope/cancel')).status, 404);
  const spec = (await w.call('GET', '/openapi.json')).body as { paths: Record<string, { post?: unknown }> };
  assert.ok(spec.paths['/v1/runs/{runId}/cancel']?.post !== undefined, 'documented in the OpenAPI schema');
  w.partner.setDelay(0);
  assert.equal(
    (await runViaApi(w, 'slow', { mode: 'delta' })).status,
    'succeeded',
    'the destination runs again',
  );
});

test('deleting a destination cancels its run in progress', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'doomed', { batchSize: 1 })));
  w.partner.setDelay(300);
  const started = await startViaApi(w, 'doomed');
  await waitFor(async () => (w.partner.requests.length > 0 ? true : undefined), 'the first batch');
  assert.ok((await w.call('DELETE', '/v1/destinations/doomed')).status < 300);
  const run = (await getRun(w, started.runId)) as ActivationRun & { report: { cancelled?: string } };
  assert.equal(run.status, 'cancelled');
  assert.equal(run.report.cancelled, "destination 'doomed' was deleted");
  const sent = w.partner.requests.length;
  await sleep(700);
  assert.equal(w.partner.requests.length, sent, 'nothing is sent after the deletion');
});

test('deleting a visitor stops the runs in progress, so none sends or keeps it after the deletion', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'slow', { batchSize: 1 })));
  w.partner.setDelay(300);
  const started = await startViaApi(w, 'slow');
  await waitFor(async () => (w.partner.requests.length > 0 ? true : undefined), 'the first batch');
  // a member the run has read but not sent yet
  const sentSoFar = JSON.stringify(w.partner.requests.map((r) => r.body));
  const uid = ['v-01', 'v-02', 'v-03', 'v-04', 'v-05', 'v-06', 'v-07'].find((u) => !sentSoFar.includes(u));
  assert.ok(uid !== undefined);
  assert.equal((await w.call('DELETE', `/v1/profiles/${uid}`)).status, 200);
  const after = w.partner.requests.length;
  const run = (await ended(w, started.runId)) as ActivationRun & { report: { cancelled?: string } };
  assert.equal(run.status, 'cancelled');
  assert.match(run.report.cancelled ?? '', /visitor of this tenant was deleted/);
  await sleep(700);
  const later = JSON.stringify(w.partner.requests.slice(after).map((r) => r.body));
  assert.ok(!later.includes(uid), `${uid} was sent after its deletion`);
  // the next run sends the rest, without the deleted visitor
  w.partner.setDelay(0);
  assert.equal((await runViaApi(w, 'slow', { mode: 'delta' })).status, 'succeeded');
  assert.ok(!JSON.stringify(w.partner.requests.slice(after).map((r) => r.body)).includes(uid));
});

test('at most two runs of a tenant work at once; the third waits its turn, or is cancelled while waiting', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w);
  for (const code of ['a', 'b', 'c', 'd']) {
    ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, code, { batchSize: 3 })));
  }
  w.partner.setDelay(200);
  const [a, b, c, d] = [
    await startViaApi(w, 'a'),
    await startViaApi(w, 'b'),
    await startViaApi(w, 'c'),
    await startViaApi(w, 'd'),
  ];
  const queued = (run: ActivationRun): boolean => (run.report as { queued?: boolean }).queued === true;
  assert.deepEqual([a, b, c, d].map(queued), [false, false, true, true]);
  assert.equal((await getRun(w, c.runId)).status, 'running');
  assert.ok(queued(await getRun(w, c.runId)), 'c waits while a and b run');
  assert.equal((await w.call('POST', `/v1/runs/${d.runId}/cancel`)).status, 200);
  for (const run of [a, b, c]) assert.equal((await ended(w, run.runId)).status, 'succeeded');
  const final = await getRun(w, c.runId);
  assert.ok(!queued(final), 'no longer marked queued');
  assert.equal((await getRun(w, d.runId)).status, 'cancelled');
  const by = (code: string) => w.partner.requests.filter((r) => r.body.destination === code).length;
  assert.deepEqual([by('a'), by('b'), by('c'), by('d')], [3, 3, 3, 0]);
  // at no time were more than two runs sending: c's first batch came after a or b had finished
  const lastOf = (code: string) =>
    Math.max(...w.partner.requests.filter((r) => r.body.destination === code).map((r) => r.at));
  const firstOfC = Math.min(...w.partner.requests.filter((r) => r.body.destination === 'c').map((r) => r.at));
  assert.ok(firstOfC >= Math.min(lastOf('a'), lastOf('b')), 'c started once a slot was free');
});

test('a run reads only the profiles in its segments, as the audience index has them', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seed(w, 120);
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'hook')));
  const run = await runViaApi(w, 'hook', { mode: 'full' });
  assert.equal(run.status, 'succeeded');
  const counts = (run.report as { counts: Record<string, number> }).counts;
  assert.equal(counts.members, 7);
  assert.equal(counts.profilesRead, 7, 'the 120 visitors in no mapped segment are not read');
  assert.equal(w.app.profiles.tenant(w.tenant).count(), 127);
  // a visitor who leaves the segments is removed by the next delta without being read
  assert.equal(await w.post([visit('v-01', '/cancel')]), 202);
  const delta = await runViaApi(w, 'hook', { mode: 'delta' });
  const after = (delta.report as { counts: Record<string, number> }).counts;
  assert.deepEqual([after.members, after.removed, after.added, after.profilesRead], [6, 1, 0, 6]);
  assert.deepEqual(w.partner.requests.at(-1)?.body.removed, ['v-01']);
});
