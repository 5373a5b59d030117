import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConsent } from '../consent/index.ts';
import type { Consent } from '../event.ts';
import { encodeTc, gvl } from '../../../test/consent/consent-fixtures.ts';
import { bidRequest25, bidRequest26 } from './bid-request-fixtures.ts';
import type { Destination } from './destination.ts';
import { enrichBidRequest, userDataEntry } from './enrich-bid-request.ts';
import { mapSegments } from './map-segments.ts';
import { readBidRequest } from './read-bid-request.ts';
import { idFor, visitorActivation } from './visitor-activation.ts';
import type { VisitorProfileIds } from './visitor-activation.ts';

const ssp: Destination = {
  kind: 'openrtb',
  code: 'ssp-eu',
  name: 'SSP Europe',
  segments: [
    { segment: 'sports_fans', id: '607' },
    { segment: 'auto_intent', id: '243' },
    { segment: 'football', id: '607' },
  ],
  segtax: 4,
  idType: 'maid',
  consent: { vendorId: 755, purposes: [1, 3, 4] },
  restrictions: [],
  settings: {},
};
const granted = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
const noVendor = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [104] });

void describe('mapSegments', () => {
  void it('maps member segments to the destination IDs, in mapping order, each once', () => {
    const cases: [string[], string[]][] = [
      [[], []],
      [['unmapped'], []],
      [
        ['auto_intent', 'sports_fans'],
        ['607', '243'],
      ],
      [['football', 'sports_fans'], ['607']],
    ];
    for (const [member, ids] of cases) {
      assert.deepEqual(mapSegments(ssp, new Set(member)), { segmentIds: ids, segtax: 4 });
    }
    assert.deepEqual(mapSegments({ segments: ssp.segments }, new Set(['auto_intent'])), {
      segmentIds: ['243'],
    });
  });
});

void describe('visitorActivation', () => {
  const member = new Set(['sports_fans']);
  const visitor: VisitorProfileIds = { uid: 'c-1', ids: { maid: '6d92078a-8246-4ba4-ae5b-76104861e7dc' } };
  void it('decides in funnel order: eligible, consented, has the ID', () => {
    const cases: [string, Set<string>, Consent, VisitorProfileIds | undefined, unknown][] = [
      ['not eligible', new Set(['other']), { gdpr: 1, tcf: granted }, visitor, { ok: true, eligible: false }],
      [
        'granted, with ID',
        member,
        { gdpr: 1, tcf: granted },
        visitor,
        { ok: true, eligible: true, id: visitor.ids.maid },
      ],
      [
        'granted, no visitor given (bid stream)',
        member,
        { gdpr: 1, tcf: granted },
        undefined,
        { ok: true, eligible: true },
      ],
      [
        'vendor without consent',
        member,
        { gdpr: 1, tcf: noVendor },
        visitor,
        { ok: false, step: 'consented' },
      ],
      ['GDPR without a string', member, { gdpr: 1 }, visitor, { ok: false, step: 'consented' }],
      ['US opt-out', member, { gdpr: 0, usp: '1YYN' }, visitor, { ok: false, step: 'consented' }],
      ['GPC', member, { gpc: true }, visitor, { ok: false, step: 'consented' }],
      ['no GDPR, no MAID', member, { gdpr: 0 }, { uid: 'c-1', ids: {} }, { ok: false, step: 'hasId' }],
    ];
    for (const [name, segments, consent, who, expected] of cases) {
      const verdict = visitorActivation(ssp, segments, decodeConsent(consent), gvl, who);
      const picked = Object.fromEntries(
        Object.entries(verdict).filter(([k]) => ['ok', 'eligible', 'id', 'step'].includes(k)),
      );
      assert.deepEqual(picked, expected, name);
      assert.ok(verdict.reason.length > 0, `${name}: has a reason`);
    }
    const denied = visitorActivation(ssp, member, decodeConsent({ gdpr: 1, tcf: noVendor }), gvl);
    assert.match(denied.reason, /vendor 755 .* has no consent/);
  });

  void it('finds the ID the destination keys on', () => {
    const profile = { uid: 'c-1', ids: { maid: 'm-9', ttd: '' } };
    assert.equal(idFor('uid', profile), 'c-1');
    assert.equal(idFor('maid', profile), 'm-9');
    assert.equal(idFor('ttd', profile), undefined);
    assert.equal(idFor('partner:x', profile), undefined);
  });

  void it('drives bid enrichment from the request consent, for 2.5 and 2.6', () => {
    for (const [request, tc, expectAdded] of [
      [bidRequest25(granted), granted, true],
      [bidRequest26(granted), granted, true], // usp 1YNN and GPP uspv1 1YNN: no opt-out
      [bidRequest25(noVendor), noVendor, false],
    ] as const) {
      const read = readBidRequest(request);
      assert.ok(read.ok);
      assert.equal(read.consent.tcf, tc);
      const verdict = visitorActivation(ssp, member, decodeConsent(read.consent), gvl);
      const out =
        verdict.ok && verdict.eligible
          ? enrichBidRequest(
              read.request,
              userDataEntry('dmp.example.com', verdict.mapped.segmentIds, verdict.mapped.segtax),
            )
          : read.request;
      const added = (out.user?.data ?? []).some((d) => (d as { id?: string }).id === 'opendmp');
      assert.equal(added, expectAdded, `${read.version}, ${tc === granted ? 'granted' : 'vendor denied'}`);
      assert.deepEqual(out.imp, request.imp);
    }
  });
});
