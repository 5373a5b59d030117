import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTcf, TCF_V1_REASON } from '../../src/core/consent/index.ts';
import type { TcfConsent, TcfResult } from '../../src/core/consent/index.ts';
import {
  ALL_PURPOSES,
  encodeTc,
  TCF_V1_STRING,
  TCF_V20_REJECT_ALL,
  TCF_V20_SPEC_EXAMPLE,
} from './consent-fixtures.ts';

function decoded(result: TcfResult): TcfConsent {
  assert.equal(result.ok, true, result.ok ? '' : result.reason);
  return result;
}

test('decodeTcf reads every field of a TCF v2.2 string encoded against the real GVL', () => {
  const tcf = decoded(
    decodeTcf(
      encodeTc({
        purposeConsents: [1, 3, 4],
        purposeLegitimateInterests: [2, 7],
        vendorConsents: [2, 755, 1, 284],
        vendorLegitimateInterests: [755],
        specialFeatureOptins: [1],
        restrictions: [
          { vendor: 755, purpose: 2, type: 1 },
          { vendor: 1, purpose: 7, type: 0 },
        ],
      }),
    ),
  );
  assert.deepEqual(
    { ...tcf, vendorConsents: tcf.vendorConsents },
    {
      ok: true,
      version: 2,
      cmpId: 10,
      cmpVersion: 3,
      vendorListVersion: 7,
      policyVersion: 4,
      created: Date.UTC(2024, 0, 15),
      lastUpdated: Date.UTC(2024, 0, 16),
      purposeConsents: [1, 3, 4],
      purposeLegitimateInterests: [2, 7],
      vendorConsents: [1, 2, 284, 755],
      vendorLegitimateInterests: [755],
      specialFeatureOptins: [1],
      publisherRestrictions: [
        { purpose: 2, type: 1, vendors: [755] },
        { purpose: 7, type: 0, vendors: [1] },
      ],
      isServiceSpecific: true,
      purposeOneTreatment: false,
      publisherCountryCode: 'FR',
    },
  );
});

test('decodeTcf keeps full consent: all 11 purposes and every consenting vendor', () => {
  const tcf = decoded(
    decodeTcf(encodeTc({ purposeConsents: ALL_PURPOSES, vendorConsents: [1, 2, 755, 1218] })),
  );
  assert.deepEqual(tcf.purposeConsents, ALL_PURPOSES);
  assert.deepEqual(tcf.vendorConsents, [1, 2, 755, 1218]);
});

test('decodeTcf reads the TCF v2 spec example and a reject-all string made by another CMP', () => {
  const spec = decoded(decodeTcf(TCF_V20_SPEC_EXAMPLE));
  assert.deepEqual(
    [spec.cmpId, spec.vendorListVersion, spec.policyVersion, spec.isServiceSpecific],
    [27, 15, 2, false],
  );
  assert.deepEqual(spec.purposeConsents, [1, 2, 3]);
  assert.deepEqual(spec.vendorConsents, [2, 6, 8]);
  assert.equal(new Date(spec.created).toISOString(), '2020-02-20T23:57:39.300Z');
  const reject = decoded(decodeTcf(TCF_V20_REJECT_ALL));
  assert.deepEqual([reject.cmpId, reject.vendorListVersion, reject.publisherCountryCode], [31, 126, 'DE']);
  assert.deepEqual(
    [reject.purposeConsents, reject.vendorConsents, reject.purposeLegitimateInterests],
    [[], [], []],
  );
});

test('decodeTcf rejects a v1 string with the reason the CMP must act on', () => {
  assert.deepEqual(decodeTcf(TCF_V1_STRING), { ok: false, reason: TCF_V1_REASON });
  assert.match(TCF_V1_REASON, /TCF v1 strings are not supported; the CMP must send TCF v2\.2/);
});

const bad: [string, string, RegExp][] = [
  ['empty', '', /empty/],
  ['not base64url', 'CQ+/==', /characters outside base64url/],
  ['another version (3 is GPP)', 'DBABTA', /not a TCF v2 string/],
  ['garbage', 'garbage', /not a TCF v2 string/],
  ['a v2 prefix only', 'C', /not valid/],
  ['a truncated core segment', 'CQuci4AQuci4AAKABAENAH', /not valid/],
  ['a bare segment marker', 'C.', /not valid/],
  ['too long', `C${'A'.repeat(40_000)}`, /longer than/],
];
for (const [name, input, reason] of bad) {
  test(`decodeTcf rejects ${name} with a reason`, () => {
    const result = decodeTcf(input);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, reason);
  });
}
