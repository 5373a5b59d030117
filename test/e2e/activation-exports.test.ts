import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import type { ExportManifest, FunnelReport } from '../../src/core/activation/index.ts';
import type { World } from '../helpers/activation-world.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import {
  WITHOUT_VENDOR,
  assertFunnelAddsUp,
  exportFiles,
  fileDestination,
  gunzipText,
  httpDestination,
  ok,
  runViaApi,
  seedRules,
  startWorld,
  step,
  visit,
  waitFor,
} from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test('an http destination sends its authorization and headers; bad ones are refused with the field', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seedRules(w);
  assert.equal(await w.post([visit('v-01', '/pricing'), visit('v-02', '/pricing')]), 202);
  const dest = httpDestination(w.partner.url, 'auth-hook', {
    authorization: 'Bearer s3cr3t',
    headers: { 'X-Account': 'acme-42' },
  });
  ok(await w.call('POST', '/v1/destinations', dest));
  const run = await runViaApi(w, 'auth-hook', { mode: 'full' });
  assert.equal(run.status, 'succeeded');
  assert.equal(w.partner.requests.length, 1);
  const headers = w.partner.requests[0]!.headers;
  assert.equal(headers.authorization, 'Bearer s3cr3t');
  assert.equal(headers['x-account'], 'acme-42');
  assert.equal(typeof headers['idempotency-key'], 'string');
  const shown = (await w.call('GET', '/v1/destinations/auth-hook')).body as {
    settings: Record<string, unknown>;
  };
  assert.deepEqual([shown.settings.authorization, shown.settings.headers], ['***', { 'X-Account': '***' }]);
  const audit = JSON.stringify((await w.call('GET', '/v1/audit?action=destination.create')).body);
  assert.ok(
    audit.includes('auth-hook') && !audit.includes('s3cr3t') && !audit.includes('acme-42'),
    'no secret in the audit log',
  );

  const bad = httpDestination(w.partner.url, 'bad-hook', { headers: { 'X-Evil': 'a\r\nHost: x' } });
  const refused = await w.call('POST', '/v1/destinations', bad);
  assert.equal(refused.status, 422);
  assert.match(JSON.stringify(refused.body), /settings\.headers\.X-Evil/);
});

interface ExportReadBack {
  manifest: ExportManifest;
  /** every part's rows, parsed, in order */
  rows: string[][];
  files: Map<string, Buffer>;
}

/** Reads a run's folder: checks the manifest against the parts and the marker, returns the parsed rows. */
async function readExport(
  w: World,
  code: string,
  runId: string,
  format: 'csv' | 'ndjson',
): Promise<ExportReadBack> {
  const files = await exportFiles(w, code, runId);
  assert.ok(files.has('_SUCCESS'), 'the completion marker is there');
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as ExportManifest;
  assert.equal(manifest.completionMarker, `${code}/${runId}/_SUCCESS`);
  assert.deepEqual(manifest.columns, ['id', 'segs', 'action']);
  const parts = [...files.keys()].filter((n) => n.startsWith('part-'));
  assert.deepEqual(
    parts,
    manifest.files.map((f) => f.name.split('/').pop()),
  );
  assert.deepEqual([...files.keys()].sort(), [...parts, '_SUCCESS', 'manifest.json'].sort(), 'no leftovers');
  const dir = join(w.dataDir, 'exports', w.tenant, code, runId);
  const markerTime = (await stat(join(dir, '_SUCCESS'))).mtimeMs;
  const rows: string[][] = [];
  let total = 0;
  for (const entry of manifest.files) {
    const bytes = files.get(entry.name.split('/').pop()!)!;
    assert.equal(entry.bytes, bytes.length, `${entry.name} bytes`);
    assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'), `${entry.name} sha256`);
    assert.ok((await stat(join(dir, entry.name.split('/').pop()!))).mtimeMs <= markerTime, 'marker last');
    const lines = gunzipText(bytes).split('\n');
    assert.equal(lines.pop(), '', 'each line ended');
    if (format === 'csv') assert.equal(lines.shift(), 'id,segs,action', 'each CSV part has the header');
    const parsed =
      format === 'csv'
        ? lines.map((l) => l.split(','))
        : lines.map((l) => {
            const o = JSON.parse(l) as { id: string; segs: string[]; action: string };
            return [o.id, o.segs.join(';'), o.action];
          });
    assert.equal(entry.rows, parsed.length, `${entry.name} rows`);
    total += parsed.length;
    rows.push(...parsed);
  }
  assert.equal(manifest.totalRows, total);
  assert.ok((await stat(join(dir, 'manifest.json'))).mtimeMs <= markerTime);
  return { manifest, rows, files };
}

