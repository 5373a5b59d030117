import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consent } from '../../src/core/event.ts';
import {
  decodeConsent,
  geoPrecision,
  mayPersonaliseAds,
  mayStore,
  usOptOut,
} from '../../src/core/consent/index.ts';
import type { ConsentDecision, ConsentState } from '../../src/core/consent/index.ts';
import {
  ALL_PURPOSES,
  encodeGpp,
  encodeTc,
  TCF_V1_STRING,
  TCF_V20_REJECT_ALL,
  TCF_V20_SPEC_EXAMPLE,
} from './consent-fixtures.ts';

/** [case, consent as received, allowed, the reason's gist] */
type Case = [string, Consent, boolean, RegExp];

function table(name: string, decide: (state: ConsentState) => ConsentDecision, cases: Case[]): void {
  for (const [label, consent, allowed, reason] of cases) {
    test(`${name}: ${label}`, () => {
      const decision = decide(decodeConsent(consent));
      assert.equal(decision.allowed, allowed, decision.reason);
      assert.match(decision.reason, reason);
    });
  }
}

const full = encodeTc({ purposeConsents: ALL_PURPOSES, vendorConsents: [755], specialFeatureOptins: [1] });
const storeOnly = encodeTc({ purposeConsents: [1, 2], vendorConsents: [755] });
const noPurposeOne = encodeTc({ purposeConsents: [2, 3, 4], vendorConsents: [755] });
const adsOnly3 = encodeTc({ purposeConsents: [1, 3], vendorConsents: [755] });
const liFor3And4V22 = encodeTc({ purposeConsents: [1], purposeLegitimateInterests: [3, 4] });
const liFor3And4V20 = encodeTc({
  purposeConsents: [1],
  purposeLegitimateInterests: [3, 4],
  policyVersion: 2,
});
const sfOff = encodeTc({ purposeConsents: ALL_PURPOSES, specialFeatureOptins: [2] });
const usnatSale = encodeGpp({ usnat: { SaleOptOutNotice: 1, SaleOptOut: 1 } });
const usnatTargeted = encodeGpp({ usnat: { TargetedAdvertisingOptOut: 1, SaleOptOut: 2 } });
const usnatSharing = encodeGpp({ usnat: { SharingOptOut: 1, SaleOptOut: 2 } });
const usnatNone = encodeGpp({ usnat: { SaleOptOut: 2, SharingOptOut: 2, TargetedAdvertisingOptOut: 2 } });
const uscaSale = encodeGpp({ usca: { SaleOptOut: 1 } });
const uspv1Sale = encodeGpp({ uspv1: { Notice: 'Y', OptOutSale: 'Y', LspaCovered: 'N' } });
const tcfInGpp = encodeGpp({ tcfeuv2: full });

table('mayStore', mayStore, [
  ['GDPR with purpose 1 consent', { gdpr: 1, tcf: storeOnly }, true, /purpose 1 .* has consent/],
  ['GDPR with full consent', { gdpr: 1, tcf: full }, true, /purpose 1/],
  ['GDPR without purpose 1 consent', { gdpr: 1, tcf: noPurposeOne }, false, /purpose 1 .* has no consent/],
  ['GDPR with no string', { gdpr: 1 }, false, /no TCF string/],
  [
    'GDPR with a v1 string',
    { gdpr: 1, tcf: TCF_V1_STRING },
    false,
    /invalid: TCF v1 strings are not supported/,
  ],
  ['GDPR with garbage', { gdpr: 1, tcf: 'garbage' }, false, /invalid/],
  ['GDPR with a reject-all string of another CMP', { gdpr: 1, tcf: TCF_V20_REJECT_ALL }, false, /no consent/],
  ['GDPR with the TCF v2 spec example', { gdpr: 1, tcf: TCF_V20_SPEC_EXAMPLE }, true, /has consent/],
  ['GDPR with purpose 1 in the GPP TCF section', { gdpr: 1, gpp: tcfInGpp }, true, /has consent/],
  ['no GDPR', { gdpr: 0 }, true, /GDPR does not apply/],
  [
    'no GDPR, US sale opt-out (does not forbid storing)',
    { usp: '1YYN', gpc: true },
    true,
    /US opt-outs do not forbid/,
  ],
]);

