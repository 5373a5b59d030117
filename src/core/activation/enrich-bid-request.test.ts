import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTc } from '../../../test/consent/consent-fixtures.ts';
import { bidRequest25, bidRequest26 } from './bid-request-fixtures.ts';
import { enrichBidRequest, userDataEntry } from './enrich-bid-request.ts';
import type { BidRequest } from './read-bid-request.ts';

const tc = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
const entry = userDataEntry('dmp.example.com', ['607', '243'], 4);

/** The request without `user.data` (and without `user` when nothing else was in it). */
function withoutUserData(request: BidRequest): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(request);
  const user = copy.user as Record<string, unknown> | undefined;
  if (user !== undefined) {
    delete user.data;
    if (Object.keys(user).length === 0) delete copy.user;
  }
  return copy;
}

void describe('userDataEntry', () => {
  void it('builds the Data object of docs/api.md, with ext only for a segtax', () => {
    assert.deepEqual(entry, {
      id: 'opendmp',
      name: 'dmp.example.com',
      segment: [{ id: '607' }, { id: '243' }],
      ext: { segtax: 4 },
    });
    assert.deepEqual(userDataEntry('dmp.example.com', ['ttd-1']), {
      id: 'opendmp',
      name: 'dmp.example.com',
      segment: [{ id: 'ttd-1' }],
    });
    assert.equal('ext' in userDataEntry('h', []), false);
  });
});

void describe('enrichBidRequest', () => {
  const cases: [string, BidRequest, unknown[]][] = [
    ['2.5 with no user.data', bidRequest25(tc), []],
    [
      '2.6 with a publisher entry',
      bidRequest26(tc),
      [{ id: 'pub-data', name: 'news.example.fr', segment: [{ id: 'sport' }] }],
    ],
    ['no user at all', { id: 'r', imp: [{ id: '1' }], site: { page: 'https://a.example/' } }, []],
    ['empty user', { id: 'r', imp: [{ id: '1' }], user: {} }, []],
  ];
  for (const [name, request, before] of cases) {
    void it(`appends one entry to user.data and changes nothing else: ${name}`, () => {
      const original = structuredClone(request);
      const enriched = enrichBidRequest(request, entry);
      assert.deepEqual(enriched.user?.data, [...before, entry]);
      assert.deepEqual(withoutUserData(enriched), withoutUserData(original));
      assert.deepEqual(request, original, 'the request given is not touched');
      assert.notEqual(enriched.imp, request.imp, 'a deep copy');
      assert.deepEqual(JSON.parse(JSON.stringify(enriched)), enriched, 'still plain JSON');
    });
  }

  void it('keeps a copy of the entry, not the entry itself', () => {
    const enriched = enrichBidRequest({ id: 'r', imp: [{}] }, entry);
    assert.notEqual(enriched.user?.data?.[0], entry);
  });
});
