import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DAY_MS } from '../clock.ts';
import { decodeConsent } from '../consent/index.ts';
import type { Consent } from '../event.ts';
import type { SyncPartner } from './sync-partner.ts';
import { partnerConsentDenied, planSyncs } from './sync-plan.ts';
import type { SyncPlanInput } from './sync-plan.ts';

/**
 * Real TC strings. V22: the example of decodeTcf's documentation (TCF v2.2, CMP 10): purposes 1-4,
 * vendors 1, 2 and 755. SPEC: the example of the IAB's TCF v2 string-format documentation (CMP 27):
 * purposes 1-3, vendors 2, 6, 8. REJECT_ALL: a "reject all" string of CMP 31. NO_PURPOSE_1 and
 * RESTRICTED were encoded with @iabtcf/core against the GVL of assets/consent (as
 * test/consent/consent-fixtures.ts `encodeTc` does): purposes 2-4 (NO_PURPOSE_1) or 1-4
 * (RESTRICTED), vendors 32 and 755, and in RESTRICTED a publisher restriction "not allowed" on
 * purpose 1 for vendor 32.
 */
const V22 = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';
const SPEC = 'COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA';
const REJECT_ALL = 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA';
const NO_PURPOSE_1 = 'CP4bJcAP4ecYAAKADAENAHEgAHAAAAAAAAqIF5wAgAQALzAAAAAA.YAAAAAAAAAAA';
const RESTRICTED = 'CP4bJcAP4ecYAAKADAENAHEgAPAAAAAAAAqIF5wAgAQALzAAAACCAAgAgAAA.YAAAAAAAAAAA';

const NOW = Date.UTC(2026, 0, 20);

function partner(code: string, vendorId: number | undefined, more: Partial<SyncPartner> = {}): SyncPartner {
  const p: SyncPartner = {
    code,
    name: code.toUpperCase(),
    syncUrl: `https://${code.replace(/_/g, '-')}.example/sync?gdpr=\${GDPR}&gdpr_consent=\${GDPR_CONSENT_${vendorId ?? 1}}&redir=\${REDIRECT}`,
    type: 'redirect',
    resyncDays: 14,
    idLifetimeDays: 90,
    uidMacro: '$UID',
    ...more,
  };
  if (vendorId !== undefined) p.vendorId = vendorId;
  return p;
}

const sspA = partner('ssp_a', 755);
const sspB = partner('ssp_b', 32);
const sspC = partner('ssp_c', 8, { type: 'iframe', uidMacro: '[UID]' });

function plan(consent: Consent, more: Partial<SyncPlanInput> = {}) {
  return planSyncs({
    partners: [sspA, sspB, sspC],
    consent,
    known: {},
    now: NOW,
    hasCookie: true,
    publicBase: 'https://dmp.example',
    siteKey: 'pk_site1',
    ...more,
  });
}

const synced = (p: ReturnType<typeof plan>) => p.bidder_status.map((b) => b.bidder);
const reasons = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(p.skipped.map((s) => [s.bidder, s.reason]));

