import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { bidRequest25 } from '../../src/core/activation/bid-request-fixtures.ts';
import { Funnel } from '../../src/core/activation/index.ts';
import type { FunnelReport } from '../../src/core/activation/index.ts';
import { CampaignDelivery } from '../../src/activate/campaigns/campaign-delivery.ts';
import type { BatchRun } from '../../src/activate/campaigns/campaign-delivery.ts';
import type { CampaignReport } from '../../src/activate/campaigns/campaign-delivery.ts';
import { RealtimeCounts } from '../../src/activate/campaigns/realtime-counts.ts';
import { Audit } from '../../src/governance/audit.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const START = '2026-12-01T00:00:00Z';
const END = '2026-12-25T00:00:00Z';
const FULL = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
const PURPOSE_1 = encodeTc({ purposeConsents: [1], vendorConsents: [755] });

const ssp = {
  kind: 'openrtb',
  code: 'ssp',
  name: 'SSP',
  segments: [
    { segment: 'pricing_fans', id: '607' },
    { segment: 'blog_readers', id: '700' },
  ],
  segtax: 4,
  idType: 'uid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: {},
};
const gam = {
  ...ssp,
  kind: 'gam',
  code: 'gam',
  segtax: undefined,
  segments: [{ segment: 'pricing_fans', id: '607' }],
  settings: { key: 'dmp' },
};
const files = {
  ...ssp,
  kind: 'file',
  code: 'files',
  segtax: undefined,
  segments: [{ segment: 'pricing_fans', id: 'pf' }],
  settings: { format: 'csv', mode: 'full', columns: [{ name: 'uid', from: 'id' }] },
};
const xmas = {
  code: 'xmas',
  name: 'Christmas',
  segments: ['pricing_fans'],
  destinations: ['ssp', 'gam'],
  start: START,
  end: END,
};

async function setUp(h: TestApp): Promise<{ apiKey: string; siteKey: string; tenant: string }> {
  const { tenant, apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  await h.call('POST', '/v1/sources', apiKey, { code: 'crm', name: 'CRM', party: 'second', labels: [] });
  const setup: [string, unknown][] = [
    ['/v1/traits', { code: 'pricing', name: 'P', rule: 'url.path startsWith "/pricing"' }],
    ['/v1/traits', { code: 'blog', name: 'B', rule: 'url.path startsWith "/blog"' }],
    ['/v1/traits', { code: 'vip', name: 'V', rule: 'signals.tier == "vip"', source: 'crm' }],
    ['/v1/segments', { code: 'pricing_fans', name: 'PF', rule: 'trait:pricing' }],
    ['/v1/segments', { code: 'blog_readers', name: 'BR', rule: 'trait:blog' }],
    ['/v1/segments', { code: 'vips', name: 'V', rule: 'trait:vip' }],
    ['/v1/destinations', ssp],
    ['/v1/destinations', gam],
    ['/v1/destinations', files],
    ['/v1/destinations', { ...ssp, code: 'crm-ssp', segments: [{ segment: 'vips', id: '9' }] }],
  ];
  for (const [path, body] of setup) {
    const answer = await h.call('POST', path, apiKey, body);
    assert.equal(answer.status, 201, `${path}: ${JSON.stringify(answer.body)}`);
  }
  const events = [
    { uid: 'c-123', url: 'https://shop.example.com/pricing' },
    { uid: 'c-123', url: 'https://shop.example.com/blog/a', signals: { tier: 'vip' } },
  ];
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);
  return { apiKey, siteKey, tenant };
}

/** Checks that every step but the first adds up: previous count = count + lost + pending. */
function assertAddsUp(funnel: FunnelReport, what: string): void {
  funnel.steps.forEach((step, i) => {
    const previous = funnel.steps[i - 1];
    if (previous === undefined) return;
    assert.equal(previous.count, step.count + step.lost + step.pending, `${what}: ${step.step}`);
    assert.equal(
      step.lost,
      step.reasons.reduce((n, r) => n + r.count, 0),
      `${what}: reasons of ${step.step}`,
    );
  });
}

const counts = (funnel: FunnelReport): Record<string, [number, number]> =>
  Object.fromEntries(funnel.steps.map((s) => [s.step, [s.count, s.lost]]));

