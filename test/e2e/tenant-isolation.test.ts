import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test("one tenant's key never sees or changes another's data, on every route", async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const a = await h.app.catalog.createTenant('alpha');
  const b = await h.app.catalog.createTenant('beta');

  // Tenant A has a trait, a segment and a visitor; tenant B has none of them.
  assert.equal(
    (
      await h.call('POST', '/v1/traits', a.apiKey, {
        code: 'only_a',
        name: 'A',
        rule: 'url.path startsWith "/a"',
      })
    ).status,
    201,
  );
  assert.equal(
    (await h.call('POST', '/v1/segments', a.apiKey, { code: 'seg_a', name: 'A', rule: 'trait:only_a' }))
      .status,
    201,
  );
  assert.equal(
    (await h.call('POST', '/v1/sources', a.apiKey, { code: 'crm_a', name: 'CRM', party: 'second' })).status,
    201,
  );
  const destination = {
    kind: 'openrtb',
    code: 'ssp_a',
    name: 'SSP',
    segments: [{ segment: 'seg_a', id: '1' }],
    idType: 'uid',
    consent: { purposes: [1] },
    restrictions: [],
    settings: {},
  };
  assert.equal((await h.call('POST', '/v1/destinations', a.apiKey, destination)).status, 201);
  const files = {
    ...destination,
    kind: 'file',
    code: 'files_a',
    settings: { format: 'ndjson', mode: 'full', columns: [{ name: 'id', from: 'id' }] },
  };
  const savedFiles = await h.call('POST', '/v1/destinations', a.apiKey, files);
  assert.equal(savedFiles.status, 201, JSON.stringify(savedFiles.body));
  const campaign = {
    code: 'camp_a',
    name: 'C',
    segments: ['seg_a'],
    destinations: ['ssp_a'],
    start: '2026-11-01T00:00:00Z',
    end: '2026-12-01T00:00:00Z',
  };
  const savedCampaign = await h.call('POST', '/v1/campaigns', a.apiKey, campaign);
  assert.equal(savedCampaign.status, 201, JSON.stringify(savedCampaign.body));
  const run = await h.call('POST', '/v1/destinations/files_a/runs?wait=true', a.apiKey, { mode: 'full' });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  const runId = (run.body as { runId: string }).runId;
  const ev = await h.call('POST', '/v1/events', a.apiKey, {
    uid: 'visitor-a',
    url: 'https://a.example/a',
    ids: { maid: maidOf('m-1') },
  });
  assert.equal(ev.status, 202);
  const partner = {
    code: 'ssp_x',
    name: 'X',
    type: 'redirect',
    syncUrl: 'https://x.example/s?r=${REDIRECT}',
  };
  assert.equal((await h.call('POST', '/v1/partners', a.apiKey, partner)).status, 201);
  const settings = await h.call('PUT', '/v1/identity/settings', a.apiKey, { idCaps: { maid: 1 } });
  assert.equal(settings.status, 200);

  const routes: [string, string, unknown?][] = [
    ['GET', '/v1/traits/only_a'],
    ['PATCH', '/v1/traits/only_a', { name: 'hijacked' }],
    ['DELETE', '/v1/traits/only_a'],
    ['GET', '/v1/segments/seg_a'],
    ['PATCH', '/v1/segments/seg_a', { name: 'hijacked' }],
    ['DELETE', '/v1/segments/seg_a'],
    ['GET', '/v1/segments/seg_a/size'],
    ['GET', '/v1/profiles/visitor-a'],
    ['GET', '/v1/profiles/visitor-a/segments'],
    ['GET', `/v1/profiles/x/segments?idType=maid&id=${maidOf('m-1')}`],
    ['GET', '/v1/profiles/visitor-a/explain?segment=seg_a'],
    ['GET', '/v1/profiles/visitor-a/export'],
    ['DELETE', '/v1/profiles/visitor-a'],
    ['GET', '/v1/destinations/ssp_a'],
    ['PUT', '/v1/destinations/ssp_a', destination],
    ['DELETE', '/v1/destinations/ssp_a'],
    [
      'POST',
      '/v1/openrtb/enrich?destination=ssp_a',
      { id: 'r', imp: [{ id: '1' }], user: { id: 'visitor-a' } },
    ],
    ['POST', '/v1/destinations/files_a/runs', { mode: 'full' }],
    ['GET', `/v1/runs/${runId}`],
    ['POST', `/v1/runs/${runId}/cancel`],
    ['GET', '/v1/campaigns/camp_a'],
    ['PUT', '/v1/campaigns/camp_a', campaign],
    ['DELETE', '/v1/campaigns/camp_a'],
    ['GET', '/v1/campaigns/camp_a/report'],
    ['GET', '/v1/sources/crm_a'],
    ['PATCH', '/v1/sources/crm_a', { labels: ['no-modeling'] }],
    ['DELETE', '/v1/sources/crm_a'],
    ['GET', '/v1/partners/ssp_x'],
    ['PATCH', '/v1/partners/ssp_x', { resyncDays: 1 }],
    ['DELETE', '/v1/partners/ssp_x'],
    ['GET', '/v1/partners/ssp_x/match-rate'],
  ];
  for (const [method, path, body] of routes) {
    const r = await h.call(method, path, b.apiKey, body);
    assert.equal(r.status, 404, `${method} ${path} with B's key: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const sized = await h.call('POST', '/v1/audience/size', b.apiKey, { rule: 'trait:only_a' });
  assert.equal(sized.status, 422, "B cannot size a rule over A's trait");
  assert.equal((await h.call('POST', '/v1/audience/overlap', b.apiKey, { segments: ['seg_a'] })).status, 422);
  assert.deepEqual((await h.call('GET', '/v1/traits', b.apiKey)).body, { traits: [] });
  assert.deepEqual((await h.call('GET', '/v1/segments', b.apiKey)).body, { segments: [] });
  assert.deepEqual((await h.call('GET', '/v1/profiles', b.apiKey)).body, { profiles: [], nextCursor: null });

  assert.deepEqual((await h.call('GET', '/v1/destinations', b.apiKey)).body, { destinations: [] });
  assert.deepEqual((await h.call('GET', '/v1/campaigns', b.apiKey)).body, { campaigns: [] });
  assert.deepEqual((await h.call('GET', '/v1/destinations/files_a/runs', b.apiKey)).body, { runs: [] });
  assert.deepEqual((await h.call('GET', '/v1/destinations/files_a/dead-letters', b.apiKey)).body, {
    deadLetters: [],
  });
  assert.deepEqual((await h.call('GET', '/v1/partners', b.apiKey)).body, { partners: [] });
  const bSettings = (await h.call('GET', '/v1/identity/settings', b.apiKey)).body as { updatedAt: unknown };
  assert.equal(bSettings.updatedAt, null, "B sees its own (default) identity settings, not A's");
  const bAudit = (await h.call('GET', '/v1/audit', b.apiKey)).body as { entries: unknown[] };
  assert.deepEqual(bAudit.entries, [], "B's audit log holds nothing of A's changes");
  // B's ID-link file naming A's visitor's IDs reaches nothing of A's
  const links = await fetch(`${h.base}/v1/identity/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.apiKey}`, 'content-type': 'text/csv' },
    body: `uid,maid\nvisitor-a,${maidOf('m-1')}\n`,
  });
  assert.equal(links.status, 200);
  assert.equal(((await links.json()) as { unmatched: number }).unmatched, 1);
  const optOut = await h.call('POST', '/v1/optouts', b.apiKey, { idType: 'uid', id: 'visitor-a' });
  assert.equal((optOut.body as { profileDeleted: boolean }).profileDeleted, false);
  assert.equal(
    (await h.call('GET', '/v1/profiles/visitor-a', a.apiKey)).status,
    200,
    "B's opt-out does not touch A",
  );
  const aEvent = await h.call('POST', '/v1/events', a.apiKey, {
    uid: 'visitor-a',
    url: 'https://a.example/x',
  });
  assert.deepEqual(
    aEvent.body,
    { accepted: 1, rejected: [] },
    "A still collects the visitor B's opt-out names",
  );

  // B's events land in B, with B's own (empty) rules; A is unchanged by all of the above.
  assert.equal(
    (await h.call('POST', '/v1/events', b.apiKey, { uid: 'visitor-a', url: 'https://b.example/a' })).status,
    202,
  );
  assert.equal(
    (await h.call('POST', `/v1/events?site=${b.siteKey}`, undefined, { uid: 'visitor-b' })).status,
    202,
  );
  const aProfile = (await h.call('GET', '/v1/profiles/visitor-a', a.apiKey)).body as {
    attributes: { pageviews: number };
    segments: string[];
  };
  assert.equal(aProfile.attributes.pageviews, 2);
  assert.deepEqual(aProfile.segments, ['seg_a']);
  assert.equal(((await h.call('GET', '/v1/traits/only_a', a.apiKey)).body as { name: string }).name, 'A');
  assert.equal(((await h.call('GET', '/v1/segments/seg_a/size', a.apiKey)).body as { size: number }).size, 1);
  assert.equal((await h.call('GET', '/v1/profiles/visitor-b', a.apiKey)).status, 404);
  // B opted visitor-a out in B, so B's event for it was dropped there, and only there
  assert.equal((await h.call('GET', '/v1/profiles/visitor-a', b.apiKey)).status, 404);
  const bProfile = (await h.call('GET', '/v1/profiles/visitor-b', b.apiKey)).body as {
    segments: string[];
    traits: unknown[];
  };
  assert.deepEqual(bProfile.segments, []);
  assert.deepEqual(bProfile.traits, []);
});