void describe('planSyncs: consent', () => {
  void it('syncs every partner where GDPR does not apply', () => {
    const p = plan({ gdpr: 0 });
    assert.deepEqual(synced(p), ['ssp_a', 'ssp_b', 'ssp_c']);
    assert.deepEqual(p.skipped, []);
  });

  void it('syncs the partner whose vendor has consent and skips the one without (TCF v2.2 string)', () => {
    const p = plan({ gdpr: 1, tcf: V22 }, { bidders: ['ssp_a', 'ssp_b'] });
    assert.deepEqual(synced(p), ['ssp_a']);
    assert.deepEqual(p.skipped, [
      { bidder: 'ssp_b', reason: 'no-consent', detail: 'GDPR applies and vendor 32 has no consent' },
    ]);
  });

  void it("reads the IAB's own example string: vendor 8 consented, 755 and 32 not", () => {
    const p = plan({ gdpr: 1, tcf: SPEC });
    assert.deepEqual(synced(p), ['ssp_c']);
    assert.deepEqual(reasons(p), { ssp_a: 'no-consent', ssp_b: 'no-consent' });
  });

  void it('skips every partner without purpose 1, with a reject-all string, or with no string', () => {
    for (const consent of [
      { gdpr: 1 as const, tcf: NO_PURPOSE_1 },
      { gdpr: 1 as const, tcf: REJECT_ALL },
    ]) {
      const p = plan(consent);
      assert.deepEqual(synced(p), []);
      assert.match(
        p.skipped[0]!.detail,
        /purpose 1 \(store and\/or access information on a device\) has no consent/,
      );
    }
    assert.match(plan({ gdpr: 1 }).skipped[0]!.detail, /there is no TCF string/);
    assert.match(plan({ gdpr: 1, tcf: 'CXXX' }).skipped[0]!.detail, /TCF string is invalid/);
  });

  void it('obeys a publisher restriction on purpose 1', () => {
    const p = plan({ gdpr: 1, tcf: RESTRICTED }, { bidders: ['ssp_a', 'ssp_b'] });
    assert.deepEqual(synced(p), ['ssp_a']);
    assert.match(p.skipped[0]!.detail, /publisher does not allow vendor 32 purpose 1/);
  });

  void it("syncs no partner when this server's own vendor has no consent (hostVendorId)", () => {
    const denied = plan({ gdpr: 1, tcf: V22 }, { hostVendorId: 32 });
    assert.deepEqual(synced(denied), []);
    assert.equal(
      denied.skipped.find((s) => s.bidder === 'ssp_a')!.detail,
      'this server may not store the ID (host vendor 32): GDPR applies and vendor 32 has no consent',
    );
    assert.deepEqual(synced(plan({ gdpr: 1, tcf: V22 }, { hostVendorId: 755, bidders: ['ssp_a'] })), [
      'ssp_a',
    ]);
    assert.deepEqual(synced(plan({ gdpr: 0 }, { hostVendorId: 32 })), ['ssp_a', 'ssp_b', 'ssp_c']);
  });

  void it('needs a vendor ID where GDPR applies, not elsewhere', () => {
    const anon = partner('ssp_x', undefined);
    assert.deepEqual(synced(plan({ gdpr: 0 }, { partners: [anon] })), ['ssp_x']);
    assert.match(plan({ gdpr: 1, tcf: V22 }, { partners: [anon] }).skipped[0]!.detail, /no GVL vendor ID/);
  });

  void it('stops every sync on a US opt-out: US Privacy, GPP US Privacy section, GPC', () => {
    for (const consent of [
      { usp: '1YYN' },
      { gpp: 'DBABTA~1YYN', gppSid: [6] },
      { gpc: true },
      { usp: 'garbage' },
    ] as Consent[]) {
      const p = plan(consent);
      assert.deepEqual(synced(p), [], JSON.stringify(consent));
      assert.deepEqual(reasons(p), { ssp_a: 'opted-out', ssp_b: 'opted-out', ssp_c: 'opted-out' });
    }
    assert.deepEqual(synced(plan({ usp: '1YNN' })), ['ssp_a', 'ssp_b', 'ssp_c']);
  });

  void it('partnerConsentDenied reads the decoded state', () => {
    assert.equal(partnerConsentDenied(decodeConsent({ gdpr: 1, tcf: V22 }), 755), undefined);
    assert.equal(
      partnerConsentDenied(decodeConsent({ gdpr: 1, tcf: V22 }), 32),
      'GDPR applies and vendor 32 has no consent',
    );
    assert.equal(partnerConsentDenied(decodeConsent({}), undefined), undefined);
  });
});