table('mayPersonaliseAds', mayPersonaliseAds, [
  ['GDPR with full consent', { gdpr: 1, tcf: full }, true, /purposes 3 and 4 .* granted/],
  ['GDPR with purpose 1 but not 3 and 4', { gdpr: 1, tcf: storeOnly }, false, /purpose 3 .* has no consent/],
  ['GDPR with purpose 3 but not 4', { gdpr: 1, tcf: adsOnly3 }, false, /purpose 4 .* has no consent/],
  [
    'TCF v2.2: legitimate interest for 3 and 4 does not count',
    { gdpr: 1, tcf: liFor3And4V22 },
    false,
    /policy version 4 allows no legitimate interest/,
  ],
  [
    'TCF v2.0 policy: legitimate interest for 3 and 4 counts',
    { gdpr: 1, tcf: liFor3And4V20 },
    true,
    /granted/,
  ],
  [
    'TCF v2.0 policy without any signal for 3',
    { gdpr: 1, tcf: TCF_V20_REJECT_ALL },
    false,
    /neither consent nor legitimate interest/,
  ],
  ['GDPR with an invalid string', { gdpr: 1, tcf: 'CAAA' }, false, /invalid/],
  ['GDPR with full consent but GPC', { gdpr: 1, tcf: full, gpc: true }, false, /Global Privacy Control/],
  ['no GDPR, no opt-out', { gdpr: 0, usp: '1YNN' }, true, /GDPR does not apply and no US opt-out/],
  ['no GDPR, US Privacy sale opt-out', { usp: '1YYN' }, false, /1YYN: opted out of sale/],
  ['no GDPR, usnat sale opt-out', { gpp: usnatSale }, false, /SaleOptOut is 1/],
  [
    'no GDPR, usnat targeted advertising opt-out',
    { gpp: usnatTargeted },
    false,
    /TargetedAdvertisingOptOut is 1/,
  ],
]);

const geoCases: [string, Consent, 'city' | 'country', RegExp][] = [
  ['no GDPR', { gdpr: 0 }, 'city', /GDPR does not apply/],
  ['no GDPR, even with a US opt-out', { usp: '1YYN' }, 'city', /GDPR does not apply/],
  ['GDPR, special feature 1 opted in', { gdpr: 1, tcf: full }, 'city', /special feature 1 .* opted in/],
  ['GDPR, special feature 1 off (2 on)', { gdpr: 1, tcf: sfOff }, 'country', /not opted in/],
  ['GDPR, no special feature', { gdpr: 1, tcf: storeOnly }, 'country', /not opted in/],
  ['GDPR, no string', { gdpr: 1 }, 'country', /no TCF string/],
  ['GDPR, garbage', { gdpr: 1, tcf: 'garbage' }, 'country', /invalid/],
];
for (const [label, consent, precision, reason] of geoCases) {
  test(`geoPrecision: ${label}`, () => {
    const decision = geoPrecision(decodeConsent(consent));
    assert.deepEqual([decision.precision, decision.allowed], [precision, precision === 'city']);
    assert.match(decision.reason, reason);
  });
}

const optOutCases: [string, Consent, boolean, RegExp][] = [
  ['nothing sent', {}, false, /no US opt-out/],
  ['US Privacy 1YNN', { usp: '1YNN' }, false, /no US opt-out/],
  ['US Privacy 1---', { usp: '1---' }, false, /no US opt-out/],
  ['US Privacy 1YYN', { usp: '1YYN' }, true, /US Privacy string 1YYN: opted out of sale/],
  ['US Privacy 1NYY', { usp: '1NYY' }, true, /opted out of sale/],
  ['an invalid US Privacy string', { usp: '1YXN' }, true, /invalid and counts as an opt-out/],
  ['GPC', { gpc: true }, true, /Global Privacy Control/],
  ['GPC false', { gpc: false, usp: '1YNN' }, false, /no US opt-out/],
  ['GPP usnat sale opt-out', { gpp: usnatSale }, true, /usnat: SaleOptOut is 1/],
  ['GPP usnat sharing opt-out', { gpp: usnatSharing }, true, /SharingOptOut is 1/],
  ['GPP usnat targeted advertising opt-out', { gpp: usnatTargeted }, true, /TargetedAdvertisingOptOut is 1/],
  ['GPP usnat, did not opt out', { gpp: usnatNone }, false, /no US opt-out/],
  ['GPP usnat sale opt-out, section not applying', { gpp: usnatSale, gppSid: [2] }, false, /no US opt-out/],
  ['GPP usca sale opt-out', { gpp: uscaSale }, true, /usca: SaleOptOut is 1/],
  ['GPP uspv1 sale opt-out', { gpp: uspv1Sale }, true, /GPP uspv1 1YYN: opted out of sale/],
  ['GPP published uspv1 example 1YNN', { gpp: 'DBABTA~1YNN' }, false, /no US opt-out/],
  ['an invalid GPP string', { gpp: 'garbage' }, true, /invalid GPP string counts as an opt-out/],
  ['an invalid GPP usnat section', { gpp: 'DBABLA~xyz' }, true, /invalid GPP US section/],
  ['a GPP string with only TCF', { gpp: tcfInGpp }, false, /no US opt-out/],
  ['a TCF reject-all string (TCF is not a US signal)', { tcf: TCF_V20_REJECT_ALL }, false, /no US opt-out/],
];
for (const [label, consent, optedOut, reason] of optOutCases) {
  test(`usOptOut: ${label}`, () => {
    const decision = usOptOut(decodeConsent(consent));
    assert.deepEqual([decision.optedOut, decision.allowed], [optedOut, !optedOut], decision.reason);
    assert.match(decision.reason, reason);
  });
}
