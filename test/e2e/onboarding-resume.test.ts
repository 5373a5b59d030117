import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';
import { jobFinished, partnerTenant, sizeOf, startWorld, traitsOf } from './onboarding-helpers.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ROWS = 200;

for (const snapshot of [true, false]) {
  test(`a full job stopped after chunk 5 resumes at the next start and applies every chunk exactly once (${snapshot ? 'profiles from the stop snapshot' : 'log replayed, as after a crash'})`, async (t) => {
    const clock = manualClock(NOW);
    let armed = false;
    let paused!: () => void;
    const reachedPause = new Promise<void>((resolve) => (paused = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const w = await startWorld(clock, undefined, {
      onboarding: {
        chunkBytes: 64,
        afterChunk: async (_job, chunk) => {
          if (!armed || chunk !== 5) return;
          paused();
          await released;
        },
      },
    });
    const { apiKey } = await partnerTenant(w, 'acme');
    await w.onboard(apiKey, 'partner', 'mode=delta', 'id,traits\nold-1,t1|t3\n');

    armed = true;
    const file = ['id,traits', ...Array.from({ length: ROWS }, (_, i) => `c-${i},t1|P2`)].join('\n');
    const upload = await w.call('POST', '/v1/onboarding/partner?mode=full', apiKey, file, 'text/csv');
    assert.equal(upload.status, 202);
    const job = (upload.body as JobReport).job;
    await reachedPause;
    const midway = (await w.call('GET', `/v1/onboarding/jobs/${job}`, apiKey)).body as JobReport;
    assert.equal(midway.status, 'running');
    assert.equal(midway.chunks, 5);
    assert.ok(
      midway.rows.accepted > 0 && midway.rows.accepted < ROWS,
      `${midway.rows.accepted} rows after 5 chunks`,
    );
    const closing = w.close(true);
    release();
    await closing;
    if (!snapshot) await rm(join(w.dataDir, 'snapshots'), { recursive: true, force: true });

    const again = await startWorld(clock, w.dataDir, { onboarding: { chunkBytes: 64 } });
    t.after(() => again.close());
    assert.equal(again.app.startup.used !== undefined, snapshot);
    const report = await jobFinished(again, apiKey, job);
    assert.equal(report.status, 'succeeded', report.failure);
    assert.deepEqual(report.rows, { read: ROWS, accepted: ROWS, rejected: 0, optedOut: 0 });
    assert.equal(report.realisations, 2 * ROWS);

    const chunks: number[] = [];
    await again.app.log.replay(1, (_seq, record) => {
      if (record.kind === 'onboard' && record.job === job) chunks.push(record.chunk);
    });
    assert.ok(chunks.length > 5);
    assert.deepEqual(
      chunks,
      chunks.map((_, i) => i + 1),
      'each chunk is in the log once, in order',
    );
    assert.equal(report.chunks, chunks.length);

    for (const i of [0, 17, ROWS - 1]) {
      const p = (await again.call('GET', `/v1/profiles/c-${i}`, apiKey)).body as {
        traits: { code: string; count: number }[];
      };
      assert.deepEqual(
        p.traits.map((x) => [x.code, x.count]),
        [
          ['t1', 1],
          ['t2', 1],
        ],
      );
    }
    // old-1 was not in the full file: it lost the partner's traits, while the rows of the first five
    // chunks (applied before the stop) kept theirs
    assert.deepEqual(await traitsOf(again, apiKey, 'old-1'), []);
    assert.equal(await sizeOf(again, apiKey, 'has_t1'), ROWS);
  });
}
