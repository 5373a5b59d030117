import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consent } from '../../src/core/event.ts';
import { decodeConsent, mayReceive, parseGvl } from '../../src/core/consent/index.ts';
import type { ConsentDestination, ConsentState, Gvl, TcfConsent } from '../../src/core/consent/index.ts';
import { ALL_PURPOSES, encodeGpp, encodeTc, gvl, gvlJson } from './consent-fixtures.ts';

/** The real list with one vendor changed. */
function gvlWith(vendorId: string, change: Record<string, unknown>): Gvl {
  const root = structuredClone(gvlJson) as { vendors: Record<string, Record<string, unknown>> };
  root.vendors[vendorId] = { ...root.vendors[vendorId], ...change };
  const parsed = parseGvl(root);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.gvl;
}
const deleted755 = gvlWith('755', { deletedDate: '2024-01-01T00:00:00Z' });
// as under older lists, where vendors could rest purpose 3 on legitimate interest
const li3For755 = gvlWith('755', { purposes: [1, 4], legIntPurposes: [2, 3, 7, 9, 10] });

const google = { vendorId: 755, purposes: [1, 3, 4] }; // consent purposes 1, 3, 4; LI 2, 7, 9, 10 (flexible)
const googleMeasure = { vendorId: 755, purposes: [7] };
const sonobi = { vendorId: 104, purposes: [2] }; // consent 1-4, LI 7, 8, nothing flexible

const full = encodeTc({ purposeConsents: ALL_PURPOSES, vendorConsents: [755, 104, 1] });
const vendorNotConsented = encodeTc({ purposeConsents: ALL_PURPOSES, vendorConsents: [104] });
const purpose3Missing = encodeTc({ purposeConsents: [1, 4], vendorConsents: [755] });
const liOnly7 = encodeTc({ purposeLegitimateInterests: [7], vendorLegitimateInterests: [755] });
const li7NoVendorLi = encodeTc({ purposeLegitimateInterests: [7], vendorLegitimateInterests: [104] });
const li7Objected = encodeTc({
  purposeConsents: [7],
  vendorLegitimateInterests: [755],
  vendorConsents: [755],
});
const requireConsentFor7 = [{ vendor: 755, purpose: 7, type: 1 as const }];
const li7ButConsentRequired = encodeTc({
  purposeLegitimateInterests: [7],
  vendorLegitimateInterests: [755],
  restrictions: requireConsentFor7,
});
const consent7Required = encodeTc({
  purposeConsents: [7],
  vendorConsents: [755],
  restrictions: requireConsentFor7,
});
const purpose3NotAllowed = encodeTc({
  purposeConsents: ALL_PURPOSES,
  vendorConsents: [755],
  restrictions: [{ vendor: 755, purpose: 3, type: 0 }],
});
const li3V22 = encodeTc({
  purposeConsents: [1, 4],
  purposeLegitimateInterests: [3],
  vendorLegitimateInterests: [755],
  vendorConsents: [755],
});
const li3V20 = encodeTc({
  purposeConsents: [1, 4],
  purposeLegitimateInterests: [3],
  vendorLegitimateInterests: [755],
  vendorConsents: [755],
  policyVersion: 2,
});

