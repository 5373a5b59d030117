import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import { manualClock } from '../../src/core/clock.ts';
import { fileDestination, waitFor } from '../helpers/activation-world.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** A stream that keeps every log line written to it, parsed. */
function logLines(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

test('a run schedule whose tick fails is logged with its error, and the schedules go on', async (t) => {
  const { stream, lines } = logLines();
  const h = await startTestApp(manualClock(NOW), undefined, {
    config: { logLevel: 'warn' },
    app: { logStream: stream, batchRunner: { scheduleTickMs: 20 } },
  });
  t.after(() => h.close());
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  const rule = { code: 'pricing', name: 'P', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await h.call('POST', '/v1/traits', apiKey, rule)).status, 201);
  for (const code of ['pricing_fans', 'readers']) {
    const segment = { code, name: code, rule: 'trait:pricing' };
    assert.equal((await h.call('POST', '/v1/segments', apiKey, segment)).status, 201);
  }

  // the catalog's runs table goes away under the running program (another process, a damaged file):
  // the schedule's tick, which reads the destination's last run, fails as the real SQLite store does
  const other = new Database(join(h.dataDir, 'catalog.sqlite'));
  t.after(() => other.close());
  other.exec('ALTER TABLE activation_runs RENAME TO activation_runs_away');
  const destination = { ...fileDestination('exports', 'csv', 4), schedule: { everyMinutes: 1 } };
  assert.equal((await h.call('POST', '/v1/destinations', apiKey, destination)).status, 201);

  const failure = await waitFor(
    async () => lines.find((line) => line.task === 'run schedule'),
    'the failed tick in the log',
  );
  assert.equal(failure.level, 50, 'logged as an error');
  assert.equal(failure.msg, 'run schedule failed');
  assert.match(JSON.stringify(failure.err), /activation_runs/, 'with the error itself');

  // the table is back: the next tick runs the destination, which never ran
  other.exec('ALTER TABLE activation_runs_away RENAME TO activation_runs');
  const [run] = await waitFor(async () => {
    const runs: ActivationRun[] = await h.app.catalog.listRuns(tenant, { destination: 'exports', limit: 1 });
    return runs.length > 0 && runs[0]!.status !== 'running' ? runs : undefined;
  }, 'the scheduled run after the failure');
  assert.equal(run?.status, 'succeeded');
});