test('file exports read back: full then delta, CSV and NDJSON, manifest and marker, re-runs byte-identical', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seedRules(w);
  const first = ['v-01', 'v-02', 'v-03', 'v-04', 'v-05'].map((uid) => visit(uid, '/pricing'));
  assert.equal(await w.post([...first, visit('v-02', '/blog'), visit('v-06', '/blog')]), 202);
  ok(await w.call('POST', '/v1/destinations', fileDestination('csv-out', 'csv', 2)));
  ok(await w.call('POST', '/v1/destinations', fileDestination('nd-out', 'ndjson', 4)));
  const fullRows = [
    ['v-01', '607', 'add'],
    ['v-02', '607;12', 'add'],
    ['v-03', '607', 'add'],
    ['v-04', '607', 'add'],
    ['v-05', '607', 'add'],
    ['v-06', '12', 'add'],
  ];
  for (const [code, format, parts] of [
    ['csv-out', 'csv', 3],
    ['nd-out', 'ndjson', 2],
  ] as const) {
    const run = await runViaApi(w, code, { mode: 'full', runId: `${code}-full` });
    assert.equal(run.status, 'succeeded', JSON.stringify(run.report));
    const back = await readExport(w, code, `${code}-full`, format);
    assert.deepEqual(back.rows, fullRows, `${code} full`);
    assert.equal(back.manifest.files.length, parts);
    assert.equal(back.manifest.mode, 'full');
  }

  // v-03 cancels (leaves pricing_fans), v-06 now also a pricing fan (updated), v-07 new
  assert.equal(
    await w.post([visit('v-03', '/cancel'), visit('v-06', '/pricing'), visit('v-07', '/pricing')]),
    202,
  );
  const deltaRows = [
    ['v-03', '', 'remove'],
    ['v-06', '607;12', 'add'],
    ['v-07', '607', 'add'],
  ];
  for (const [code, format] of [
    ['csv-out', 'csv'],
    ['nd-out', 'ndjson'],
  ] as const) {
    const run = await runViaApi(w, code, { runId: `${code}-delta` });
    assert.equal(run.status, 'succeeded');
    const report = run.report as { baseRunId: string; counts: Record<string, number> };
    assert.equal(report.baseRunId, `${code}-full`);
    assert.deepEqual(
      [report.counts.added, report.counts.updated, report.counts.removed, report.counts.unchanged],
      [1, 1, 1, 4],
    );
    const back = await readExport(w, code, `${code}-delta`, format);
    assert.deepEqual(back.rows, deltaRows, `${code} delta`);
    assert.equal(back.manifest.mode, 'delta');

    const again = await runViaApi(w, code, { runId: `${code}-delta` });
    assert.equal(again.status, 'succeeded');
    const reread = await readExport(w, code, `${code}-delta`, format);
    assert.deepEqual(reread.files, back.files, `${code}: a re-run writes the same bytes`);
  }
});

test('a run stopped half-way is resumed at the next start and writes what an uninterrupted run writes', async (t) => {
  const clock = manualClock(NOW);
  const events = Array.from({ length: 400 }, (_, i) => visit(`v-${String(i).padStart(4, '0')}`, '/pricing'));
  const uninterrupted = await startWorld(clock);
  t.after(() => uninterrupted.close());
  await seedRules(uninterrupted);
  assert.equal(await uninterrupted.post(events), 202);
  ok(await uninterrupted.call('POST', '/v1/destinations', fileDestination('big', 'csv', 1)));
  assert.equal((await runViaApi(uninterrupted, 'big', { mode: 'full', runId: 'big-1' })).status, 'succeeded');
  const expected = await exportFiles(uninterrupted, 'big', 'big-1');
  assert.equal(expected.size, 402);

  const w = await startWorld(clock);
  const dataDir = w.dataDir;
  await seedRules(w);
  assert.equal(await w.post(events), 202);
  ok(await w.call('POST', '/v1/destinations', fileDestination('big', 'csv', 1)));
  const started = await w.app.runner.start(w.tenant, 'big', { mode: 'full', runId: 'big-1' });
  const dir = join(dataDir, 'exports', w.tenant, 'big', 'big-1');
  await waitFor(
    async () => ((await stat(join(dir, 'part-00010.csv.gz')).catch(() => undefined)) ? true : undefined),
    'part 10',
  );
  await w.partner.close();
  await w.app.close(); // stops the runner: the run is left running, its files partial
  assert.equal((await started.done).status, 'running');
  const partial = await exportFiles({ ...w, dataDir }, 'big', 'big-1').catch(() => new Map<string, Buffer>());
  assert.ok(partial.size > 10 && partial.size < 402, `${partial.size} files written before the stop`);
  assert.ok(!partial.has('_SUCCESS') && !partial.has('manifest.json'), 'no marker or manifest yet');

  const again = await startWorld(clock, dataDir);
  t.after(async () => {
    await again.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const resumed = await waitFor(async () => {
    const run = await again.app.catalog.getRun(again.tenant, 'big-1');
    return run?.status === 'running' ? undefined : run;
  }, 'the resumed run');
  assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.report));
  const files = await exportFiles(again, 'big', 'big-1');
  assert.deepEqual([...files.keys()], [...expected.keys()]);
  for (const [name, bytes] of expected) assert.ok(bytes.equals(files.get(name)!), `${name} is the same`);
});

