import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeConsent,
  decodeGpp,
  decodeTcf,
  decodeUsp,
  TCF_V1_REASON,
} from '../../src/core/consent/index.ts';
import { encodeGpp, encodeTc, TCF_V1_STRING } from './consent-fixtures.ts';

const tc = encodeTc({ purposeConsents: [1, 2], vendorConsents: [755] });
const otherTc = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [2] });

test('decodeConsent decodes every string of an event into one state', () => {
  const gpp = encodeGpp({ usnat: { SaleOptOut: 1 } });
  const state = decodeConsent({ gdpr: 1, tcf: tc, usp: '1YNN', gpp, gppSid: [7], gpc: true });
  assert.deepEqual(state, {
    gdprApplies: true,
    tcf: decodeTcf(tc),
    usp: decodeUsp('1YNN'),
    gpp: decodeGpp(gpp, [7]),
    gpc: true,
    errors: [],
  });
});

test('decodeConsent of no consent at all: GDPR does not apply, nothing decoded, no errors', () => {
  assert.deepEqual(decodeConsent({}), { gdprApplies: false, gpc: false, errors: [] });
  assert.deepEqual(decodeConsent({ tcf: '', usp: '', gpp: '' }), {
    gdprApplies: false,
    gpc: false,
    errors: [],
  });
});

test('decodeConsent keeps the reason of every invalid string, prefixed by its field', () => {
  const state = decodeConsent({ gdpr: 1, tcf: TCF_V1_STRING, usp: '1YN', gpp: 'DBABLA~xyz' });
  assert.equal(state.tcf?.ok, false);
  assert.equal(state.usp?.ok, false);
  assert.equal(state.errors.length, 3);
  assert.equal(state.errors[0], `tcf: ${TCF_V1_REASON}`);
  assert.match(state.errors[1] ?? '', /^usp: US Privacy string must be 4 characters/);
  assert.match(state.errors[2] ?? '', /^gpp: GPP section usnat \(7\): /);
  assert.match(decodeConsent({ gpp: 'garbage' }).errors[0] ?? '', /^gpp: not a GPP string/);
});

const gdprCases: [string, Parameters<typeof decodeConsent>[0], boolean][] = [
  ['gdpr=1 with no string', { gdpr: 1 }, true],
  ['gdpr=0 with a TC string', { gdpr: 0, tcf: tc }, false],
  ['no flag with a TC string (a CMP sends one only under GDPR)', { tcf: tc }, true],
  ['no flag with an invalid TC string', { tcf: 'garbage' }, true],
  ['no flag, GPP applying its TCF section', { gppSid: [2], gpp: encodeGpp({ tcfeuv2: tc }) }, true],
  ['no flag, GPP with US sections only', { gppSid: [6], gpp: 'DBABTA~1YNN' }, false],
  ['no flag, US Privacy only', { usp: '1YNN' }, false],
];
for (const [name, consent, expected] of gdprCases) {
  test(`decodeConsent: gdprApplies is ${expected} for ${name}`, () => {
    assert.equal(decodeConsent(consent).gdprApplies, expected);
  });
}

test('decodeConsent takes the TCF of the GPP string when there is no tcf field, and the field first', () => {
  const gpp = encodeGpp({ tcfeuv2: otherTc, uspv1: { Notice: 'Y', OptOutSale: 'N', LspaCovered: 'N' } });
  const fromGpp = decodeConsent({ gdpr: 1, gpp });
  assert.ok(fromGpp.tcf?.ok);
  assert.deepEqual(fromGpp.tcf.vendorConsents, [2]);
  const fromField = decodeConsent({ gdpr: 1, tcf: tc, gpp });
  assert.ok(fromField.tcf?.ok);
  assert.deepEqual(fromField.tcf.vendorConsents, [755]);
  const notApplying = decodeConsent({ gdpr: 1, gpp, gppSid: [6] });
  assert.equal(notApplying.tcf, undefined);
});
