import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGpp, decodeTcf, TCF_V1_REASON } from '../../src/core/consent/index.ts';
import type { GppConsent, GppResult } from '../../src/core/consent/index.ts';
import { encodeGpp, encodeTc, TCF_V1_STRING } from './consent-fixtures.ts';

function decoded(result: GppResult): GppConsent {
  assert.equal(result.ok, true, result.ok ? '' : result.reason);
  return result;
}

const tc = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755], specialFeatureOptins: [1] });
const notOptedOut = { Notice: 'Y', OptOutSale: 'N', LspaCovered: 'N' };

test('decodeGpp reads the published uspv1 example DBABTA~1YNN', () => {
  assert.deepEqual(decodeGpp('DBABTA~1YNN'), {
    ok: true,
    sectionIds: [6],
    gppSid: [6],
    uspv1: { ok: true, version: 1, notice: 'Y', optOutSale: 'N', lspa: 'N' },
    usStates: [],
  });
});

test('decodeGpp reads a header with no sections (DBAA)', () => {
  assert.deepEqual(decodeGpp('DBAA'), { ok: true, sectionIds: [], gppSid: [], usStates: [] });
});

test('decodeGpp decodes the tcfeuv2 section exactly as the TC string itself', () => {
  const gpp = decoded(decodeGpp(`DBABMA~${tc}`));
  assert.deepEqual(gpp.sectionIds, [2]);
  assert.deepEqual(gpp.tcfeuv2, decodeTcf(tc));
  const encoded = encodeGpp({ tcfeuv2: tc });
  assert.match(encoded, /^DBABMA~/);
  const viaLibrary = decoded(decodeGpp(encoded)).tcfeuv2;
  assert.ok(viaLibrary?.ok);
  assert.deepEqual(viaLibrary.purposeConsents, [1, 3, 4]);
  assert.deepEqual(viaLibrary.vendorConsents, [755]);
  assert.deepEqual(viaLibrary.specialFeatureOptins, [1]);
});

test('decodeGpp reads a usnat section with a sale opt-out, its notices and GPC', () => {
  const encoded = encodeGpp({ usnat: { SaleOptOutNotice: 1, SaleOptOut: 1, SharingNotice: 1, Gpc: true } });
  assert.match(encoded, /^DBABLA~/, 'the published header for [7]');
  const gpp = decoded(decodeGpp(encoded));
  assert.deepEqual(gpp.usnat, {
    ok: true,
    sectionId: 7,
    section: 'usnat',
    saleOptOut: 1,
    sharingOptOut: 0,
    targetedAdvertisingOptOut: 0,
    saleOptOutNotice: 1,
    sharingOptOutNotice: 0,
    targetedAdvertisingOptOutNotice: 0,
    sharingNotice: 1,
    gpc: true,
  });
});

test('decodeGpp reads targeted advertising and sharing opt-outs of usnat and a state section', () => {
  const gpp = decoded(
    decodeGpp(
      encodeGpp({
        usnat: { TargetedAdvertisingOptOut: 1, SharingOptOut: 2, SaleOptOut: 2 },
        usca: { SaleOptOut: 1, SharingOptOut: 1 },
      }),
    ),
  );
  assert.deepEqual(gpp.sectionIds, [7, 8]);
  assert.ok(gpp.usnat?.ok);
  assert.deepEqual(
    [gpp.usnat.saleOptOut, gpp.usnat.sharingOptOut, gpp.usnat.targetedAdvertisingOptOut],
    [2, 2, 1],
  );
  const usca = gpp.usStates[0];
  assert.ok(usca?.ok);
  assert.deepEqual([usca.section, usca.saleOptOut, usca.sharingOptOut], ['usca', 1, 1]);
});

test('decodeGpp decodes only the sections gppSid says apply', () => {
  const encoded = encodeGpp({ tcfeuv2: tc, uspv1: notOptedOut });
  assert.match(encoded, /^DBACNYA~/, 'the published header for [2, 6]');
  const all = decoded(decodeGpp(encoded));
  assert.deepEqual(
    [all.sectionIds, all.gppSid],
    [
      [2, 6],
      [2, 6],
    ],
  );
  assert.ok(all.tcfeuv2?.ok && all.uspv1?.ok);
  const onlyUs = decoded(decodeGpp(encoded, [6]));
  assert.deepEqual([onlyUs.sectionIds, onlyUs.gppSid], [[2, 6], [6]]);
  assert.equal(onlyUs.tcfeuv2, undefined);
  assert.ok(onlyUs.uspv1?.ok);
});

test('decodeGpp keeps a section that does not decode as a failure of that section', () => {
  const usnat = decoded(decodeGpp('DBABLA~xyz')).usnat;
  assert.equal(usnat?.ok, false);
  assert.match(usnat?.ok === false ? usnat.reason : '', /^GPP section usnat \(7\): /);
  const uspv1 = decoded(decodeGpp('DBABTA~2YNN')).uspv1;
  assert.deepEqual(uspv1, {
    ok: false,
    reason: 'GPP section uspv1 (6): US Privacy string version must be 1, not "2"',
  });
  const tcfeuv2 = decoded(decodeGpp(`DBABMA~${TCF_V1_STRING}`)).tcfeuv2;
  assert.deepEqual(tcfeuv2, { ok: false, reason: `GPP section tcfeuv2 (2): ${TCF_V1_REASON}` });
});

const bad: [string, string, RegExp][] = [
  ['empty', '', /empty/],
  ['garbage', 'garbage', /not a GPP string/],
  ['a bare TC string', tc, /not a GPP string/],
  ['a header of another version', 'DCABTA~1YNN', /GPP header is not valid/],
  ['fewer sections than the header lists', 'DBACNYA~1YNN', /lists 2 sections but the string holds 1/],
  ['more sections than the header lists', 'DBABTA~1YNN~1YNN', /lists 1 sections but the string holds 2/],
  ['a blank section', 'DBABLA~', /GPP string is not valid: .*blank/],
  ['characters outside base64url', 'DBABTA~1YNN ', /not a GPP string/],
];
for (const [name, input, reason] of bad) {
  test(`decodeGpp rejects ${name}`, () => {
    const result = decodeGpp(input);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, reason);
  });
}
