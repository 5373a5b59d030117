import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import type { LogRecord } from '../../src/log/event-log.ts';
import { encodeGpp, encodeTc } from '../consent/consent-fixtures.ts';
import type { ManualClock, World } from '../helpers/activation-world.ts';
import { WITHOUT_VENDOR, WITH_VENDOR, startWorld, visit } from '../helpers/activation-world.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { VISITOR, granted, pixel, probe, refused, setUpDestinations } from '../helpers/consent-probe.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const REJECT_ALL = encodeTc({ purposeConsents: [], vendorConsents: [] });
const NO_PURPOSE_1 = encodeTc({ purposeConsents: [3, 4], vendorConsents: [755] });

/** The ways a browser withdraws, each as the request that carries it. */
const withdrawals: [name: string, send: (w: World) => Promise<void>][] = [
  [
    'a TC string without purpose 1 (the event is not stored)',
    (w) => pixel(w, `&gdpr=1&gdpr_consent=${NO_PURPOSE_1}`),
  ],
  ['a TC string without the vendor', (w) => pixel(w, `&gdpr=1&gdpr_consent=${WITHOUT_VENDOR}`)],
  ['a US Privacy opt-out (1YYN)', (w) => pixel(w, '&us_privacy=1YYN')],
  [
    'a GPP usnat opt-out',
    (w) => pixel(w, `&gpp=${encodeGpp({ usnat: { SaleOptOut: 1, SaleOptOutNotice: 1 } })}&gpp_sid=7`),
  ],
  ['Sec-GPC: 1 alone, on the pixel', (w) => pixel(w, '', { 'sec-gpc': '1' })],
  [
    'Sec-GPC: 1 on POST /v1/events with the site key',
    async (w) => {
      const answer = await fetch(`${w.base}/v1/events?site=${w.siteKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sec-gpc': '1' },
        body: JSON.stringify({ uid: VISITOR, url: 'https://shop.example.com/pricing' }),
      });
      assert.equal(answer.status, 202);
    },
  ],
  [
    'Sec-GPC: 1 with a reject-all TC string (the event is not stored)',
    (w) => pixel(w, `&gdpr=1&gdpr_consent=${REJECT_ALL}`, { 'sec-gpc': '1' }),
  ],
];

/** Stops the program, keeping its folder; `fresh` also drops the snapshots, so the whole log is replayed. */
async function restart(w: World, clock: ManualClock, fresh: boolean): Promise<World> {
  await w.partner.close();
  await w.app.close();
  if (fresh) await rm(join(w.dataDir, 'snapshots'), { recursive: true, force: true });
  const again = await startWorld(clock, w.dataDir);
  if (fresh) assert.equal(again.app.startup.used, undefined, 'no snapshot: the log was replayed');
  else assert.ok(again.app.startup.used !== undefined, 'restored from the snapshot of the clean stop');
  return again;
}

for (const [name, send] of withdrawals) {
  test(`consent is state: ${name} stops every activation path until a new grant, across restarts`, async (t) => {
    const clock = manualClock(NOW);
    let w = await startWorld(clock);
    const dataDir = w.dataDir;
    t.after(async () => {
      await w.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    await setUpDestinations(w);
    assert.equal(await w.post([visit(VISITOR, '/pricing')]), 202);
    assert.deepEqual(await probe(w), granted(false), 'granted: enriched, targeted and exported');

    clock.advance(60_000);
    await send(w);
    assert.deepEqual(await probe(w), refused(true), 'withdrawn: nothing, and removed in the next delta');

    w = await restart(w, clock, false);
    assert.deepEqual(await probe(w), refused(false), 'still withdrawn after a restart from the snapshot');
    w = await restart(w, clock, true);
    assert.deepEqual(await probe(w), refused(false), 'still withdrawn after a replay of the whole log');

    clock.advance(60_000);
    await pixel(w, `&gdpr=1&gdpr_consent=${WITH_VENDOR}`);
    assert.deepEqual(await probe(w), granted(false), 'a new grant restores it, and it is sent again');
  });
}

test('the newest signal by event time wins, whatever the order it arrives in', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await setUpDestinations(w);
  const at = (minutes: number) => new Date(NOW - 60 * 60_000 + minutes * 60_000).toISOString();
  const signal = (minutes: number, tcf: string) => ({
    ...(visit(VISITOR, '/pricing', { tcf }) as object),
    ts: at(minutes),
  });
  assert.equal(await w.post([signal(20, WITH_VENDOR)]), 202);
  assert.equal(await w.post([signal(10, NO_PURPOSE_1)]), 202, 'an older refusal, arriving late');
  assert.deepEqual(await probe(w), granted(false), 'an older refusal does not undo a newer grant');
  assert.equal(await w.post([signal(30, NO_PURPOSE_1)]), 202);
  assert.deepEqual(await probe(w), refused(true), 'a newer refusal wins');
  assert.equal(await w.post([signal(25, WITH_VENDOR)]), 202, 'an older grant, arriving late');
  assert.deepEqual(await probe(w), refused(false), 'an older grant does not undo a newer refusal');
});

test('a refusal is kept with nothing but IDs the DMP holds, time and consent; a stranger leaves nothing; deletion erases it', async (t) => {
  const clock = manualClock(NOW);
  const w = await startWorld(clock);
  t.after(() => w.close());
  await setUpDestinations(w);
  assert.equal(await w.post([visit(VISITOR, '/pricing', { maid: maidOf('m-1') })]), 202);
  const refusal = {
    uid: 'c-new-cookie',
    ids: { maid: maidOf('m-1'), idfv: maidOf('never-seen') },
    url: 'https://shop.example.com/pricing?secret=1',
    ip: '81.2.69.160',
    ua: 'Mozilla/5.0',
    signals: { plan: 'gold' },
    consent: { gdpr: 1, tcf: NO_PURPOSE_1 },
  };
  const STRANGER_MAID = maidOf('m-stranger');
  const stranger = { ...refusal, uid: 'stranger', ids: { maid: STRANGER_MAID } };
  clock.advance(1000);
  const answer = await w.call('POST', '/v1/events', [refusal, stranger]);
  assert.deepEqual(answer.body, { accepted: 0, rejected: [], dropped: { consent: 2, optOut: 0 } });

  const records: LogRecord[] = [];
  await w.app.log.replay(1, (_seq, record) => records.push(record));
  const kept = records.filter((r) => r.kind === 'consent');
  assert.deepEqual(kept, [
    {
      kind: 'consent',
      tenant: w.tenant,
      uid: '',
      ids: { maid: maidOf('m-1') },
      ts: NOW + 1000,
      consent: { gdpr: 1, tcf: NO_PURPOSE_1 },
    },
  ]);
  assert.ok(
    !JSON.stringify(records).includes('stranger') && !JSON.stringify(records).includes(STRANGER_MAID),
    'a stranger who refuses leaves no record',
  );
  assert.equal((await w.call('GET', '/v1/profiles/stranger')).status, 404);
  assert.equal((await w.call('GET', '/v1/profiles/c-new-cookie')).status, 404, 'no ID attached');
  const profile = (await w.call('GET', `/v1/profiles/${VISITOR}`)).body as {
    consent: unknown;
    attributes: { visits: number; pageviews: number };
  };
  assert.deepEqual(profile.consent, { gdpr: 1, tcf: NO_PURPOSE_1 });
  assert.deepEqual(
    [profile.attributes.visits, profile.attributes.pageviews],
    [1, 1],
    'no visit or page view',
  );

  const deleted = await w.call('DELETE', `/v1/profiles/${VISITOR}`);
  assert.ok(deleted.status < 300, JSON.stringify(deleted.body));
  const left: LogRecord[] = [];
  await w.app.log.replay(1, (_seq, record) => left.push(record));
  assert.ok(!left.some((r) => r.kind === 'consent'), 'the deletion erased the consent record');
});

test('Sec-GPC: 1 on page targeting is a US opt-out even with no other consent parameter', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  await setUpDestinations(w);
  assert.equal(await w.post([visit(VISITOR, '/pricing')]), 202);
  const page = async (headers: Record<string, string>) => {
    const answer = await fetch(`${w.base}/v1/page/targeting?site=${w.siteKey}&destination=gam`, {
      headers: { cookie: `dmp_uid=${VISITOR}`, ...headers },
    });
    return ((await answer.json()) as { targeting: unknown }).targeting;
  };
  assert.deepEqual(await page({}), { dmp: ['607'] });
  assert.deepEqual(await page({ 'sec-gpc': '1' }), {});
  assert.deepEqual(await page({ 'sec-gpc': '0' }), { dmp: ['607'] });
});
