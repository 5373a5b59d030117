import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { bidRequest25 } from '../../src/core/activation/bid-request-fixtures.ts';
import { manualClock } from '../../src/core/clock.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { testDatabaseUrl } from '../contracts/catalog/postgres-test-database.ts';
import { LOOPBACK, WITH_VENDOR, waitFor } from '../helpers/activation-world.ts';
import { startPartnerServer } from '../helpers/partner-server.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';

// Two processes (in-process apps, each with its own data folder and event log) on one PostgreSQL
// catalog: what is changed through one is used by the other within a second (src/app/follow-catalog.ts).

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** what "within a second" allows: the notification, the follower's 100 ms gathering, the reload */
const WITHIN_MS = 1_000;
const SHOP = 'https://shop.example.com';

const SSP = {
  kind: 'openrtb',
  code: 'ssp',
  name: 'SSP',
  segments: [{ segment: 'fans', id: '607' }],
  segtax: 4,
  idType: 'uid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: {},
};

const PARTNER = {
  code: 'ssp_a',
  name: 'SSP A',
  syncUrl: 'https://ssp-a.example/sync?redir=${REDIRECT}',
  type: 'redirect',
  vendorId: 755,
};

test('changes made through one process reach another on the same PostgreSQL catalog within a second', async (t) => {
  const catalog = await testDatabaseUrl();
  const clock = manualClock(NOW);
  // loopback destinations allowed: the batch run below sends to a partner server on this machine
  const config = { catalog, allowPrivateDestinations: LOOPBACK };
  const a = await startTestApp(clock, undefined, { config });
  t.after(() => a.close());
  const b = await startTestApp(clock, undefined, { config });
  t.after(() => b.close());
  // a tenant made in the catalog (as `dmp tenant create` does) after both processes started
  const { apiKey, siteKey } = await a.app.catalog.createTenant('follow');
  const on = (h: TestApp, method: string, path: string, body?: unknown) => h.call(method, path, apiKey, body);
  const sizeOn = async (h: TestApp, segment: string) => {
    const r = await on(h, 'GET', `/v1/segments/${segment}/size`);
    return r.status === 200 ? (r.body as { size: number }).size : undefined;
  };

  await t.test('a tenant made through A is usable with its keys on B', async () => {
    assert.equal((await on(b, 'GET', '/v1/traits')).status, 200);
    const px = await fetch(`${b.base}/px?site=${siteKey}`);
    assert.equal(px.status, 200);
  });

  await t.test("a trait and a segment made on A are used by B, and B's events qualify for them", async () => {
    const traits = [
      { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' },
      { code: 'blog', name: 'Blog', rule: 'url.path startsWith "/blog"' },
    ];
    for (const trait of traits) assert.equal((await on(a, 'POST', '/v1/traits', trait)).status, 201);
    const made = await on(a, 'POST', '/v1/segments', { code: 'fans', name: 'Fans', rule: 'trait:pricing' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(await waitFor(() => sizeOn(b, 'fans'), 'B to know segment fans', WITHIN_MS), 0);
    const events = [
      { uid: 'c-123', url: `${SHOP}/pricing` },
      { uid: 'c-2', url: `${SHOP}/blog` },
      { uid: 'c-3', url: `${SHOP}/blog/post` },
    ];
    assert.equal((await on(b, 'POST', '/v1/events', events)).status, 202);
    assert.equal(await sizeOn(b, 'fans'), 1, 'c-123 qualifies on B for the trait made on A');
    const profile = (await on(b, 'GET', '/v1/profiles/c-123')).body as { segments: string[] };
    assert.deepEqual(profile.segments, ['fans']);
    const rule = await on(b, 'POST', '/v1/audience/size', { rule: 'trait:blog' });
    assert.equal((rule.body as { size: number }).size, 2);
  });

  await t.test("a segment changed on A changes B's answer", async () => {
    const edit = await on(a, 'PATCH', '/v1/segments/fans', { rule: 'trait:pricing OR trait:blog' });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    await waitFor(
      async () => ((await sizeOn(b, 'fans')) === 3 ? true : undefined),
      "B's size of fans to follow the edit (3)",
      WITHIN_MS,
    );
  });

  await t.test("a destination changed on A is what B's real-time enrichment uses", async () => {
    assert.equal((await on(a, 'POST', '/v1/destinations', SSP)).status, 201);
    const request = bidRequest25(encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] }));
    const idsOnB = async () => {
      const r = await on(b, 'POST', '/v1/openrtb/enrich?destination=ssp', request);
      if (r.status !== 200) return undefined;
      const data = (r.body as { user: { data?: { segment: { id: string }[] }[] } }).user.data ?? [];
      return data.flatMap((d) => d.segment.map((s) => s.id));
    };
    assert.deepEqual(await waitFor(idsOnB, 'B to use destination ssp', WITHIN_MS), ['607']);
    const changed = await on(a, 'PUT', '/v1/destinations/ssp', {
      ...SSP,
      segments: [{ segment: 'fans', id: '7001' }],
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await waitFor(
      async () => ((await idsOnB())?.[0] === '7001' ? true : undefined),
      "B's enrichment to send the new mapping (7001)",
      WITHIN_MS,
    );
  });

  await t.test("a campaign made on A gates B's real-time enrichment", async () => {
    const request = bidRequest25(encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] }));
    const idsOnB = async () => {
      const r = await on(b, 'POST', '/v1/openrtb/enrich?destination=ssp', request);
      const data = (r.body as { user: { data?: { segment: { id: string }[] }[] } }).user.data ?? [];
      return data.flatMap((d) => d.segment.map((s) => s.id));
    };
    assert.deepEqual(await idsOnB(), ['7001'], 'no campaign names ssp: its mapping goes');
    const later = {
      code: 'later',
      name: 'Later',
      segments: ['fans'],
      destinations: ['ssp'],
      start: '2026-12-01T00:00:00Z',
      end: '2026-12-25T00:00:00Z',
    };
    assert.equal((await on(a, 'POST', '/v1/campaigns', later)).status, 201);
    await waitFor(
      async () => ((await idsOnB()).length === 0 ? true : undefined),
      "B's enrichment to hold fans back until the campaign's flight",
      WITHIN_MS,
    );
  });

  await t.test('identity settings saved on A are what B reads', async () => {
    const sourceOnB = async () =>
      ((await on(b, 'GET', '/v1/identity/settings')).body as { eidsSources: Record<string, string> })
        .eidsSources['liveramp.com'];
    assert.equal(await sourceOnB(), undefined, 'B has read (and keeps) the settings');
    const put = await on(a, 'PUT', '/v1/identity/settings', { eidsSources: { 'liveramp.com': 'ramp_id' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(await waitFor(sourceOnB, "B's settings to map liveramp.com", WITHIN_MS), 'ramp_id');
  });

  await t.test("a partner added on A is offered by B's /cookie_sync", async () => {
    const sync = async () => {
      const r = await fetch(`${b.base}/cookie_sync?site=${siteKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gdpr: 0 }),
      });
      assert.equal(r.status, 200);
      return ((await r.json()) as { bidder_status: { bidder: string }[] }).bidder_status.map((s) => s.bidder);
    };
    assert.deepEqual(await sync(), [], 'no partner yet (and B keeps that in memory)');
    assert.equal((await on(a, 'POST', '/v1/partners', PARTNER)).status, 201);
    await waitFor(
      async () => ((await sync()).includes('ssp_a') ? true : undefined),
      'B to offer partner ssp_a',
      WITHIN_MS,
    );
  });

  await t.test("an opt-out made on A refuses B's collection for that ID", async () => {
    const collect = (uid: string) => on(b, 'POST', '/v1/events', [{ uid, url: `${SHOP}/pricing` }]);
    assert.equal(((await collect('c-9')).body as { accepted: number }).accepted, 1);
    assert.equal((await on(a, 'POST', '/v1/optouts', { idType: 'uid', id: 'c-9' })).status, 201);
    await waitFor(
      async () => {
        const body = (await collect('c-9')).body as { accepted: number; dropped?: { optOut: number } };
        return body.accepted === 0 && body.dropped?.optOut === 1 ? true : undefined;
      },
      'B to refuse the events of c-9',
      WITHIN_MS,
    );
    assert.equal(
      ((await collect('c-10')).body as { accepted: number }).accepted,
      1,
      'others are still collected',
    );
  });

  await t.test("a destination deleted on A stops B's batch run to it", async () => {
    const partner = await startPartnerServer();
    t.after(() => partner.close());
    const members = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'].map((uid) => ({
      uid,
      url: `${SHOP}/pricing`,
      consent: { gdpr: 1, tcf: WITH_VENDOR },
    }));
    assert.equal((await on(b, 'POST', '/v1/events', members)).status, 202);
    const slow = {
      ...SSP,
      kind: 'http',
      code: 'slow',
      settings: { url: partner.url, batchSize: 1 },
    };
    assert.equal((await on(a, 'POST', '/v1/destinations', slow)).status, 201);
    partner.setDelay(300);
    const started = await on(b, 'POST', '/v1/destinations/slow/runs', {});
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const { runId } = started.body as { runId: string };
    await waitFor(async () => (partner.requests.length > 0 ? true : undefined), 'the first batch');
    assert.ok((await on(a, 'DELETE', '/v1/destinations/slow')).status < 300);
    const sentAtDeletion = partner.requests.length;
    // A marks the run cancelled in the catalog at once; what matters is that B stops sending: its six
    // batches, 300 ms apart, would take 1.8 s more; stopped, at most the batch in flight arrives
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.ok(
      partner.requests.length <= sentAtDeletion + 1,
      `${partner.requests.length - sentAtDeletion} batches sent after the deletion`,
    );
    const run = (await on(b, 'GET', `/v1/runs/${runId}`)).body as {
      status: string;
      report: { cancelled?: string };
    };
    assert.equal(run.status, 'cancelled');
    assert.equal(run.report.cancelled, "destination 'slow' was deleted");
  });

  await t.test("a run cancelled through A stops B's delivery", async () => {
    const partner = await startPartnerServer();
    t.after(() => partner.close());
    const slower = { ...SSP, kind: 'http', code: 'slower', settings: { url: partner.url, batchSize: 1 } };
    assert.equal((await on(a, 'POST', '/v1/destinations', slower)).status, 201);
    partner.setDelay(300);
    const started = await on(b, 'POST', '/v1/destinations/slower/runs', {});
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const { runId } = started.body as { runId: string };
    await waitFor(async () => (partner.requests.length > 0 ? true : undefined), 'the first batch');
    assert.equal((await on(a, 'POST', `/v1/runs/${runId}/cancel`)).status, 200);
    const sentAtCancel = partner.requests.length;
    // ten members, a batch each, 300 ms apart: stopped, at most the batch in flight arrives
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.ok(
      partner.requests.length <= sentAtCancel + 1,
      `${partner.requests.length - sentAtCancel} batches sent after the cancel`,
    );
    const run = (await on(b, 'GET', `/v1/runs/${runId}`)).body as {
      status: string;
      report: { cancelled?: string };
    };
    assert.equal(run.status, 'cancelled');
    assert.equal(run.report.cancelled, 'cancelled through the API');
  });
});

test('a change made while a listener was cut off reaches its process after it reconnects', async (t) => {
  const catalog = await testDatabaseUrl();
  const clock = manualClock(NOW);
  const a = await startTestApp(clock, undefined, { config: { catalog } });
  t.after(() => a.close());
  const b = await startTestApp(clock, undefined, { config: { catalog } });
  t.after(() => b.close());
  const { apiKey } = await a.app.catalog.createTenant('cutoff');
  const trait = { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await a.call('POST', '/v1/traits', apiKey, trait)).status, 201);

  // every LISTEN connection of this database ends (as a restarted server or a network cut would end it)
  const admin = new pg.Client({ connectionString: catalog });
  await admin.connect();
  t.after(() => admin.end());
  const cut = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query = 'LISTEN dmp_catalog'`,
  );
  assert.ok(cut.rowCount !== null && cut.rowCount >= 2, 'both processes were listening');
  const made = await a.call('POST', '/v1/segments', apiKey, {
    code: 'fans',
    name: 'Fans',
    rule: 'trait:pricing',
  });
  assert.equal(made.status, 201);
  // the listener reconnects after a second, then reloads everything: the change it missed included
  const size = await waitFor(
    async () => {
      const r = await b.call('GET', '/v1/segments/fans/size', apiKey);
      return r.status === 200 ? (r.body as { size: number }).size : undefined;
    },
    'B to know segment fans after reconnecting',
    3_000,
  );
  assert.equal(size, 0);
});
