import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { pricingTenant } from '../helpers/pricing-tenant.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** An IDFA as iOS gives it (upper case) and as Android tools and many SSPs write it (lower case). */
const IFA = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const IFA_UPPER = IFA.toUpperCase();

test('a device ID finds its visitor whatever case it arrives in; a uid keeps its case', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey, ok } = await pricingTenant(h);
  await ok(
    h.call('POST', '/v1/events', apiKey, [
      { uid: 'c-ios', ids: { maid: IFA }, url: 'https://shop.example.com/pricing' },
    ]),
    202,
  );

  await t.test('lookup by idType=maid, in upper case', async () => {
    const body = await ok(h.call('GET', `/v1/profiles/x/segments?idType=maid&id=${IFA_UPPER}`, apiKey), 200);
    assert.deepEqual(body, { uid: 'c-ios', segments: ['pricing_fans'] });
  });

  await t.test("an SSP's bid request with device.ifa in upper case", async () => {
    await ok(
      h.call('POST', '/v1/destinations', apiKey, {
        kind: 'openrtb',
        code: 'ssp',
        name: 'SSP',
        segments: [{ segment: 'pricing_fans', id: '607' }],
        idType: 'uid',
        consent: { vendorId: 755, purposes: [1, 3, 4] },
        restrictions: [],
        settings: {},
      }),
      201,
    );
    const request = {
      id: 'r',
      imp: [{ id: '1' }],
      app: { bundle: 'com.example' },
      device: { ifa: IFA_UPPER, os: 'iOS' },
    };
    const r = await h.call('POST', '/v1/openrtb/enrich?destination=ssp', apiKey, request);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('x-dmp-outcome') ?? '', /^sent;/);
    assert.deepEqual((r.body as { user: unknown }).user, {
      data: [{ id: 'opendmp', name: 'opendmp.local', segment: [{ id: '607' }] }],
    });
  });

  await t.test(
    'collection with the ID in upper case (and without hyphens) joins the same visitor',
    async () => {
      const compact = IFA_UPPER.replace(/-/g, '');
      await ok(
        h.call('POST', '/v1/events', apiKey, [
          { ids: { maid: compact }, url: 'https://shop.example.com/blog' },
        ]),
        202,
      );
      const path = `/v1/profiles/x?idType=maid&id=${compact}`;
      const profile = (await ok(h.call('GET', path, apiKey), 200)) as {
        uid: string;
        ids: Record<string, string>;
      };
      assert.deepEqual([profile.uid, profile.ids.maid], ['c-ios', IFA]);
    },
  );

  await t.test('onboarding a file of upper-case device IDs', async () => {
    await ok(
      h.call('POST', '/v1/sources', apiKey, { code: 'partner', name: 'Partner', party: 'third' }),
      201,
    );
    await ok(
      h.call('POST', '/v1/onboarding/partner/traits', apiKey, { traits: [{ code: 't1', name: 'T1' }] }),
      201,
    );
    const other = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';
    const csv = `id,traits\n${other.toUpperCase()},t1\n`;
    await ok(
      h.call('POST', '/v1/onboarding/partner?wait=true&idType=maid', apiKey, csv, {
        'content-type': 'text/csv',
      }),
      200,
    );
    await ok(h.call('GET', `/v1/profiles/x?idType=maid&id=${other}`, apiKey), 200);
  });

  await t.test('an opt-out of the upper-case ID refuses it collected in lower case', async () => {
    const optedOut = 'f0e1d2c3-b4a5-4697-8877-665544332211';
    await ok(h.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: optedOut.toUpperCase() }), 201);
    const body = (await ok(
      h.call('POST', '/v1/events', apiKey, [{ uid: 'c-out', ids: { maid: optedOut } }]),
      202,
    )) as {
      accepted: number;
      dropped?: { optOut: number };
    };
    assert.equal(body.accepted, 0);
    assert.equal(body.dropped?.optOut, 1);
  });

  await t.test('an ID its type refuses is refused by events, onboarding and opt-outs alike', async () => {
    const events = (await ok(
      h.call('POST', '/v1/events', apiKey, [
        { uid: 'c-bad-1', ids: { maid: 'not-a-device-id' } },
        { uid: 'c-bad-2', ids: { email_sha256: 'ann@example.com' } },
        { uid: 'c-good', ids: { maid: 'F0E1D2C3B4A54697887766554433AAAA' } },
      ]),
      202,
    )) as { accepted: number; rejected: { index: number; error: string }[] };
    assert.equal(events.accepted, 1, 'the good event of the batch is kept');
    assert.deepEqual(
      events.rejected.map((r) => r.index),
      [0, 1],
    );
    assert.match(events.rejected[0]!.error, /^events\[0\]\.ids\.maid: .*UUID/);
    assert.match(events.rejected[1]!.error, /^events\[1\]\.ids\.email_sha256: .*sha256sum/);
    assert.ok(!JSON.stringify(events).includes('ann@example.com'), 'the address is not repeated');
    await ok(
      h.call('GET', '/v1/profiles/x?idType=maid&id=f0e1d2c3-b4a5-4697-8877-66554433aaaa', apiKey),
      200,
    );

    const csv = 'id,traits\nnot-a-device-id,t1\n';
    const job = (await ok(
      h.call('POST', '/v1/onboarding/partner?wait=true&idType=maid', apiKey, csv, {
        'content-type': 'text/csv',
      }),
      200,
    )) as { rows: { rejected: number }; errors: { row: number; reason: string }[] };
    assert.equal(job.rows.rejected, 1);
    assert.deepEqual(
      job.errors.map((e) => [e.row, e.reason]),
      [[2, 'id_not_of_type']],
    );

    const out = await h.call('POST', '/v1/optouts', apiKey, {
      idType: 'email_sha256',
      id: 'ann@example.com',
    });
    assert.equal(out.status, 400, JSON.stringify(out.body));
    assert.equal((out.body as { code: string }).code, 'invalid_id');
    assert.ok(!JSON.stringify(out.body).includes('ann@example.com'));
  });

  await t.test('first-party uids stay case-sensitive', async () => {
    await ok(h.call('POST', '/v1/events', apiKey, [{ uid: 'Case-UID' }, { uid: 'case-uid' }]), 202);
    const upper = (await ok(h.call('GET', '/v1/profiles/Case-UID', apiKey), 200)) as { uid: string };
    const lower = (await ok(h.call('GET', '/v1/profiles/case-uid', apiKey), 200)) as { uid: string };
    assert.notEqual(upper.uid, lower.uid);
  });
});
