import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';
import { jobFinished, partnerTenant, startWorld } from './onboarding-helpers.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/**
 * A file job parses its next block while the last one is written: a visitor of that block deleted in
 * between must not come back when the block is appended (issue 13's leftover: the deletion rewrites the
 * upload, not the block in memory). The job is held after chunk 1, when chunk 2 (holding the visitor) is
 * already parsed; the visitor is deleted; then the job goes on.
 */
test('a visitor deleted while a file job runs does not come back from a block the job had already read', async (t) => {
  const clock = manualClock(NOW);
  let paused!: () => void;
  const reachedPause = new Promise<void>((resolve) => (paused = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let armed = false;
  const w = await startWorld(clock, undefined, {
    onboarding: {
      chunkBytes: 40,
      afterChunk: async (_job, chunk) => {
        if (!armed || chunk !== 1) return;
        paused();
        await released;
      },
    },
  });
  t.after(() => w.close());
  const { apiKey } = await partnerTenant(w, 'acme');
  // the visitor is known (so it can be deleted) before the file comes
  assert.equal((await w.call('POST', '/v1/events', apiKey, { uid: 'c-gone' })).status, 202);

  armed = true;
  // chunk 1 holds the first rows (40 bytes), chunk 2 the visitor's row
  const file = ['id,traits', 'c-keep-1,t1', 'c-keep-2,t1', 'c-keep-3,t1', 'c-gone,t1', 'c-keep-4,t1'].join(
    '\n',
  );
  const upload = await w.call('POST', '/v1/onboarding/partner?mode=delta', apiKey, file, 'text/csv');
  assert.equal(upload.status, 202, JSON.stringify(upload.body));
  const job = (upload.body as JobReport).job;
  await reachedPause;
  const deleted = await w.call('DELETE', '/v1/profiles/c-gone', apiKey);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  release();

  const report = await jobFinished(w, apiKey, job);
  assert.equal(report.status, 'succeeded', report.failure);
  assert.equal(
    (await w.call('GET', '/v1/profiles/c-gone', apiKey)).status,
    404,
    'the deleted visitor stays deleted',
  );
  for (const uid of ['c-keep-1', 'c-keep-3', 'c-keep-4'])
    assert.equal((await w.call('GET', `/v1/profiles/${uid}`, apiKey)).status, 200, uid);
  assert.equal(report.rows.optedOut, 1, 'its row counted as left out');
  // and no record after the deletion names it, so no replay brings it back either
  const named: number[] = [];
  await w.app.log.replay(1, (seq, record) => {
    if (record.kind === 'onboard' && record.rows.includes('c-gone')) named.push(seq);
  });
  assert.deepEqual(named, []);
});
