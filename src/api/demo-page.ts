/**
 * The demo shop's pages (`/demo/`, served by `npm start`): a few sections a newcomer browses, our tag, a
 * consent banner (a small TCF CMP), a Prebid.js ad unit and a stand-in `googletag`, and a panel showing
 * what the page got: the consent, the segments in Prebid's `ortb2.user.data`, the Ad Manager key-values
 * and what the bidder received.
 */

/** The shop's sections: each has a trait and a segment in the demo tenant (src/cli/demo-site.ts). */
export const DEMO_SECTIONS: readonly { path: string; title: string }[] = [
  { path: 'shoes', title: 'Shoes' },
  { path: 'boots', title: 'Boots' },
  { path: 'sale', title: 'Sale' },
  { path: 'pricing', title: 'Pricing' },
];

/**
 * Fixed TCF v2.2 TC strings (made with @iabtcf/core, as test/consent/consent-fixtures.ts makes them): the
 * banner's "Accept" gives purposes 1, 3, 4 and vendor 755 (what the demo destinations need), "Refuse"
 * gives nothing.
 */
export const DEMO_TC = {
  accept: 'CP4bJcAP4ecYAAKADAENAHEgALAAAAAAAAqIF5wAQF5gAAAA.YAAAAAAAAAAA',
  refuse: 'CP4bJcAP4ecYAAKADAENAHEgAAAAAAAAAAqIAAAAAAAA.YAAAAAAAAAAA',
};

/** The CMP: `__tcfapi` answering from the visitor's choice (kept in localStorage), and the banner. */
const CMP = `(function () {
  var TC = ${JSON.stringify(DEMO_TC)};
  var choice = localStorage.getItem('demo_consent');
  var listeners = [];
  function data(status, id) {
    var yes = choice === 'accept';
    return { eventStatus: status, cmpStatus: 'loaded', gdprApplies: true, listenerId: id,
      tcString: choice ? TC[choice] : undefined,
      purpose: { consents: yes ? { 1: true, 3: true, 4: true } : {} } };
  }
  window.__tcfapi = function (command, version, callback, param) {
    if (command === 'addEventListener') {
      var id = listeners.length + 1;
      listeners.push({ id: id, callback: callback });
      callback(data(choice ? 'tcloaded' : 'cmpuishown', id), true);
    } else if (command === 'removeEventListener') {
      listeners = listeners.filter(function (l) { return l.id !== param; });
      callback(true);
    } else if (command === 'ping') callback({ gdprApplies: true, cmpLoaded: true }, true);
  };
  window.demoChoose = function (answer) {
    choice = answer;
    localStorage.setItem('demo_consent', answer);
    document.getElementById('banner').hidden = true;
    document.getElementById('consent').textContent = answer === 'accept' ? 'accepted' : 'refused';
    listeners.forEach(function (l) { l.callback(data('useractioncomplete', l.id), true); });
    // this page's auction ran before the choice: show the next one, under the choice made
    location.reload();
  };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('banner').hidden = choice !== null;
    document.getElementById('consent').textContent = choice === null ? 'not chosen yet' : choice === 'accept' ? 'accepted' : 'refused';
  });
})();`;

/** A stand-in for Google Publisher Tag (no request to Google): logs our key-values and the ad requests. */
export const DEMO_GPT = `(function () {
  var targeting = {};
  function show() {
    var text = Object.keys(targeting).map(function (k) { return k + '=' + targeting[k].join(','); }).join('; ');
    document.getElementById('gam').textContent = text || '(none)';
  }
  var pubads = {
    setTargeting: function (k, v) { targeting[k] = [].concat(v); show(); return pubads; },
    clearTargeting: function (k) { delete targeting[k]; show(); return pubads; },
    getTargeting: function (k) { return targeting[k] || []; },
    disableInitialLoad: function () { return pubads; },
    enableSingleRequest: function () { return pubads; },
    refresh: function () {
      var text = Object.keys(targeting).map(function (k) { return k + '=' + targeting[k].join(','); }).join('; ');
      document.getElementById('adrequest').textContent = 'ad request with key-values: ' + (text || '(none)');
    }
  };
  var gt = window.googletag;
  gt.pubads = function () { return pubads; };
  gt.defineSlot = function () { return { addService: function () { return this; } }; };
  gt.enableServices = function () {};
  gt.display = function () {};
  var queued = gt.cmd;
  gt.cmd = { push: function (fn) { fn(); } };
  gt.apiReady = true;
  queued.forEach(function (fn) { fn(); });
})();`;