void describe('planSyncs: freshness, limit, order, bidders', () => {
  void it('skips a partner whose ID is fresher than resyncDays, syncs it once older', () => {
    const p = plan({ gdpr: 0 }, { known: { ssp_a: NOW - 13 * DAY_MS, ssp_b: NOW - 15 * DAY_MS } });
    assert.deepEqual(synced(p), ['ssp_c', 'ssp_b']);
    assert.deepEqual(p.skipped, [
      {
        bidder: 'ssp_a',
        reason: 'fresh',
        detail: 'its ID was learnt 13.0 days ago; it is synced again after 14 days',
      },
    ]);
  });

  void it('counts freshness from the shorter of resyncDays and idLifetimeDays', () => {
    const short = partner('ssp_s', 755, { resyncDays: 30, idLifetimeDays: 7 });
    const p = plan({ gdpr: 0 }, { partners: [short], known: { ssp_s: NOW - 8 * DAY_MS } });
    assert.deepEqual(synced(p), ['ssp_s']);
  });

  void it('syncs stalest first (never synced, then oldest ID), ties by code, up to the limit', () => {
    const known = { ssp_a: NOW - 20 * DAY_MS, ssp_b: NOW - 40 * DAY_MS };
    const p = plan({ gdpr: 0 }, { known, limit: 2 });
    assert.deepEqual(synced(p), ['ssp_c', 'ssp_b']);
    assert.deepEqual(p.skipped, [
      { bidder: 'ssp_a', reason: 'over-limit', detail: "the request's limit of 2 syncs was reached" },
    ]);
    const d = partner('ssp_d', 755);
    assert.deepEqual(synced(plan({ gdpr: 0 }, { partners: [sspC, d, sspA], limit: 2 })), ['ssp_a', 'ssp_c']);
    assert.equal(plan({ gdpr: 0 }, { limit: 0 }).bidder_status.length, 3, 'a limit of 0 is none');
  });

  void it('reads bidders as Prebid Server: absent is all, empty is none, unknown ones reported', () => {
    assert.deepEqual(synced(plan({ gdpr: 0 }, { bidders: [] })), []);
    const p = plan({ gdpr: 0 }, { bidders: ['ssp_b', 'nope', 'ssp_b'] });
    assert.deepEqual(synced(p), ['ssp_b']);
    assert.deepEqual(reasons(p), { nope: 'unknown-bidder' });
  });

  void it('answers no_cookie without our cookie, ok with it', () => {
    assert.equal(plan({ gdpr: 0 }, { hasCookie: false }).status, 'no_cookie');
    assert.equal(plan({ gdpr: 0 }).status, 'ok');
  });

  void it('builds each sync URL with the consent and our redirect (f=b for iframes)', () => {
    const p = plan({ gdpr: 1, tcf: SPEC }, { uid: 'c-1' });
    assert.deepEqual(p.bidder_status, [
      {
        bidder: 'ssp_c',
        no_cookie: true,
        usersync: {
          url:
            `https://ssp-c.example/sync?gdpr=1&gdpr_consent=${SPEC}&redir=` +
            encodeURIComponent(
              `https://dmp.example/setuid?site=pk_site1&bidder=ssp_c&gdpr=1&gdpr_consent=${SPEC}&f=b&uid=[UID]`,
            ),
          type: 'iframe',
          supportCORS: false,
        },
      },
    ]);
  });
});

void describe('planSyncs: properties', () => {
  const code = fc.constantFrom('ssp_a', 'ssp_b', 'ssp_c', 'ssp_d', 'ssp_e', 'dsp_1');
  const partners = fc.uniqueArray(
    fc.record({
      code,
      vendorId: fc.constantFrom(1, 2, 8, 32, 755),
      resyncDays: fc.integer({ min: 1, max: 30 }),
    }),
    { selector: (p) => p.code, maxLength: 6 },
  );
  const consent = fc.constantFrom<Consent>(
    { gdpr: 0 },
    { gdpr: 1, tcf: V22 },
    { gdpr: 1, tcf: SPEC },
    { gdpr: 1, tcf: RESTRICTED },
    { usp: '1YYN' },
    {},
  );
  const known = fc.dictionary(code, fc.integer({ min: NOW - 60 * DAY_MS, max: NOW }));
  const input = fc.record({
    partners,
    consent,
    known,
    limit: fc.option(fc.integer({ min: -1, max: 6 }), { nil: undefined }),
    bidders: fc.option(fc.array(fc.oneof(code, fc.constant('zz'))), { nil: undefined }),
  });

  void it('lists each partner asked for exactly once, keeps to the limit, and ignores the partners order', () => {
    fc.assert(
      fc.property(input, fc.nat(), (i, seed) => {
        const list = i.partners.map((p) => partner(p.code, p.vendorId, { resyncDays: p.resyncDays }));
        const base = {
          consent: i.consent,
          known: i.known,
          now: NOW,
          hasCookie: true,
          publicBase: 'https://d.example',
          siteKey: 's',
        };
        const extra = {
          ...(i.limit !== undefined && { limit: i.limit }),
          ...(i.bidders !== undefined && { bidders: i.bidders }),
        };
        const p = planSyncs({ ...base, ...extra, partners: list });
        const asked = new Set(i.bidders ?? list.map((x) => x.code));
        const seen = [...synced(p), ...p.skipped.map((s) => s.bidder)];
        assert.deepEqual([...seen].sort(), [...asked].sort());
        if (i.limit !== undefined && i.limit >= 1) assert.ok(p.bidder_status.length <= i.limit);
        const shuffled = [...list].sort(
          (a, b) => ((a.code.charCodeAt(4) * 31 + seed) % 7) - ((b.code.charCodeAt(4) * 31 + seed) % 7),
        );
        assert.deepEqual(planSyncs({ ...base, ...extra, partners: shuffled }), p);
      }),
    );
  });
});
