import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from '../../catalog/sqlite-catalog.ts';
import { manualClock } from '../../core/clock.ts';
import type { Destination } from '../../core/activation/index.ts';
import { parseDestination } from '../../core/activation/index.ts';
import { scheduleRuns } from './schedule-runs.ts';

/** The schedule's timer is unref'd: a test keeps the process up until it has seen what it waits for. */
function keepAlive(t: { after(fn: () => void): void }): void {
  const timer = setInterval(() => {}, 1000);
  t.after(() => clearInterval(timer));
}

/** A file destination run every minute. Example: `scheduled('exports')` */
function scheduled(code: string): Destination {
  const parsed = parseDestination({
    kind: 'file',
    code,
    name: code,
    segments: [{ segment: 'fans', id: '607' }],
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1] },
    restrictions: [],
    settings: { format: 'csv', mode: 'delta', batchSize: 4, columns: [{ name: 'id', from: 'id' }] },
    schedule: { everyMinutes: 1 },
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.destination;
}

test(
  'a destination whose start fails is reported, and the destinations after it still run',
  { timeout: 10_000 },
  async (t) => {
    keepAlive(t);
    const catalog = await openSqliteCatalog(':memory:');
    t.after(() => catalog.close());
    const { tenant } = await catalog.createTenant('acme');
    const errors: unknown[] = [];
    let startedB!: () => void;
    const bStarted = new Promise<void>((resolve) => (startedB = resolve));
    const cancel = scheduleRuns({
      tickMs: 5,
      tenants: async () => [tenant],
      destinations: { list: async () => [scheduled('a-refused'), scheduled('b-fine')] },
      catalog,
      clock: manualClock(Date.parse('2026-11-20T12:00:00Z')),
      busy: () => false,
      start: async (_tenant, code) => {
        if (code === 'a-refused') throw new Error(`the run of '${code}' could not be saved`);
        startedB();
        return { done: new Promise(() => {}) };
      },
      onError: (error) => errors.push(error),
    });
    t.after(cancel);
    await bStarted;
    assert.match(String(errors[0]), /a-refused/, 'the failure of the first is reported');
  },
);

test('a reporter that throws stops neither the tick nor the schedule', { timeout: 10_000 }, async (t) => {
  keepAlive(t);
  const catalog = await openSqliteCatalog(':memory:');
  t.after(() => catalog.close());
  let calls = 0;
  let twice!: () => void;
  const reportedTwice = new Promise<void>((resolve) => (twice = resolve));
  const cancel = scheduleRuns({
    tickMs: 5,
    tenants: async () => {
      throw new Error('the catalog is closed');
    },
    destinations: { list: async () => [] },
    catalog,
    clock: manualClock(0),
    busy: () => false,
    start: async () => ({ done: new Promise(() => {}) }),
    onError: () => {
      if (++calls === 2) twice();
      throw new Error('the reporter itself failed');
    },
  });
  t.after(cancel);
  await reportedTwice;
});
