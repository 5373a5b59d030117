import { applyGam, applyPrebid, gamLimits, holdAuctions } from './adserver.ts';
import { ownScript, readConfig } from './config.ts';
import type { TagConfig } from './config.ts';
import type { ConsentState } from './consent.ts';
import { watchConsent } from './consent.ts';
import { guard, page } from './guard.ts';
import type { Signals, TagEvent } from './transport.ts';
import { cleanSignals, forgetId, pixelUrl, send, syncIds, targeting } from './transport.ts';

/**
 * opendmp's page tag (docs/tag.md): `<script async src="https://DMP/tag.js" data-site="SITEKEY"></script>`.
 * It replaces the page's `window.opendmp` queue with an object whose `push` runs commands at once, waits
 * for consent, sends page views (single-page apps' route changes too) and the page's events, and puts the
 * visitor's segments into Prebid.js and Google Ad Manager before their auctions.
 */

/** Events the page pushed before consent was known, kept until it is (at most this many). */
const MAX_PENDING = 50;

/** The state of one page's tag. */
interface Tag {
  cfg: TagConfig;
  consent: ConsentState;
  pending: TagEvent[];
  /** the URL of the last page view sent ('' : none yet) */
  viewed: string;
  /** whether the ID syncs were fired on this page */
  synced: boolean;
  /** whether segments of ours are on the page (to remove when consent goes) */
  applied: boolean;
  /** resolves when the visitor's segments are on the page (or known to be none) */
  ready: Promise<void>;
  settle: () => void;
}

function newReady(tag: Tag): void {
  tag.ready = new Promise((resolve) => (tag.settle = resolve));
}

/** Sends an event when consent allows, keeps it while consent is unknown, drops it when refused. */
function record(tag: Tag, e: TagEvent): Promise<void> {
  if (!tag.consent.ready) {
    if (tag.pending.length < MAX_PENDING) tag.pending.push(e);
    return Promise.resolve();
  }
  if (!tag.consent.collect) return Promise.resolve();
  if (e.type === 'pageview') tag.viewed = e.url;
  return send(pixelUrl(tag.cfg, tag.consent, e));
}

/** A page view of the current URL, then the visitor's segments (which it may have just changed). */
function pageView(tag: Tag, ref: string): void {
  const sent = record(tag, { type: 'pageview', url: location.href, ref });
  if (tag.consent.ready && tag.consent.collect) void sent.then(guard(() => refresh(tag)));
}

/**
 * Asks for the visitor's Prebid and Ad Manager targeting and applies it, when consent allows sharing;
 * fires the ID syncs once per page. Without that consent, removes what we had put on the page.
 */
function refresh(tag: Tag): void {
  const { cfg, consent } = tag;
  if (!consent.share) {
    if (tag.applied) {
      applyPrebid(cfg.pbjsGlobal, []);
      applyGam({});
      tag.applied = false;
    }
    tag.settle();
    return;
  }
  const none = Promise.resolve(undefined);
  void Promise.all([
    cfg.prebid === '' ? none : targeting(cfg, consent, cfg.prebid),
    cfg.gam === '' ? none : targeting(cfg, consent, cfg.gam),
  ]).then(
    guard(([prebid, gam]) => {
      if (!tag.consent.share) return;
      const data = prebid?.ortb2?.user?.data;
      if (cfg.prebid !== '') applyPrebid(cfg.pbjsGlobal, Array.isArray(data) ? data : []);
      if (cfg.gam !== '') applyGam(gamLimits(gam?.targeting ?? {}));
      tag.applied = true;
      tag.settle();
    }),
  );
  if (cfg.sync && !tag.synced) {
    tag.synced = true;
    syncIds(cfg, consent);
  }
}

/** What a new consent state changes: collection starts (with this page's view), or stops and forgets. */
function consentChanged(tag: Tag, next: ConsentState): void {
  const before = tag.consent;
  tag.consent = next;
  if (!next.ready) return;
  if (!next.collect) {
    tag.pending = [];
    // the DMP keeps consent as state: tell it of a withdrawal (it stores no event, only the refusal),
    // under the ID it knows, then forget the ID
    if (before.ready && before.collect) void send(pixelUrl(tag.cfg, next, event('consent')));
    forgetId();
    refresh(tag);
    return;
  }
  if (tag.viewed !== location.href) pageView(tag, document.referrer);
  else refresh(tag);
  const pending = tag.pending;
  tag.pending = [];
  for (const e of pending) void record(tag, e);
}

function event(type: string, signals?: Signals): TagEvent {
  return { type, url: location.href, ref: document.referrer, signals };
}

/** One command of `opendmp.push`: `["event", TYPE, {signals}]`; anything else is ignored. */
function run(tag: Tag, cmd: unknown): void {
  if (!Array.isArray(cmd) || cmd[0] !== 'event' || typeof cmd[1] !== 'string' || cmd[1] === '') return;
  void record(tag, event(cmd[1], cleanSignals(cmd[2])));
}

/** Page views for a single-page app's route changes (`history.pushState`, back and forward). */
function watchRoutes(tag: Tag): void {
  let last = location.href;
  const changed = guard(() => {
    if (location.href === last) return;
    const ref = last;
    last = location.href;
    // the next auctions wait for this route's segments (only when there will be some to wait for)
    if (tag.consent.ready && tag.consent.share) newReady(tag);
    pageView(tag, ref);
  });
  const push = history.pushState.bind(history);
  history.pushState = (...args: Parameters<History['pushState']>) => {
    const result = push(...args);
    setTimeout(changed, 0);
    return result;
  };
  addEventListener('popstate', () => setTimeout(changed, 0));
}

function start(): void {
  const queued = page.opendmp;
  if (queued !== undefined && !Array.isArray(queued)) return; // loaded twice: the first one runs
  const cfg = readConfig(ownScript());
  if (cfg === undefined) return;
  const tag: Tag = {
    cfg,
    consent: { ready: false, collect: false, share: false },
    pending: [],
    viewed: '',
    synced: false,
    applied: false,
    ready: Promise.resolve(),
    settle: () => undefined,
  };
  newReady(tag);
  const push = guard((cmd: unknown) => run(tag, cmd));
  page.opendmp = { push };
  // each part on its own: one that a hostile page breaks leaves the others working
  guard(() => holdAuctions(cfg.pbjsGlobal, cfg.auctionDelayMs, () => tag.ready))();
  guard(() => watchRoutes(tag))();
  const changed = guard((state: ConsentState) => consentChanged(tag, state));
  guard(() => watchConsent(cfg.consentTimeoutMs, cfg.gdpr, changed))();
  if (Array.isArray(queued)) for (const cmd of queued as unknown[]) push(cmd);
}

guard(start)();