test('a campaign delivers its segment to openrtb and gam only in flight, and reports what it did', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { apiKey, siteKey } = await setUp(h);
  const created = await h.call('POST', '/v1/campaigns', apiKey, xmas);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body, xmas);
  assert.equal((await h.call('POST', '/v1/campaigns', apiKey, xmas)).status, 409);

  const enrich = async (tc: string) => {
    const answer = await h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, bidRequest25(tc));
    const data = (answer.body as { user: { data?: { segment: { id: string }[] }[] } }).user.data ?? [];
    return data.flatMap((d) => d.segment.map((s) => s.id));
  };
  const targeting = async (tc: string) => {
    const url = `${h.base}/v1/page/targeting?site=${siteKey}&destination=gam&gdpr=1&gdpr_consent=${tc}`;
    const answer = await fetch(url, { headers: { cookie: 'dmp_uid=c-123' } });
    return ((await answer.json()) as { targeting: unknown }).targeting;
  };

  // before the flight: only the standing mapping (blog_readers, in no campaign) goes
  assert.deepEqual(await enrich(FULL), ['700']);
  assert.deepEqual(await targeting(FULL), {});

  clock.set(Date.parse(START)); // the flight starts (start is inclusive)
  assert.deepEqual(await enrich(FULL), ['607', '700']);
  assert.deepEqual(await targeting(FULL), { dmp: ['607'] });
  clock.set(Date.parse('2026-12-10T08:00:00Z'));
  assert.deepEqual(await enrich(FULL), ['607', '700']);
  assert.deepEqual(await enrich(PURPOSE_1), [], 'no consent: nothing');
  assert.deepEqual(await targeting(PURPOSE_1), {});
  assert.deepEqual(await targeting(PURPOSE_1), {});
  const stranger = bidRequest25(FULL);
  stranger.user = { id: 'nobody', buyeruid: 'nobody', ext: { consent: FULL } };
  await h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, stranger);

  clock.set(Date.parse(END)); // end is exclusive
  assert.deepEqual(await enrich(FULL), ['700']);
  assert.deepEqual(await targeting(FULL), {});

  const report = (await h.call('GET', '/v1/campaigns/xmas/report', apiKey)).body as CampaignReport;
  assert.equal(report.inFlight, false);
  assert.deepEqual(
    report.destinations.map((d) => [d.destination, d.kind, d.delivery]),
    [
      ['ssp', 'openrtb', 'realtime'],
      ['gam', 'gam', 'realtime'],
    ],
  );
  const [sspReport, gamReport] = report.destinations;
  assert.ok(sspReport !== undefined && gamReport !== undefined);
  // in flight: 3 bid requests of c-123 (1 without consent); the stranger is in no audience
  assert.deepEqual(counts(sspReport.realtime), {
    eligible: [3, 0],
    consented: [2, 1],
    hasId: [2, 0],
    sent: [2, 0],
    acknowledged: [2, 0],
  });
  assert.deepEqual(counts(gamReport.realtime), {
    eligible: [3, 0],
    consented: [1, 2],
    hasId: [1, 0],
    sent: [1, 0],
    acknowledged: [1, 0],
  });
  assert.match(gamReport.realtime.steps[1]?.reasons[0]?.reason ?? '', /purpose/i);
  assert.equal(gamReport.realtime.steps[1]?.reasons[0]?.count, 2);
  for (const d of report.destinations) {
    assertAddsUp(d.realtime, `${d.destination} realtime`);
    assertAddsUp(d.total, `${d.destination} total`);
    assert.deepEqual(d.batch.runs, 0);
  }

  // deleting the campaign makes the pair a standing mapping again
  assert.equal((await h.call('DELETE', '/v1/campaigns/xmas', apiKey)).status, 204);
  assert.deepEqual(await enrich(FULL), ['607', '700']);
  assert.equal((await h.call('GET', '/v1/campaigns/xmas', apiKey)).status, 404);
  const audit = (await h.call('GET', '/v1/audit', apiKey)).body as { entries: { action: string }[] };
  const actions = audit.entries.map((e) => e.action).filter((a) => a.startsWith('campaign.'));
  assert.deepEqual(actions.sort(), ['campaign.create', 'campaign.delete']);
});

