/**
 * Pages and stand-ins for the tag's browser tests (issue 16): a TCF CMP the test (or a visitor) answers,
 * a Google Publisher Tag stand-in that records the calls made on it, and a shop page that loads them with
 * our tag, as a publisher's page does.
 */

/** A CMP's answer: the TC string and the purposes it consents to. Example: `{ tc: 'CQ…', purposes: [1, 3, 4] }` */
export interface CmpAnswer {
  tc: string;
  purposes: number[];
}

/**
 * A TCF v2.2 CMP stand-in (`window.__tcfapi`, inline in the head as CMPs are): `addEventListener` calls
 * back at once (`tcloaded` when `initial` is an answer, `cmpuishown` while the visitor has not chosen),
 * and `window.cmpDecide(answer)` is the visitor's choice, sent to every listener as `useractioncomplete`.
 */
export function cmpScript(initial: CmpAnswer | 'pending'): string {
  return `(function () {
  var state = ${initial === 'pending' ? 'null' : JSON.stringify(initial)};
  var listeners = [];
  function data(status, id) {
    var consents = {};
    (state ? state.purposes : []).forEach(function (p) { consents[p] = true; });
    return { eventStatus: status, cmpStatus: 'loaded', gdprApplies: true, listenerId: id,
      tcString: state ? state.tc : undefined, purpose: { consents: consents } };
  }
  window.__tcfapi = function (command, version, callback, param) {
    if (command === 'addEventListener') {
      var id = listeners.length + 1;
      listeners.push({ id: id, callback: callback });
      callback(data(state ? 'tcloaded' : 'cmpuishown', id), true);
    } else if (command === 'removeEventListener') {
      listeners = listeners.filter(function (l) { return l.id !== param; });
      callback(true);
    } else if (command === 'ping') {
      callback({ gdprApplies: true, cmpLoaded: true }, true);
    }
  };
  window.cmpDecide = function (answer) {
    state = answer;
    listeners.forEach(function (l) { l.callback(data('useractioncomplete', l.id), true); });
  };
})();`;
}

/**
 * A Google Publisher Tag stand-in, loaded as `gpt.js` is: it runs the page's `googletag.cmd` queue, then
 * runs later commands at once, and records in `window.gptLog` every targeting call, `display` and
 * `refresh`, in order: `[['setTargeting', 'dmp', ['607']], ['display', 'ad-top']]`.
 */
export const GPT_STANDIN = `(function () {
  var log = (window.gptLog = []);
  var targeting = {};
  var pubads = {
    setTargeting: function (key, value) { targeting[key] = [].concat(value); log.push(['setTargeting', key, [].concat(value)]); return pubads; },
    clearTargeting: function (key) { delete targeting[key]; log.push(['clearTargeting', key]); return pubads; },
    getTargeting: function (key) { return targeting[key] || []; },
    enableSingleRequest: function () { return pubads; },
    disableInitialLoad: function () { return pubads; },
    refresh: function () { log.push(['refresh']); }
  };
  var gt = window.googletag;
  gt.pubads = function () { return pubads; };
  gt.defineSlot = function () { return { addService: function () { return this; } }; };
  gt.enableServices = function () {};
  gt.display = function (div) { log.push(['display', div]); };
  var queued = gt.cmd;
  gt.cmd = { push: function () { for (var i = 0; i < arguments.length; i++) arguments[i](); } };
  gt.apiReady = true;
  queued.forEach(function (fn) { fn(); });
})();`;

/** What a shop page holds. */
export interface ShopPage {
  /** the DMP as the browser reaches it, and the site key */
  dmp: string;
  siteKey: string;
  title: string;
  /** the CMP: an answer, `'pending'` until `cmpDecide`, or no CMP at all */
  cmp?: CmpAnswer | 'pending';
  /** `data-*` attributes of the tag's script (`{ 'auction-delay': '5000' }`) */
  tagData?: Record<string, string>;
  /** leave the tag out (the same page without it) */
  noTag?: boolean;
  /** a googletag slot displayed through `googletag.cmd`, with the stand-in `/gpt.js` */
  gpt?: boolean;
  /** a Prebid.js auction through the stub bidder at this base, with `/prebid.js` */
  prebid?: string;
  /** more of the head, before the tag */
  head?: string;
}

/**
 * A shop page as a publisher writes it: the CMP first (inline), our queue and tag (async), GPT's queue
 * with one slot displayed, Prebid's queue with one ad unit and an auction through the Prebid Server adapter,
 * whose `bidsBackHandler` sets `window.auctionDone`.
 */
export function shopPage(p: ShopPage): string {
  const data = Object.entries({ site: p.siteKey, ...p.tagData })
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  const parts = [`<!doctype html><html><head><meta charset="utf-8"><title>${p.title}</title>`];
  if (p.cmp !== undefined) parts.push(`<script>${cmpScript(p.cmp)}</script>`);
  if (p.head !== undefined) parts.push(p.head);
  parts.push(`<script>window.opendmp = window.opendmp || [];</script>`);
  if (p.noTag !== true) parts.push(`<script async src="${p.dmp}/tag.js"${data}></script>`);
  if (p.gpt === true)
    parts.push(`<script>
window.googletag = window.googletag || { cmd: [] };
googletag.cmd.push(function () {
  googletag.defineSlot('/1234/shop/top', [300, 250], 'ad-top').addService(googletag.pubads());
  googletag.enableServices();
  googletag.display('ad-top');
});
</script><script async src="/gpt.js"></script>`);
  if (p.prebid !== undefined)
    parts.push(`<script>
window.pbjs = window.pbjs || { que: [] };
pbjs.que.push(function () {
  pbjs.setConfig({
    ortb2: { site: { name: 'shop' } },
    s2sConfig: [{ accountId: '1', enabled: true, adapter: 'prebidServer', bidders: ['stubbidder'],
      endpoint: '${p.prebid}/openrtb2/auction', syncEndpoint: '${p.prebid}/cookie_sync', timeout: 2000 }],
  });
  pbjs.addAdUnits([{ code: 'ad-top', mediaTypes: { banner: { sizes: [[300, 250]] } },
    bids: [{ bidder: 'stubbidder', params: {} }] }]);
  pbjs.requestBids({ bidsBackHandler: function () { window.auctionDone = true; } });
});
</script><script async src="/prebid.js"></script>`);
  parts.push(`</head><body><h1>${p.title}</h1><div id="ad-top"></div></body></html>`);
  return parts.join('\n');
}