test('funnel: visitors without a maid are lost at hasId, without the vendor at consented; it adds up', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await seedRules(w);
  assert.equal(
    await w.post([
      visit('v-01', '/pricing', { maid: maidOf('m-1') }),
      visit('v-02', '/pricing', { maid: maidOf('m-2') }),
      visit('v-03', '/pricing'),
      visit('v-04', '/pricing'),
      visit('v-05', '/pricing', { maid: maidOf('m-5'), tcf: WITHOUT_VENDOR }),
      visit('v-06', '/about'),
    ]),
    202,
  );
  ok(
    await w.call('POST', '/v1/destinations', { ...httpDestination(w.partner.url, 'maids'), idType: 'maid' }),
  );
  const run = await runViaApi(w, 'maids', { mode: 'full' });
  assert.equal(run.status, 'succeeded');
  const funnel = (run.report as { funnel: FunnelReport }).funnel;
  assertFunnelAddsUp(funnel);
  const counts = Object.fromEntries(funnel.steps.map((s) => [s.step, [s.count, s.lost]]));
  assert.deepEqual(counts, {
    eligible: [5, 0],
    consented: [4, 1],
    hasId: [2, 2],
    sent: [2, 0],
    acknowledged: [2, 0],
  });
  assert.match(step(funnel, 'consented').reasons[0]?.reason ?? '', /755/);
  assert.deepEqual(step(funnel, 'hasId').reasons, [{ reason: 'no maid ID for maids', count: 2 }]);
  // a run sends its members sorted by ID (src/core/activation/delta-of.ts)
  assert.deepEqual(
    w.partner.requests.flatMap((r) => r.body.added.map((a) => a.id)),
    [maidOf('m-1'), maidOf('m-2')].sort(),
  );
});

test('a destination with schedule.everyMinutes runs by itself when its last run is that old', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seedRules(w);
  assert.equal(await w.post([visit('v-01', '/pricing')]), 202);
  ok(
    await w.call('POST', '/v1/destinations', {
      ...httpDestination(w.partner.url, 'timed'),
      schedule: { everyMinutes: 1 },
    }),
  );
  const runs = async (): Promise<ActivationRun[]> =>
    w.app.catalog.listRuns(w.tenant, { destination: 'timed', limit: 10 });
  // never ran: due at the first tick
  const [first] = await waitFor(async () => {
    const list = await runs();
    return list.length > 0 && list[0]!.status !== 'running' ? list : undefined;
  }, 'the first scheduled run');
  assert.equal(first?.status, 'succeeded');
  assert.equal(w.partner.requests.length, 1);
  clock.advance(59_000);
  await new Promise((resolve) => setTimeout(resolve, 250)); // six ticks: not due yet
  assert.equal((await runs()).length, 1);
  clock.advance(1_000);
  const list = await waitFor(async () => {
    const found = await runs();
    return found.length === 2 && found.every((r) => r.status !== 'running') ? found : undefined;
  }, 'the second scheduled run');
  assert.deepEqual(list.map((r) => r.startedAt).sort(), [
    new Date(NOW).toISOString(),
    new Date(NOW + 60_000).toISOString(),
  ]);
  assert.equal(list.find((r) => r.runId !== first?.runId)?.status, 'succeeded');
});