/** [case, consent, destination, list, allowed, the reason's gist] */
const cases: [string, Consent, ConsentDestination, Gvl, boolean, RegExp][] = [
  [
    'full consent',
    { gdpr: 1, tcf: full },
    google,
    gvl,
    true,
    /vendor 755 \(Google Advertising Products\) may receive purposes 1, 3, 4/,
  ],
  [
    'the vendor not consented',
    { gdpr: 1, tcf: vendorNotConsented },
    google,
    gvl,
    false,
    /vendor 755 .* has no consent/,
  ],
  [
    'a purpose not consented',
    { gdpr: 1, tcf: purpose3Missing },
    google,
    gvl,
    false,
    /purpose 3 .* has no consent/,
  ],
  [
    'legitimate interest where the vendor declares it',
    { gdpr: 1, tcf: liOnly7 },
    googleMeasure,
    gvl,
    true,
    /may receive purposes 7/,
  ],
  [
    'legitimate interest without the vendor LI signal',
    { gdpr: 1, tcf: li7NoVendorLi },
    googleMeasure,
    gvl,
    false,
    /vendor 755 .* no legitimate interest signal/,
  ],
  [
    'legitimate interest objected to for the purpose',
    { gdpr: 1, tcf: li7Objected },
    googleMeasure,
    gvl,
    false,
    /purpose 7 .* no legitimate interest signal/,
  ],
  [
    'a publisher requiring consent where only LI was given',
    { gdpr: 1, tcf: li7ButConsentRequired },
    googleMeasure,
    gvl,
    false,
    /purpose 7 .* has no consent/,
  ],
  [
    'a publisher requiring consent, consent given',
    { gdpr: 1, tcf: consent7Required },
    googleMeasure,
    gvl,
    true,
    /may receive/,
  ],
  [
    'a publisher not allowing the purpose',
    { gdpr: 1, tcf: purpose3NotAllowed },
    google,
    gvl,
    false,
    /publisher does not allow vendor 755 .* purpose 3/,
  ],
  [
    'a purpose the vendor does not declare',
    { gdpr: 1, tcf: full },
    { vendorId: 755, purposes: [5] },
    gvl,
    false,
    /does not declare purpose 5/,
  ],
  [
    'consent for a vendor resting the purpose on LI only',
    { gdpr: 1, tcf: full },
    { vendorId: 104, purposes: [7] },
    gvl,
    false,
    /no legitimate interest signal/,
  ],
  ['a consent purpose of another vendor', { gdpr: 1, tcf: full }, sonobi, gvl, true, /vendor 104/],
  [
    'TCF v2.2: an LI declaration for purpose 3 needs consent',
    { gdpr: 1, tcf: li3V22 },
    google,
    li3For755,
    false,
    /purpose 3 .* has no consent/,
  ],
  [
    'TCF v2.0 policy: LI for purpose 3 counts',
    { gdpr: 1, tcf: li3V20 },
    google,
    li3For755,
    true,
    /may receive/,
  ],
  ['no vendor ID under GDPR', { gdpr: 1, tcf: full }, { purposes: [1] }, gvl, false, /no GVL vendor ID/],
  [
    'a vendor not in the GVL',
    { gdpr: 1, tcf: full },
    { vendorId: 99999, purposes: [1] },
    gvl,
    false,
    /vendor 99999 is not in the Global Vendor List \(version 7\)/,
  ],
  [
    'a vendor deleted from the GVL',
    { gdpr: 1, tcf: full },
    google,
    deleted755,
    false,
    /deleted from the GVL on 2024-01-01/,
  ],
  [
    'no purposes declared under GDPR',
    { gdpr: 1, tcf: full },
    { vendorId: 755, purposes: [] },
    gvl,
    false,
    /declares no TCF purposes/,
  ],
  ['GDPR with no string', { gdpr: 1 }, google, gvl, false, /no TCF string/],
  ['GDPR with garbage', { gdpr: 1, tcf: 'garbage' }, google, gvl, false, /invalid/],
  [
    'GDPR via GPP with full consent',
    { gpp: encodeGpp({ tcfeuv2: full }), gppSid: [2] },
    google,
    gvl,
    true,
    /may receive/,
  ],
  [
    'no GDPR, no vendor ID',
    { gdpr: 0 },
    { purposes: [] },
    gvl,
    true,
    /GDPR does not apply and no US opt-out/,
  ],
  ['no GDPR, US Privacy opt-out', { usp: '1YYN' }, { purposes: [] }, gvl, false, /opted out of sale/],
  [
    'full TCF consent but a usnat opt-out',
    { gdpr: 1, tcf: full, gpp: encodeGpp({ usnat: { SaleOptOut: 1 } }) },
    google,
    gvl,
    false,
    /SaleOptOut is 1/,
  ],
  [
    'full TCF consent but GPC',
    { gdpr: 1, tcf: full, gpc: true },
    google,
    gvl,
    false,
    /Global Privacy Control/,
  ],
];
for (const [label, consent, destination, list, allowed, reason] of cases) {
  test(`mayReceive: ${label}`, () => {
    const decision = mayReceive(decodeConsent(consent), destination, list);
    assert.equal(decision.allowed, allowed, decision.reason);
    assert.match(decision.reason, reason);
  });
}

// @iabtcf/core's encoder drops restrictions a vendor cannot honour, so these states are written out.
function stateWith(restriction: { purpose: number; type: 0 | 1 | 2; vendors: number[] }): ConsentState {
  const base = decodeConsent({ gdpr: 1, tcf: full });
  const tcf = { ...(base.tcf as TcfConsent), publisherRestrictions: [restriction] };
  return { ...base, tcf };
}

test('mayReceive: a restriction to LI on a purpose the vendor did not declare flexible denies', () => {
  const decision = mayReceive(stateWith({ purpose: 2, type: 2, vendors: [104] }), sonobi, gvl);
  assert.equal(decision.allowed, false);
  assert.match(decision.reason, /requires legitimate interest for purpose 2 .* does not declare it flexible/);
});

test('mayReceive: a restriction to consent on a flexible LI purpose switches the vendor to consent', () => {
  const decision = mayReceive(stateWith({ purpose: 7, type: 1, vendors: [755] }), googleMeasure, gvl);
  assert.equal(decision.allowed, true, decision.reason);
});
