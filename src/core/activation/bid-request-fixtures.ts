/**
 * Bid requests shaped as exchanges send them, for the OpenRTB tests: a 2.5 request as Prebid Server
 * sends it (consent, US Privacy and eids in `ext`) and a 2.6 request with the same things top-level.
 *
 * Example: `readBidRequest(bidRequest25('CQ...'))`
 */
import type { BidRequest } from './read-bid-request.ts';

/** An OpenRTB 2.5 request (Prebid Server 2.5 style): GDPR, TC string, US Privacy and eids in `ext`. */
export function bidRequest25(tcString: string): BidRequest {
  return {
    id: '5f8a1c3e-2b7d-4a90-9c61-0e4f7b2d8a13',
    imp: [
      {
        id: '1',
        banner: {
          format: [
            { w: 300, h: 250 },
            { w: 300, h: 600 },
          ],
        },
        tagid: 'div-gpt-ad-sidebar',
        bidfloor: 0.5,
        bidfloorcur: 'EUR',
        ext: { prebid: { bidder: { appnexus: { placementId: 13144370 } } } },
      },
    ],
    site: {
      domain: 'news.example.fr',
      page: 'https://news.example.fr/sport/football',
      publisher: { id: 'pub-1234' },
      cat: ['IAB17'],
    },
    device: {
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ip: '81.2.69.0',
      devicetype: 2,
      language: 'fr',
    },
    user: {
      id: 'exch-7f3a9',
      buyeruid: 'c-123',
      ext: {
        consent: tcString,
        eids: [
          { source: 'pubcid.org', uids: [{ id: 'a2b4c6d8-1111-2222-3333-444455556666', atype: 1 }] },
          { source: 'id5-sync.com', uids: [{ id: 'ID5*Zm9vYmFy', atype: 1, ext: { linkType: 2 } }] },
        ],
      },
    },
    regs: { ext: { gdpr: 1, us_privacy: '1---' } },
    source: {
      tid: 'b1c2',
      ext: { schain: { ver: '1.0', complete: 1, nodes: [{ asi: 'ex.com', sid: '1', hp: 1 }] } },
    },
    at: 1,
    tmax: 500,
    cur: ['EUR'],
  };
}

/** An OpenRTB 2.6 in-app request: consent, eids, GPP and US Privacy top-level, the device's IFA. */
export function bidRequest26(tcString: string): BidRequest {
  return {
    id: '0b7c9e41-5d2a-4f3b-8e16-7a9d2c4b1f05',
    imp: [{ id: '1', video: { mimes: ['video/mp4'], w: 640, h: 480, plcmt: 1 }, rwdd: 0, secure: 1 }],
    app: {
      bundle: 'com.example.news',
      storeurl: 'https://play.google.com/store/apps/details?id=com.example.news',
    },
    device: { ifa: '6d92078a-8246-4ba4-ae5b-76104861e7dc', lmt: 0, os: 'android', devicetype: 4 },
    user: {
      consent: tcString,
      eids: [
        {
          source: 'liveramp.com',
          uids: [{ id: 'XY1000bIVBVah9ium-sZ3ykhPiXQbEcUpn4GjCtxrrw2BRDGM', atype: 3 }],
        },
      ],
      data: [{ id: 'pub-data', name: 'news.example.fr', segment: [{ id: 'sport' }] }],
    },
    regs: { coppa: 0, gdpr: 1, us_privacy: '1YNN', gpp: 'DBABTA~1YNN', gpp_sid: [6] },
    source: { tid: 'c3d4', schain: { ver: '1.0', complete: 1, nodes: [{ asi: 'ex.com', sid: '2', hp: 1 }] } },
    cattax: 6,
    tmax: 300,
  };
}
