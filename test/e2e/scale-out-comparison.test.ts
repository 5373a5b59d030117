import { test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import type { Answer, Deployment } from '../helpers/scale-deployment.ts';
import { call, startSideBySide } from '../helpers/scale-deployment.ts';
import {
  SEGMENTS,
  SHOP,
  bidRequestFor,
  createRules,
  eventBatches,
  maidOfVisitor,
  postBatch,
  timeless,
  uidOf,
} from '../helpers/scale-world.ts';
import { startNatsCluster } from '../helpers/nats-servers.ts';

const VISITORS = 240;
const CODES = SEGMENTS.map(([code]) => code);

/**
 * Issue 18's done-criterion, part 1 (ADR 35): the same events fed to the embedded server and to a
 * scaled-out deployment (2 collectors, 3 workers, 2 API servers, 8 partitions, a 3-node NATS cluster with
 * an R3 stream, one PostgreSQL database), and every answer compared: sizes, ad-hoc sizes, overlaps,
 * trends, insights, lookups by uid and by mobile ID, explain, bid enrichment and privacy exports, asked
 * of both API servers. Events arrive out of order, alternating collectors, and two batches are sent
 * again to the other collector (a retry): nothing is applied twice.
 */
test('a scaled-out deployment answers every question exactly as the embedded server', async (t) => {
  const nats = await startNatsCluster();
  t.after(() => nats.stop());
  const [reference, deployment] = await startSideBySide(nats, {
    collectors: 2,
    workers: 3,
    apis: 2,
    partitions: 8,
    leaseTtlMs: 3_000,
    // a sweep each second: an API server records the day's sizes for the trends when they are due
    env: { DMP_RETENTION_INTERVAL_S: '1' },
  });
  const after: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const end of after) await end();
    await Promise.all([reference.stop(), deployment.stop()]);
  });
  const ref = { target: reference.process, key: reference.apiKey };
  const [api1, api2] = deployment.apis as [Deployment['apis'][number], Deployment['apis'][number]];

  // every worker serves some of the 8 partitions, and together all of them
  const serving = await deployment.serving();
  assert.deepEqual(
    serving.flatMap((s) => s ?? []).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.ok(
    serving.every((s) => (s?.length ?? 0) >= 2),
    JSON.stringify(serving),
  );

  await createRules(ref.target, ref.key, reference.siteKey);
  await createRules(api1, deployment.apiKey, deployment.siteKey);
  // the workers' engines reload the rules from PostgreSQL's notifications: every segment sizes on both
  await eventually(async () => {
    for (const api of [api1, api2])
      for (const code of CODES)
        assert.equal((await call(api, 'GET', `/v1/segments/${code}/size`, deployment.apiKey)).status, 200);
  });

  const batches = eventBatches(VISITORS, Date.now(), 7);
  for (const [k, batch] of batches.entries()) {
    await postBatch(ref.target, ref.key, batch);
    await postBatch(deployment.collectors[k % 2] as { base: string }, deployment.apiKey, batch);
  }
  // retries: the first two batches again, each to the other collector (and to the embedded server)
  for (const [k, batch] of batches.slice(0, 2).entries()) {
    await postBatch(ref.target, ref.key, batch);
    await postBatch(deployment.collectors[(k + 1) % 2] as { base: string }, deployment.apiKey, batch);
  }
  await deployment.settled();

  const same = async (what: string, method: string, path: string, body?: unknown) => {
    const expected = await call(ref.target, method, path, ref.key, body);
    assert.ok(expected.status < 300, `${what} on the embedded server: ${expected.status} ${expected.text}`);
    for (const api of [api1, api2]) {
      const got = await call(api, method, path, deployment.apiKey, body);
      assert.equal(got.status, expected.status, `${what}: ${got.text}`);
      assert.deepEqual(timeless(got.body), timeless(expected.body), what);
    }
    return expected;
  };

  await t.test('segment sizes, ad-hoc sizes, overlaps, trends and insights', async () => {
    let total = 0;
    for (const code of CODES) {
      const size = await same(`size of ${code}`, 'GET', `/v1/segments/${code}/size`);
      total += (size.body as { size: number }).size;
      await same(`trend of ${code}`, 'GET', `/v1/segments/${code}/trend`);
      await same(`insights of ${code}`, 'GET', `/v1/segments/${code}/insights?minCount=1`);
    }
    assert.ok(total > VISITORS, 'the segments are not empty');
    const everyone = await same('everyone', 'GET', '/v1/segments/everyone/size');
    assert.equal((everyone.body as { size: number }).size, VISITORS);
    await same('ad-hoc size', 'POST', '/v1/audience/size', {
      rule: 'trait:pricing and not geo.city == "London"',
    });
    await same('overlap of every segment', 'POST', '/v1/audience/overlap', { segments: CODES });
    // the dashboard's largest segments and profiles (its latest changes name each side's own keys)
    for (const query of ['', '?top=2']) {
      const board = async (target: { base: string }, key: string) => {
        const answer = await call(target, 'GET', `/v1/dashboard${query}`, key);
        assert.equal(answer.status, 200, answer.text);
        const { profiles, topSegments } = answer.body as { profiles: number; topSegments: unknown };
        return { profiles, topSegments };
      };
      const expected = await board(ref.target, ref.key);
      const listed = (expected.topSegments as { segments: unknown[] }).segments.length;
      assert.equal(
        listed,
        query === '' ? Math.min(10, CODES.length) : 2,
        `segments listed by dashboard${query}`,
      );
      for (const api of [api1, api2])
        assert.deepEqual(await board(api, deployment.apiKey), expected, `dashboard${query}`);
    }
  });

  await t.test(
    "the day's sizes an API server records for the trends are every partition's, added up",
    async () => {
      const db = new pg.Client({ connectionString: deployment.catalogUrl });
      await db.connect();
      // ended before the deployment's database is dropped (a dropped connection would be an error event)
      after.push(() => db.end());
      // today's row was recorded by the first sweep, before any event: take it away, the next sweep records it again
      await db.query('DELETE FROM segment_sizes');
      const listed = await call(api1, 'GET', '/v1/segments', deployment.apiKey);
      const ids = new Map(
        (listed.body as { segments: { id: number; code: string }[] }).segments.map((s) => [s.id, s.code]),
      );
      let rows: { segment_id: number; size: number }[] = [];
      for (const deadline = Date.now() + 20_000; rows.length < CODES.length;) {
        assert.ok(Date.now() < deadline, `the day's sizes were not recorded again: ${JSON.stringify(rows)}`);
        await new Promise((r) => setTimeout(r, 250));
        rows = (await db.query('SELECT segment_id, size FROM segment_sizes')).rows as typeof rows;
      }
      for (const row of rows) {
        const code = ids.get(Number(row.segment_id)) as string;
        const expected = await call(ref.target, 'GET', `/v1/segments/${code}/size`, ref.key);
        assert.equal(Number(row.size), (expected.body as { size: number }).size, `recorded size of ${code}`);
      }
    },
  );

  await t.test('lookups by uid and by mobile ID, segments, explain and privacy exports', async () => {
    for (let i = 0; i < VISITORS; i++) {
      const uid = uidOf(i);
      await same(`profile ${uid}`, 'GET', `/v1/profiles/${uid}`);
      await same(`segments of ${uid}`, 'GET', `/v1/profiles/${uid}/segments`);
      if (i % 8 === 0) {
        await same(`explain ${uid}`, 'GET', `/v1/profiles/${uid}/explain?segment=london_pricing`);
        await same(`export ${uid}`, 'GET', `/v1/profiles/${uid}/export`);
      }
      const maid = maidOfVisitor(i);
      if (maid !== undefined && i % 6 === 0) {
        await same(`profile by MAID of ${uid}`, 'GET', `/v1/profiles/x?idType=maid&id=${maid}`);
        await same(
          `explain by MAID of ${uid}`,
          'GET',
          `/v1/profiles/x/explain?segment=pricing_fans&idType=maid&id=${maid}`,
        );
      }
    }
    // an unknown visitor is a 404 on both
    const unknown = await call(api2, 'GET', '/v1/profiles/nobody-at-all', deployment.apiKey);
    assert.equal(unknown.status, 404, unknown.text);
  });

  await t.test("a source's onboarded traits are made through an API server and known to both", async () => {
    const source = { code: 'crm', name: 'CRM', party: 'first' };
    const traits = {
      traits: [{ code: 'vip', name: 'VIP customer', integrationCode: 'V1', lifetimeDays: 30 }],
    };
    for (const [target, key] of [
      [ref.target, ref.key],
      [api1, deployment.apiKey],
    ] as const) {
      const made = await call(target, 'POST', '/v1/sources', key, source);
      assert.equal(made.status, 201, made.text);
      const created = await call(target, 'POST', '/v1/onboarding/crm/traits', key, traits);
      assert.equal(created.status, 201, created.text);
    }
    await same('the onboarded trait', 'GET', '/v1/traits/vip');
  });

  await t.test('paging through every profile gives each once, with the same IDs and segments', async () => {
    const everyProfile = async (target: { base: string }, key: string, limit: number) => {
      const all: { uid: string }[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page = await call(target, 'GET', `/v1/profiles?${query}`, key);
        assert.equal(page.status, 200, page.text);
        const body = page.body as { profiles: { uid: string }[]; nextCursor: string | null };
        assert.ok(body.profiles.length === limit || body.nextCursor === null, 'a short page is the last');
        all.push(...body.profiles);
        cursor = body.nextCursor;
      } while (cursor !== null);
      return all.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    };
    const expected = await everyProfile(ref.target, ref.key, 1000);
    assert.equal(expected.length, VISITORS);
    assert.deepEqual(await everyProfile(api1, deployment.apiKey, 37), expected);
    assert.deepEqual(await everyProfile(api2, deployment.apiKey, 1000), expected);
    const bad = await call(api2, 'GET', '/v1/profiles?cursor=not-ours', deployment.apiKey);
    assert.equal(bad.status, 400, bad.text);
  });

  await t.test('bid enrichment by uid and by mobile ID', async () => {
    const enrich = (target: { base: string }, key: string, body: unknown): Promise<Answer> =>
      call(target, 'POST', '/v1/openrtb/enrich?destination=ssp', key, body);
    let sent = 0;
    for (let i = 0; i < VISITORS; i += 5) {
      for (const by of ['uid', 'maid'] as const) {
        if (by === 'maid' && maidOfVisitor(i) === undefined) continue;
        const request = bidRequestFor(i, by);
        const expected = await enrich(ref.target, ref.key, request);
        for (const api of [api1, api2]) {
          const got = await enrich(api, deployment.apiKey, request);
          assert.equal(got.status, expected.status, got.text);
          assert.equal(got.text, expected.text, `enriched bid request of visitor ${i} by ${by}`);
          assert.equal(got.headers.get('x-dmp-outcome'), expected.headers.get('x-dmp-outcome'));
        }
        if ((expected.headers.get('x-dmp-outcome') ?? '').startsWith('sent')) sent++;
      }
    }
    assert.ok(sent > 10, `bid requests got segments (${sent})`);
  });

  await t.test("page targeting for the calling browser's cookie, asked of the collectors", async () => {
    let named = 0;
    for (let i = 0; i < VISITORS; i += 7) {
      const headers = { origin: SHOP, cookie: `dmp_uid=${uidOf(i)}` };
      const path = (site: string) => `/v1/page/targeting?site=${site}&destination=gam`;
      const expected = await call(ref.target, 'GET', path(reference.siteKey), undefined, undefined, headers);
      assert.equal(expected.status, 200, expected.text);
      for (const collector of deployment.collectors) {
        const got = await call(collector, 'GET', path(deployment.siteKey), undefined, undefined, headers);
        assert.equal(got.status, 200, got.text);
        assert.deepEqual(got.body, expected.body, `targeting of ${uidOf(i)}`);
        assert.equal(got.headers.get('access-control-allow-origin'), SHOP);
      }
      if (Object.keys((expected.body as { targeting?: object }).targeting ?? {}).length > 0) named++;
    }
    assert.ok(named > 5, `visitors got key-values (${named})`);
    // a visitor token the site's server asked for (POST /v1/visitor-tokens) names the visitor instead
    const token = async (target: { base: string }, key: string, uid: string): Promise<string> => {
      const issued = await call(target, 'POST', '/v1/visitor-tokens', key, { uid });
      assert.equal(issued.status, 201, issued.text);
      return (issued.body as { token: string }).token;
    };
    for (let i = 3; i < VISITORS; i += 11) {
      const path = (site: string, vt: string) => `/v1/page/targeting?site=${site}&destination=gam&vt=${vt}`;
      const byToken = path(reference.siteKey, await token(ref.target, ref.key, uidOf(i)));
      const expected = await call(ref.target, 'GET', byToken, undefined, undefined, { origin: SHOP });
      const vt = await token(api1, deployment.apiKey, uidOf(i));
      for (const collector of deployment.collectors) {
        const got = await call(collector, 'GET', path(deployment.siteKey, vt), undefined, undefined, {
          origin: SHOP,
        });
        assert.deepEqual(got.body, expected.body, `targeting of ${uidOf(i)} by visitor token`);
      }
    }
    // a token that does not verify is refused alike
    for (const collector of deployment.collectors) {
      const forged = `/v1/page/targeting?site=${deployment.siteKey}&destination=gam&vt=v1.eA.1.y`;
      const refused = await call(collector, 'GET', forged, undefined, undefined, { origin: SHOP });
      assert.equal(refused.status, 401, refused.text);
    }
  });

  await t.test('deletion and opt-outs by uid and by mobile ID reach the visitor on its worker', async () => {
    const maidVisitor = VISITORS - (VISITORS % 3 === 0 ? 3 : VISITORS % 3); // one with a MAID
    const maid = maidOfVisitor(maidVisitor) as string;
    for (const [target, key] of [
      [ref.target, ref.key],
      [api1, deployment.apiKey],
    ] as const) {
      const deleted = await call(target, 'DELETE', `/v1/profiles/${uidOf(1)}`, key);
      assert.ok(deleted.status < 300, deleted.text);
      const byUid = await call(target, 'POST', '/v1/optouts', key, { idType: 'uid', id: uidOf(2) });
      assert.ok(byUid.status < 300, byUid.text);
      assert.equal((byUid.body as { profileDeleted: boolean }).profileDeleted, true, byUid.text);
      const byMaid = await call(target, 'POST', '/v1/optouts', key, { idType: 'maid', id: maid });
      assert.ok(byMaid.status < 300, byMaid.text);
      assert.equal((byMaid.body as { profileDeleted: boolean }).profileDeleted, true, byMaid.text);
    }
    // the audit log says each once, as the embedded server's does (not once per partition asked)
    const privacyLines = async (target: { base: string }, key: string) => {
      const lines: unknown[] = [];
      for (const action of ['privacy.delete', 'privacy.optout']) {
        const page = await call(target, 'GET', `/v1/audit?action=${action}&limit=100`, key);
        assert.equal(page.status, 200, page.text);
        const { entries } = page.body as { entries: { action: string; after?: { removed?: unknown } }[] };
        // a deletion's time and request ID are its own; what it removed, and an opt-out's outcome, are not
        lines.push(...entries.map((e) => [e.action, e.after?.removed ?? e.after]));
      }
      return lines;
    };
    assert.deepEqual(await privacyLines(api2, deployment.apiKey), await privacyLines(ref.target, ref.key));
    await deployment.settled();
    for (const uid of [uidOf(1), uidOf(2), uidOf(maidVisitor)])
      assert.equal((await call(api2, 'GET', `/v1/profiles/${uid}`, deployment.apiKey)).status, 404, uid);
    for (const code of CODES)
      await same(`size of ${code} after deletions`, 'GET', `/v1/segments/${code}/size`);
    // an opted-out visitor's new events are dropped by the collectors as by the embedded server
    const again = eventBatches(VISITORS, Date.now(), 8)
      .flat()
      .filter((e) => e.uid === uidOf(2));
    await postBatch(ref.target, ref.key, again);
    await postBatch(deployment.collectors[1] as { base: string }, deployment.apiKey, again);
    await deployment.settled();
    assert.equal((await call(api1, 'GET', `/v1/profiles/${uidOf(2)}`, deployment.apiKey)).status, 404);
    await same('everyone after an opted-out visitor came back', 'GET', '/v1/segments/everyone/size');
  });
});

/** Retries `check` for up to 20 s until it passes. */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (const deadline = Date.now() + 20_000; ;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
