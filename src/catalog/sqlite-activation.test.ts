import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from './sqlite-catalog.ts';

test('destinations, campaigns, runs and dead letters are stored per tenant', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  const a = (await catalog.createTenant('alpha')).tenant;
  const b = (await catalog.createTenant('beta')).tenant;

  await catalog.saveDestination(a, 'ttd', 'http', { code: 'ttd', v: 1 });
  await catalog.saveDestination(a, 'ttd', 'http', { code: 'ttd', v: 2 });
  assert.deepEqual((await catalog.getDestination(a, 'ttd'))?.definition, { code: 'ttd', v: 2 });
  assert.equal(await catalog.getDestination(b, 'ttd'), undefined);
  await assert.rejects(catalog.deleteDestination(b, 'ttd'), /no destination/);

  await catalog.saveCampaign(a, 'xmas', { code: 'xmas' });
  assert.deepEqual(
    (await catalog.listCampaigns(a)).map((c) => c.code),
    ['xmas'],
  );
  assert.deepEqual(await catalog.listCampaigns(b), []);
  await catalog.deleteCampaign(a, 'xmas');
  assert.equal(await catalog.getCampaign(a, 'xmas'), undefined);

  const run = {
    runId: 'r1',
    destination: 'ttd',
    mode: 'full' as const,
    status: 'running' as const,
    startedAt: '2026-11-20T00:00:00Z',
    report: {},
  };
  await catalog.saveRun(a, run);
  await catalog.saveRun(a, {
    ...run,
    status: 'succeeded',
    finishedAt: '2026-11-20T00:01:00Z',
    report: { sent: 3 },
  });
  await catalog.saveRun(a, { ...run, runId: 'r2', startedAt: '2026-11-21T00:00:00Z', campaign: 'xmas' });
  assert.deepEqual((await catalog.getRun(a, 'r1'))?.report, { sent: 3 });
  assert.deepEqual(
    (await catalog.listRuns(a, { destination: 'ttd', limit: 10 })).map((r) => r.runId),
    ['r2', 'r1'],
  );
  assert.deepEqual(
    (await catalog.listRuns(a, { campaign: 'xmas', limit: 10 })).map((r) => r.runId),
    ['r2'],
  );
  assert.deepEqual(await catalog.listRuns(b, { limit: 10 }), []);

  const letter = await catalog.addDeadLetter(a, {
    destination: 'ttd',
    runId: 'r1',
    batchId: 'b1',
    reason: 'HTTP 400',
    attempts: 1,
    payload: { n: 1 },
  });
  assert.equal(letter.reason, 'HTTP 400');
  assert.deepEqual(
    (await catalog.listDeadLetters(a, 'ttd', 10)).map((l) => l.batchId),
    ['b1'],
  );
  assert.deepEqual(await catalog.listDeadLetters(b, 'ttd', 10), []);
  await catalog.close();
});