test('a campaign is refused, naming the field, when it cannot be delivered as asked', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await setUp(h);
  const refused = async (body: unknown, code: string, field: string, detail: RegExp) => {
    const answer = await h.call('POST', '/v1/campaigns', apiKey, body);
    const problem = answer.body as { code: string; field: string; detail: string };
    assert.equal(answer.status, 422, JSON.stringify(problem));
    assert.equal(problem.code, code);
    assert.equal(problem.field, field);
    assert.match(problem.detail, detail);
  };
  await refused(
    { ...xmas, segments: ['pricing_fans', 'blog_readers'] },
    'unmapped_segment',
    'segments[1]',
    /'blog_readers' is not mapped in destination 'gam'/,
  );
  await refused(
    { ...xmas, destinations: ['ssp', 'gam', 'dv360'] },
    'unknown_destination',
    'destinations[2]',
    /dv360/,
  );
  await refused({ ...xmas, segments: ['nope'] }, 'unknown_segment', 'segments[0]', /nope/);
  await refused({ ...xmas, end: '2026-11-30T00:00:00Z' }, 'invalid_campaign', 'end', /after start/);
  await refused({ ...xmas, start: '1 December' }, 'invalid_campaign', 'start', /ISO 8601/);
  await refused({ ...xmas, segments: [] }, 'invalid_campaign', 'segments', /at least one/);
  // the CRM source is labelled after the mapping was saved: the campaign may not send it
  const labelled = await h.call('PATCH', '/v1/sources/crm', apiKey, { labels: ['no-offsite-targeting'] });
  assert.equal(labelled.status, 200, JSON.stringify(labelled.body));
  await refused(
    { ...xmas, segments: ['vips'], destinations: ['crm-ssp'] },
    'export_control',
    'segments[0]',
    /no-offsite-targeting.*crm/,
  );
  assert.deepEqual((await h.call('GET', '/v1/campaigns', apiKey)).body, { campaigns: [] });

  // PUT keeps the code and checks like POST
  assert.equal((await h.call('POST', '/v1/campaigns', apiKey, xmas)).status, 201);
  const moved = { ...xmas, end: '2026-12-31T00:00:00Z' };
  assert.deepEqual((await h.call('PUT', '/v1/campaigns/xmas', apiKey, moved)).body, moved);
  const renamed = await h.call('PUT', '/v1/campaigns/xmas', apiKey, { ...xmas, code: 'other' });
  assert.equal(renamed.status, 422);
  assert.equal((await h.call('PUT', '/v1/campaigns/nope', apiKey, xmas)).status, 404);
  assert.deepEqual((await h.call('GET', '/v1/campaigns/xmas', apiKey)).body, moved);
});

test('batch runs: started per batch destination in flight, their funnels summed in the report', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { apiKey, tenant } = await setUp(h);
  const campaign = { ...xmas, destinations: ['ssp', 'files'] };
  assert.equal((await h.call('POST', '/v1/campaigns', apiKey, campaign)).status, 201);
  const early = await h.call('POST', '/v1/campaigns/xmas/run', apiKey);
  assert.equal(early.status, 409);
  assert.equal((early.body as { code: string }).code, 'not_in_flight');

  const started: unknown[] = [];
  const run: BatchRun = async (tenantId, destination, options) => {
    started.push([tenantId, destination, options]);
    return { runId: `run-${started.length}` };
  };
  const delivery = new CampaignDelivery({
    campaigns: h.app.campaigns,
    catalog: h.app.catalog,
    counts: new RealtimeCounts(() => []),
    audit: new Audit(h.app.catalog),
    clock,
    runBatch: run,
  });
  clock.set(Date.parse('2026-12-02T00:00:00Z'));
  assert.deepEqual(await delivery.run(tenant, 'xmas', 'key:test'), {
    campaign: 'xmas',
    runs: [{ destination: 'files', run: { runId: 'run-1' } }],
  });
  assert.deepEqual(started, [[tenant, 'files', { campaign: 'xmas', segments: ['pricing_fans'] }]]);

  // two runs as the batch runner records them: 10 eligible, 2 without consent, 1 without ID, 1 pending
  const funnel = (noId: number, pending: number): FunnelReport => {
    const f = new Funnel();
    f.pass('eligible', 10);
    f.lose('consented', 'no consent for purpose 3', 2);
    f.pass('consented', 8);
    f.lose('hasId', 'no uid ID for files', noId);
    f.pass('hasId', 8 - noId);
    f.pass('sent', 8 - noId);
    f.pass('acknowledged', 8 - noId - pending);
    return f.report();
  };
  for (const [i, report] of [funnel(1, 1), funnel(0, 0)].entries()) {
    await h.app.catalog.saveRun(tenant, {
      runId: `r${i}`,
      destination: 'files',
      campaign: 'xmas',
      mode: 'full',
      status: 'succeeded',
      startedAt: new Date(clock.now() + i).toISOString(),
      report: { rows: 7, funnel: report },
    });
  }
  const report = (await h.call('GET', '/v1/campaigns/xmas/report', apiKey)).body as CampaignReport;
  assert.equal(report.inFlight, true);
  const filesReport = report.destinations.find((d) => d.destination === 'files');
  assert.ok(filesReport !== undefined);
  assert.equal(filesReport.delivery, 'batch');
  assert.equal(filesReport.batch.runs, 2);
  assert.deepEqual(counts(filesReport.batch.funnel), {
    eligible: [20, 0],
    consented: [16, 4],
    hasId: [15, 1],
    sent: [15, 0],
    acknowledged: [14, 0],
  });
  assert.equal(filesReport.batch.funnel.steps[4]?.pending, 1);
  assertAddsUp(filesReport.batch.funnel, 'files batch');
  assertAddsUp(filesReport.total, 'files total');
  assert.deepEqual(filesReport.total, filesReport.batch.funnel, 'no real-time delivery to a file');
});
