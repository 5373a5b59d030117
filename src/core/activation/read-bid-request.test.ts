import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTc } from '../../../test/consent/consent-fixtures.ts';
import { bidRequest25, bidRequest26 } from './bid-request-fixtures.ts';
import { readBidRequest } from './read-bid-request.ts';

const tc = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });

void describe('readBidRequest', () => {
  void it('reads a 2.5 request: consent and eids in ext', () => {
    const request = bidRequest25(tc);
    const read = readBidRequest(request);
    assert.ok(read.ok);
    assert.equal(read.version, '2.5');
    assert.equal(read.request, request);
    assert.deepEqual(read.visitorIds, {
      uid: 'exch-7f3a9',
      buyeruid: 'c-123',
      eids: [
        { source: 'pubcid.org', id: 'a2b4c6d8-1111-2222-3333-444455556666' },
        { source: 'id5-sync.com', id: 'ID5*Zm9vYmFy' },
      ],
    });
    assert.deepEqual(read.consent, { gdpr: 1, tcf: tc, usp: '1---' });
  });

  void it('reads a 2.6 request: consent, eids, GPP top-level, and the device IFA', () => {
    const read = readBidRequest(bidRequest26(tc));
    assert.ok(read.ok);
    assert.equal(read.version, '2.6');
    assert.deepEqual(read.visitorIds, {
      eids: [{ source: 'liveramp.com', id: 'XY1000bIVBVah9ium-sZ3ykhPiXQbEcUpn4GjCtxrrw2BRDGM' }],
      ifa: '6d92078a-8246-4ba4-ae5b-76104861e7dc',
    });
    assert.deepEqual(read.consent, { gdpr: 1, tcf: tc, usp: '1YNN', gpp: 'DBABTA~1YNN', gppSid: [6] });
  });

  void it('prefers the 2.6 top-level fields, merges eids, and reads Prebid GPC', () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [
        'top-level wins',
        {
          user: { consent: 'TOP', ext: { consent: 'EXT' } },
          regs: { gdpr: 0, us_privacy: '1YYN', ext: { gdpr: 1, us_privacy: '1NNN' } },
        },
        { consent: { gdpr: 0, tcf: 'TOP', usp: '1YYN' }, version: '2.6' },
      ],
      [
        'empty strings are absent',
        { user: { consent: '' }, regs: { ext: { gdpr: 0 } } },
        { consent: { gdpr: 0 }, version: '2.6' },
      ],
      ['gpc from regs.ext', { regs: { ext: { gpc: '1' } } }, { consent: { gpc: true }, version: '2.5' }],
      ['nothing', {}, { consent: {}, version: '2.5' }],
      ['schain top-level is 2.6', { source: { schain: { ver: '1.0' } } }, { consent: {}, version: '2.6' }],
    ];
    for (const [name, change, expected] of cases) {
      const read = readBidRequest({ id: 'r', imp: [{ id: '1' }], ...change });
      assert.ok(read.ok, name);
      assert.deepEqual({ consent: read.consent, version: read.version }, expected, name);
    }
    const both = readBidRequest({
      id: 'r',
      imp: [{}],
      user: {
        eids: [{ source: 'a.com', uids: [{ id: '1' }, { id: '2' }] }],
        ext: {
          eids: [
            { source: 'a.com', uids: [{ id: '2' }] },
            { source: 'b.com', uids: [{ id: '3' }] },
          ],
        },
      },
    });
    assert.ok(both.ok);
    assert.deepEqual(both.visitorIds.eids, [
      { source: 'a.com', id: '1' },
      { source: 'a.com', id: '2' },
      { source: 'b.com', id: '3' },
    ]);
  });

  void it('treats the all-zero IFA of limited ad tracking as no IFA', () => {
    const read = readBidRequest({
      id: 'r',
      imp: [{}],
      device: { ifa: '00000000-0000-0000-0000-000000000000', lmt: 1 },
    });
    assert.ok(read.ok);
    assert.deepEqual(read.visitorIds, { eids: [] });
  });

  void it('says what is wrong, never throws', () => {
    const cases: [unknown, string][] = [
      ['{}', 'a bid request must be a JSON object'],
      [{ imp: [{}] }, 'id must be a non-empty string'],
      [{ id: 'r', imp: [] }, 'imp must be a non-empty array'],
      [{ id: 'r', imp: [{}], user: 'u' }, 'user must be an object'],
      [{ id: 'r', imp: [{}], user: { data: {} } }, 'user.data must be an array'],
      [{ id: 'r', imp: [{}], user: { id: 7 } }, 'user.id must be a string'],
      [{ id: 'r', imp: [{}], user: { ext: { consent: 1 } } }, 'user.ext.consent must be a string'],
      [{ id: 'r', imp: [{}], regs: { gdpr: '1' } }, 'regs.gdpr must be 0 or 1'],
      [{ id: 'r', imp: [{}], regs: { ext: { gdpr: 2 } } }, 'regs.ext.gdpr must be 0 or 1'],
      [{ id: 'r', imp: [{}], regs: { gpp_sid: ['7'] } }, 'regs.gpp_sid must be an array of integers'],
      [{ id: 'r', imp: [{}], device: { ifa: 12 } }, 'device.ifa must be a string'],
    ];
    for (const [json, reason] of cases) assert.deepEqual(readBidRequest(json), { ok: false, reason });
  });

  void it('skips and counts malformed eids and user.data entries, as Prebid Server does', () => {
    const cases: [string, Record<string, unknown>, { source: string; id: string }[], number, number][] = [
      ['eids not an array', { eids: {} }, [], 1, 0],
      ['an eid without source', { ext: { eids: [{ uids: [{ id: 'A' }] }] } }, [], 1, 0],
      ['uids missing', { eids: [{ source: 'a.com' }] }, [], 1, 0],
      [
        'a uid id that is a number: the uid, then its eid',
        { eids: [{ source: 'a', uids: [{ id: 1 }] }] },
        [],
        2,
        0,
      ],
      [
        'the good entries beside are kept',
        { eids: [7, { source: 'a.com', uids: [null, { id: 'x' }] }] },
        [{ source: 'a.com', id: 'x' }],
        2,
        0,
      ],
      [
        'malformed data entries',
        { data: [{ id: 'p', segment: [{ id: '1' }] }, 42, { segment: 'a' }, { name: 3 }] },
        [],
        0,
        3,
      ],
    ];
    for (const [name, user, eids, skippedEids, skippedData] of cases) {
      const read = readBidRequest({ id: 'r', imp: [{}], user });
      assert.ok(read.ok, name);
      assert.deepEqual(read.visitorIds.eids, eids, name);
      assert.deepEqual(read.skipped, { eids: skippedEids, data: skippedData }, name);
      assert.equal(read.request.user, user, `${name}: the request is left as it came`);
    }
  });

  void it('reads device.ifa in the form it is kept, and eids of atype 2 as device IDs', () => {
    const read = readBidRequest({
      id: 'r',
      imp: [{}],
      device: { ifa: '6D92078A-8246-4BA4-AE5B-76104861E7DC' },
      user: { eids: [{ source: 'app.example', uids: [{ id: 'AB12', atype: 2 }] }] },
    });
    assert.ok(read.ok);
    assert.equal(read.visitorIds.ifa, '6d92078a-8246-4ba4-ae5b-76104861e7dc');
    assert.deepEqual(read.visitorIds.eids, [{ source: 'app.example', id: 'AB12', device: true }]);
  });
});
