import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';
import { join } from 'node:path';
import { readIabTaxonomy } from '../../src/traits/iab-audience-taxonomy.ts';
import { thirdPartyCsv } from '../../src/demo/third-party-file.ts';
import { IAB_SOURCE, thirdPartyTraits } from '../../src/demo/third-party-traits.ts';
import { openFileEventLog } from '../../src/log/file-event-log.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';

const ROWS = 300_000;

test('SIGKILL in the middle of an onboarding job: after restart it resumes, and every chunk is in the log once', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-onboard-kill-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const keys = JSON.parse(
    execFileSync(process.execPath, [DMP, 'tenant', 'create', 'acme', '--data', dataDir], {
      encoding: 'utf8',
    }),
  ) as { apiKey: string };
  const auth = { authorization: `Bearer ${keys.apiKey}` };
  const json = { ...auth, 'content-type': 'application/json' };

  let server = await startDmpProcess(dataDir, 0, { DMP_RATE_LIMIT_API: '0' });
  const { port, base } = server;
  t.after(() => server.kill('SIGKILL'));
  assert.equal(
    (await fetch(`${base}/v1/sources`, { method: 'POST', headers: json, body: JSON.stringify(IAB_SOURCE) }))
      .status,
    201,
  );
  const traits = thirdPartyTraits(readIabTaxonomy());
  const created = await fetch(`${base}/v1/onboarding/${IAB_SOURCE.code}/traits`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ traits }),
  });
  assert.equal(created.status, 201);
  const file = [...thirdPartyCsv({ profiles: ROWS, seed: 5, traitCodes: traits.map((x) => x.code) })].join(
    '',
  );
  const upload = await fetch(`${base}/v1/onboarding/${IAB_SOURCE.code}?mode=full`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: file,
  });
  assert.equal(upload.status, 202);
  const job = ((await upload.json()) as JobReport).job;
  const report = async (): Promise<JobReport> =>
    (await (await fetch(`${base}/v1/onboarding/jobs/${job}`, { headers: auth })).json()) as JobReport;

  let before: JobReport;
  for (;;) {
    before = await report();
    if (before.chunks >= 2 || (before.status !== 'queued' && before.status !== 'running')) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  server.kill('SIGKILL');
  await exited(server);
  assert.equal(before.status, 'running', 'the job was killed half way');
  assert.ok(before.rows.accepted < ROWS);

  server = await startDmpProcess(dataDir, port, { DMP_RATE_LIMIT_API: '0' });
  let after: JobReport;
  for (const deadline = Date.now() + 120_000; ;) {
    after = await report();
    if (after.status === 'succeeded' || after.status === 'failed' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(after.status, 'succeeded', after.failure);
  assert.deepEqual(after.rows, { read: ROWS, accepted: ROWS, rejected: 0, optedOut: 0 });
  assert.equal(after.bytesDone, Buffer.byteLength(file));
  const profiles = (await (await fetch(`${base}/v1/profiles?limit=1`, { headers: auth })).json()) as {
    profiles: unknown[];
  };
  assert.equal(profiles.profiles.length, 1);
  server.kill('SIGKILL');
  await exited(server);

  const log = await openFileEventLog(join(dataDir, 'log'));
  const chunks: number[] = [];
  await log.replay(1, (_seq, record) => {
    if (record.kind === 'onboard' && record.job === job) chunks.push(record.chunk);
  });
  await log.close();
  assert.deepEqual(
    chunks,
    chunks.map((_, i) => i + 1),
  );
  assert.equal(chunks.length, after.chunks);
});
