import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { bidRequest25 } from '../../src/core/activation/bid-request-fixtures.ts';
import type { FunnelReport } from '../../src/core/activation/index.ts';
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import type { CampaignReport } from '../../src/activate/campaigns/campaign-delivery.ts';
import {
  WITHOUT_VENDOR,
  WITH_VENDOR,
  assertFunnelAddsUp,
  exportFiles,
  fileDestination,
  gunzipText,
  httpDestination,
  ok,
  seedRules,
  startWorld,
  visit,
  waitFor,
  runViaApi,
} from '../helpers/activation-world.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const START = '2026-12-01T00:00:00Z';
const END = '2026-12-25T00:00:00Z';
const CONSENT = { vendorId: 755, purposes: [1, 3, 4] };

const counts = (funnel: FunnelReport): Record<string, [number, number]> =>
  Object.fromEntries(funnel.steps.map((s) => [s.step, [s.count, s.lost]]));

test('one campaign sends one segment to openrtb, gam, http and file destinations, and reports each', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seedRules(w);
  const ssp = {
    kind: 'openrtb',
    code: 'ssp',
    name: 'SSP',
    segtax: 4,
    idType: 'uid',
    consent: CONSENT,
    restrictions: [],
  };
  ok(
    await w.call('POST', '/v1/destinations', {
      ...ssp,
      segments: [{ segment: 'pricing_fans', id: '607' }],
      settings: {},
    }),
  );
  ok(
    await w.call('POST', '/v1/destinations', {
      ...ssp,
      kind: 'gam',
      code: 'gam',
      segtax: undefined,
      segments: [{ segment: 'pricing_fans', id: '607' }],
      settings: { key: 'dmp' },
    }),
  );
  // the batch destinations also map `readers`, which the campaign does not send
  ok(await w.call('POST', '/v1/destinations', httpDestination(w.partner.url, 'hook')));
  const files = fileDestination('files', 'csv', 100);
  ok(await w.call('POST', '/v1/destinations', { ...files, settings: { ...files.settings, mode: 'full' } }));
  assert.equal(
    await w.post([
      visit('c-123', '/pricing'),
      visit('v-01', '/pricing'),
      visit('v-02', '/pricing'),
      visit('v-02', '/blog'),
      visit('v-03', '/pricing', { tcf: WITHOUT_VENDOR }),
      visit('v-04', '/blog'),
    ]),
    202,
  );
  const campaign = {
    code: 'xmas',
    name: 'Christmas',
    segments: ['pricing_fans'],
    destinations: ['ssp', 'gam', 'hook', 'files'],
    start: START,
    end: END,
  };
  const created = await w.call('POST', '/v1/campaigns', campaign);
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const enrich = async (tc: string) => {
    const answer = await w.call('POST', '/v1/openrtb/enrich?destination=ssp', bidRequest25(tc));
    const data = (answer.body as { user: { data?: { segment: { id: string }[] }[] } }).user.data ?? [];
    return data.flatMap((d) => d.segment.map((s) => s.id));
  };
  const targeting = async (tc: string) => {
    const url = `${w.base}/v1/page/targeting?site=${w.siteKey}&destination=gam&gdpr=1&gdpr_consent=${tc}`;
    const answer = await fetch(url, { headers: { cookie: 'dmp_uid=c-123' } });
    return ((await answer.json()) as { targeting: unknown }).targeting;
  };
  assert.deepEqual(await enrich(WITH_VENDOR), [], 'before the flight: nothing');
  assert.equal((await w.call('POST', '/v1/campaigns/xmas/run')).status, 409);
  // a standing run outside the flight sends the mapped segments the campaign does not name, not its own
  const standing = await runViaApi(w, 'files', { mode: 'full', runId: 'standing-before-flight' });
  const standingRows = [...(await exportFiles(w, 'files', standing.runId))]
    .filter(([name]) => name.endsWith('.gz'))
    .map(([, bytes]) => gunzipText(bytes))
    .join('\n');
  assert.match(standingRows, /v-04/, 'readers (no campaign) go as a standing mapping');
  assert.doesNotMatch(standingRows, /c-123|v-01/, 'pricing_fans (campaign only) waits for the flight');

  clock.set(Date.parse('2026-12-10T08:00:00Z'));
  assert.deepEqual(await enrich(WITH_VENDOR), ['607']);
  assert.deepEqual(await enrich(WITHOUT_VENDOR), []);
  assert.deepEqual(await targeting(WITH_VENDOR), { dmp: ['607'] });
  assert.deepEqual(await targeting(WITHOUT_VENDOR), {});

  const started = await w.call('POST', '/v1/campaigns/xmas/run');
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const runs = (started.body as { runs: { destination: string; run: { runId: string } }[] }).runs;
  assert.deepEqual(runs.map((r) => r.destination).sort(), ['files', 'hook']);
  const finished = new Map<string, ActivationRun>();
  for (const { destination, run } of runs) {
    const done = await waitFor(async () => {
      const answer = await w.call('GET', `/v1/runs/${run.runId}`);
      const body = answer.body as ActivationRun;
      return body.status === 'running' ? undefined : body;
    }, `the run of ${destination}`);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.report));
    assert.equal(done.campaign, 'xmas');
    finished.set(destination, done);
  }

  // only the campaign's segment: v-02 without '12', v-04 (a reader only) not at all, v-03 lost at consent
  const sent = w.partner.requests.flatMap((r) => r.body.added);
  assert.deepEqual(
    sent.map((a) => [a.id, a.segments]),
    [
      ['c-123', ['607']],
      ['v-01', ['607']],
      ['v-02', ['607']],
    ],
  );
  const exported = await exportFiles(w, 'files', finished.get('files')!.runId);
  assert.equal(
    gunzipText(exported.get('part-00000.csv.gz')!),
    'id,segs,action\nc-123,607,add\nv-01,607,add\nv-02,607,add\n',
  );

  const report = (await w.call('GET', '/v1/campaigns/xmas/report')).body as CampaignReport;
  assert.equal(report.inFlight, true);
  const by = new Map(report.destinations.map((d) => [d.destination, d]));
  assert.deepEqual(
    report.destinations.map((d) => [d.destination, d.kind, d.delivery]),
    [
      ['ssp', 'openrtb', 'realtime'],
      ['gam', 'gam', 'realtime'],
      ['hook', 'http', 'batch'],
      ['files', 'file', 'batch'],
    ],
  );
  const realtime = { eligible: [2, 0], consented: [1, 1], hasId: [1, 0], sent: [1, 0], acknowledged: [1, 0] };
  const batch = { eligible: [4, 0], consented: [3, 1], hasId: [3, 0], sent: [3, 0], acknowledged: [3, 0] };
  assert.deepEqual(counts(by.get('ssp')!.total), realtime);
  assert.deepEqual(counts(by.get('gam')!.total), realtime);
  assert.deepEqual(counts(by.get('hook')!.total), batch);
  assert.deepEqual(counts(by.get('files')!.total), batch);
  for (const d of report.destinations) {
    assertFunnelAddsUp(d.realtime, `${d.destination} realtime`);
    assertFunnelAddsUp(d.batch.funnel, `${d.destination} batch`);
    assertFunnelAddsUp(d.total, `${d.destination} total`);
    const lost = d.total.steps.find((s) => s.step === 'consented')?.reasons ?? [];
    assert.match(
      lost.map((r) => r.reason).join(' '),
      /755/,
      `${d.destination}: lost to consent, with the reason`,
    );
    assert.equal(d.batch.runs, d.delivery === 'batch' ? 1 : 0);
  }
});
