import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, manualClock } from '../../src/core/clock.ts';
import type { FunnelReport } from '../../src/core/activation/index.ts';
import type { World } from '../helpers/activation-world.ts';
import {
  fileDestination,
  ok,
  runViaApi,
  seedRules,
  startWorld,
  step,
  visit,
} from '../helpers/activation-world.ts';

/**
 * ID lifetimes (issue 15, point 1): a partner's ID lives `idLifetimeDays` from when it was last learnt
 * (the tenant's `idLifetimeDays` setting overrides the partner's). Past it, the ID no longer finds the
 * visitor in bid enrichment, is not exported, and does not count in the match rate; a lookup still finds
 * the visitor by it (privacy requests must reach everything kept), and a new sync revives it.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const VISITOR = 'c-life-1';

function setUid(w: World, uid: string): Promise<Response> {
  return fetch(`${w.base}/setuid?site=${w.siteKey}&bidder=ssp_a&uid=${uid}&gdpr=0&f=b`, {
    headers: { cookie: `dmp_uid=${VISITOR}` },
  });
}

test('a partner ID past its lifetime is not used for enrichment, exports or match rates, until learnt again', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  await seedRules(w); // the trait "pricing" and its segment pricing_fans (607)
  ok(
    await w.call('POST', '/v1/partners', {
      code: 'ssp_a',
      name: 'SSP A',
      type: 'redirect',
      vendorId: 755,
      resyncDays: 7,
      idLifetimeDays: 30,
      syncUrl: 'https://ssp-a.example/sync?redir=${REDIRECT}',
    }),
  );
  ok(
    await w.call('POST', '/v1/destinations', {
      kind: 'openrtb',
      code: 'ssp-a-rtb',
      name: 'SSP A bids',
      segments: [{ segment: 'pricing_fans', id: '607' }],
      idType: 'ssp_a',
      consent: { vendorId: 755, purposes: [1, 3, 4] },
      restrictions: [],
      settings: {},
    }),
  );
  ok(await w.call('POST', '/v1/destinations', fileDestination('ssp-a-file', 'csv', 10, 'ssp_a')));
  assert.equal(await w.post([visit(VISITOR, '/pricing')]), 202);
  assert.equal((await setUid(w, 'A-1')).status, 200);

  const enriched = async (): Promise<boolean> => {
    const answer = await w.call('POST', '/v1/openrtb/enrich?destination=ssp-a-rtb', {
      id: 'r1',
      imp: [{ id: '1', banner: { w: 300, h: 250 } }],
      user: { buyeruid: 'A-1' },
      regs: { ext: { gdpr: 0 } },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const data = (answer.body as { user?: { data?: { id: string }[] } }).user?.data ?? [];
    return data.some((d) => d.id === 'opendmp');
  };
  const matched = async (): Promise<number> => {
    const answer = await w.call('GET', '/v1/partners/ssp_a/match-rate');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return (answer.body as { matched: number }).matched;
  };
  let runs = 0;
  const exportFunnel = async (): Promise<FunnelReport> => {
    const run = await runViaApi(w, 'ssp-a-file', { mode: 'full', runId: `r${++runs}` });
    assert.equal(run.status, 'succeeded', JSON.stringify(run.report));
    return (run.report as { funnel: FunnelReport }).funnel;
  };

  // alive: found by its buyeruid, matched, exported
  clock.advance(29 * DAY_MS);
  assert.equal(await enriched(), true, 'found by the partner ID within its lifetime');
  assert.equal(await matched(), 1);
  assert.equal(step(await exportFunnel(), 'hasId').count, 1);

  // 31 days after the sync (the visitor came back: still in the segment), the ID has expired
  clock.advance(2 * DAY_MS);
  assert.equal(await w.post([visit(VISITOR, '/pricing')]), 202);
  assert.equal(await enriched(), false, 'an expired partner ID finds no visitor');
  assert.equal(await matched(), 0, 'and is not matched');
  const funnel = await exportFunnel();
  assert.equal(step(funnel, 'hasId').count, 0);
  assert.deepEqual(step(funnel, 'hasId').reasons, [{ reason: 'no ssp_a ID for ssp-a-file', count: 1 }]);
  const lookup = await w.call('GET', '/v1/profiles/x?idType=ssp_a&id=A-1');
  assert.equal(lookup.status, 200, 'a lookup still finds the visitor by an expired ID');

  // the tenant's setting overrides the partner's lifetime
  ok(await w.call('PUT', '/v1/identity/settings', { idLifetimeDays: { ssp_a: 60 } }));
  assert.equal(await enriched(), true, 'alive again under the 60 days the tenant set');
  assert.equal(await matched(), 1);
  ok(await w.call('PUT', '/v1/identity/settings', {}));
  assert.equal(await enriched(), false);

  // a new sync learns the ID again: alive for another 30 days
  assert.equal((await setUid(w, 'A-1')).status, 200);
  assert.equal(await enriched(), true, 'learnt again by a new sync');
  assert.equal(await matched(), 1);
});
