import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readCookieSyncRequest } from './cookie-sync-request.ts';

const TC = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';

function error(body: unknown): string {
  const read = readCookieSyncRequest(body, false);
  assert.equal(read.ok, false, 'expected an error');
  return (read as { error: string }).error;
}

void describe('readCookieSyncRequest', () => {
  void it('reads the documented body into bidders, consent and limit', () => {
    const body = {
      bidders: ['ssp_a'],
      gdpr: 1,
      gdpr_consent: TC,
      us_privacy: '1YNN',
      gpp: 'DBABTA~1YNN',
      gpp_sid: '2,6',
      limit: 3,
    };
    assert.deepEqual(readCookieSyncRequest(body, true), {
      ok: true,
      request: {
        bidders: ['ssp_a'],
        consent: { gdpr: 1, tcf: TC, usp: '1YNN', gpp: 'DBABTA~1YNN', gppSid: [2, 6], gpc: true },
        limit: 3,
      },
    });
  });

  void it('reads an empty body as every bidder, no consent, no limit; ignores fields Prebid.js adds', () => {
    assert.deepEqual(readCookieSyncRequest(undefined, false), { ok: true, request: { consent: {} } });
    assert.deepEqual(
      readCookieSyncRequest({ account: 'a', coopSync: true, limit: 0, gdpr_consent: '' }, false),
      {
        ok: true,
        request: { consent: {} },
      },
    );
    assert.deepEqual(readCookieSyncRequest({ gpp_sid: [7] }, false), {
      ok: true,
      request: { consent: { gppSid: [7] } },
    });
  });

  void it('refuses gdpr 1 without a TC string, as Prebid Server; a GPP string with section 2 is one', () => {
    assert.match(error({ gdpr: 1 }), /gdpr_consent: is required when gdpr is 1/);
    assert.equal(readCookieSyncRequest({ gdpr: 1, gpp: 'DBA~x', gpp_sid: '2' }, false).ok, true);
  });

  void it('refuses malformed fields, naming them', () => {
    assert.match(error([]), /must be a JSON object/);
    assert.match(error({ bidders: 'ssp_a' }), /^bidders: must be an array/);
    assert.match(error({ bidders: [1] }), /^bidders: must be an array/);
    assert.match(error({ bidders: Array.from({ length: 257 }, (_, i) => `b${i}`) }), /at most 256/);
    assert.match(error({ gdpr: 2 }), /^gdpr: must be 0 or 1/);
    assert.match(error({ gdpr: '1' }), /^gdpr: must be 0 or 1/);
    assert.match(error({ us_privacy: 1 }), /^us_privacy: must be a string/);
    assert.match(error({ gpp: 'x'.repeat(8193) }), /^gpp: is 8193 characters long/);
    assert.match(error({ gpp_sid: '2,x' }), /^gpp_sid: must be GPP section IDs/);
    assert.match(error({ gpp_sid: '1,'.repeat(101) + '1' }), /at most 100|must be GPP/);
    assert.match(error({ limit: 1.5 }), /^limit: must be a whole number/);
  });

  void it('never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (body, gpc) => {
        const read = readCookieSyncRequest(body, gpc);
        if (read.ok) assert.equal(read.request.consent.gpc === true, gpc);
      }),
    );
  });
});