/** The page's own script: the ad slot through GPT (first request after the auction), and Prebid. */
function adsScript(prebid: boolean): string {
  const gpt = `window.googletag = window.googletag || { cmd: [] };
googletag.cmd.push(function () {
  googletag.defineSlot('/1234/demo/top', [300, 250], 'ad').addService(googletag.pubads());
  googletag.pubads().disableInitialLoad();
  googletag.enableServices();
  googletag.display('ad');
});
function adRequest() { googletag.cmd.push(function () { googletag.pubads().refresh(); }); }`;
  if (!prebid) return `${gpt}\nadRequest();`;
  return `${gpt}
window.pbjs = window.pbjs || { que: [] };
pbjs.que.push(function () {
  pbjs.setConfig({ s2sConfig: [{ accountId: 'demo', enabled: true, adapter: 'prebidServer', bidders: ['demobidder'],
    endpoint: location.origin + '/demo/bidder/openrtb2/auction', syncEndpoint: location.origin + '/demo/bidder/cookie_sync', timeout: 1500 }] });
  pbjs.addAdUnits([{ code: 'ad', mediaTypes: { banner: { sizes: [[300, 250]] } }, bids: [{ bidder: 'demobidder', params: {} }] }]);
  pbjs.requestBids({ bidsBackHandler: function (bids) {
    var data = ((pbjs.getConfig('ortb2') || {}).user || {}).data || [];
    document.getElementById('prebid').textContent = JSON.stringify(data);
    var bid = ((bids.ad || {}).bids || [])[0];
    document.getElementById('bidder').textContent = bid ? bid.ad : '(no bid)';
    document.getElementById('ad').textContent = bid ? 'the ad of demobidder, who bid ' + bid.cpm.toFixed(2) + ' USD CPM' : 'no bid';
    adRequest();
  } });
});`;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:1em auto;padding:0 1em}
nav a{margin-right:1em}#banner{position:fixed;bottom:0;left:0;right:0;background:#223;color:#fff;padding:1em}
#banner button{font:inherit;margin-left:1em}dt{font-weight:bold}dd{margin:0 0 .5em 0;font-family:monospace}
#ad{width:300px;height:100px;border:1px dashed #999;padding:.5em}`;

/**
 * The HTML of one demo page: `section` undefined is the shop's home page. `prebid` says whether the
 * Prebid.js bundle can be served (the package is a devDependency: without it the page says so and the
 * ad request goes without an auction).
 */
export function demoPage(
  section: { path: string; title: string } | undefined,
  siteKey: string,
  prebid: boolean,
): string {
  const title = section === undefined ? 'Demo shop' : `${section.title}: demo shop`;
  const nav = [`<a href="/demo/">Home</a>`]
    .concat(DEMO_SECTIONS.map((s) => `<a href="/demo/${s.path}">${s.title}</a>`))
    .join('');
  const key = siteKey.replace(/[^\w-]/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style>
<script>${CMP}</script>
<script>window.opendmp = window.opendmp || [];</script>
<script async src="/tag.js" data-site="${key}" data-prebid="demo_prebid" data-gam="demo_gam" data-auction-delay="1000"></script>
<script>${adsScript(prebid)}</script>
<script async src="/demo/gpt.js"></script>
${prebid ? '<script async src="/demo/prebid.js"></script>' : ''}
</head><body>
<nav>${nav}</nav>
<h1>${title}</h1>
<p>Browse the sections: each page view is sent by the tag, and the segments of the sections you saw come
back to this page before the ad auction. <button onclick="opendmp.push(['event', 'add_to_basket', { section: '${section?.path ?? 'home'}' }])">Add to basket</button>
<a href="#" onclick="localStorage.removeItem('demo_consent'); document.getElementById('banner').hidden = false; return false">Privacy choices</a></p>
<div id="ad">ad slot</div>
<dl>
<dt>Consent</dt><dd id="consent"></dd>
<dt>Prebid ortb2.user.data</dt><dd id="prebid">${prebid ? '(waiting for the auction)' : 'Prebid.js is not installed here (it is a devDependency: run npm install), so there is no auction'}</dd>
<dt>The bidder received</dt><dd id="bidder">(no auction yet)</dd>
<dt>Ad Manager key-values</dt><dd id="gam">(none)</dd>
<dt>Ad request</dt><dd id="adrequest">(not yet)</dd>
</dl>
<div id="banner" hidden>This demo shop uses opendmp to learn what you browse and to show it to ad partners.
<button onclick="demoChoose('accept')">Accept</button><button onclick="demoChoose('refuse')">Refuse</button></div>
</body></html>`;
}
