import type { Signals } from '../core/event.ts';
import type { RawDemoEvent } from './raw-demo-event.ts';
import type { VisitSchedule } from './visit-schedule.ts';
import { HAS_MAID, HAS_PARTNER_ID } from './visit-schedule.ts';
import { Prng, hash2 } from './prng.ts';
import { profileUid } from '../core/demo-uid.ts';
import { WeightedPicker, zipfWeights } from './sampling.ts';
import { drawVisitPlan } from './visit-plan.ts';
import type { Place } from './geo-table.ts';
import { PLACES, drawPlace } from './geo-table.ts';
import type { DemoDevice } from './device-table.ts';
import { DEVICES } from './device-table.ts';
import type { Campaign } from './site-map.ts';
import {
  CAMPAIGNS,
  COMMERCE_SECTIONS,
  ORGANIC_REFERRERS,
  PLANS,
  SITE_ORIGIN,
  URL_COUNT,
  pageForRank,
} from './site-map.ts';

/** Share of visits that arrive through a UTM campaign. */
export const CAMPAIGN_RATE = 0.2;
/** Share of visits made on the profile's other device, and from somewhere other than home. */
const OTHER_DEVICE_RATE = 0.05;
const AWAY_RATE = 0.02;
const EURO = new Set([
  'DE',
  'FR',
  'IE',
  'NL',
  'ES',
  'IT',
  'FI',
  'BE',
  'AT',
  'PT',
  'GR',
  'SK',
  'SI',
  'EE',
  'LV',
  'LT',
  'HR',
]);

const pagePicker = new WeightedPicker(zipfWeights(URL_COUNT, 1.1));
const referrerPicker = new WeightedPicker(ORGANIC_REFERRERS.map(([, w]) => w));
const pages = Array.from({ length: URL_COUNT }, (_, rank) => pageForRank(rank));
const pageUrls = pages.map((page) => SITE_ORIGIN + page.path);

/**
 * The events of one visit, in time order: its page views and, on 2% of visits, a purchase. The visit's
 * own generator is seeded from the schedule, so a visit comes out the same however the days are cut.
 * Example: `visitEvents(schedule, 7)` -> `[{ uid: "c-...", type: "pageview", ... }, ...]`
 */
export function visitEvents(s: VisitSchedule, visit: number): RawDemoEvent[] {
  const rng = new Prng(s.visitSeed[visit] as number);
  const plan = drawVisitPlan(rng);
  const profile = s.visitProfile[visit] as number;
  const start = s.visitStart[visit] as number;
  const uid = profileUid(s.seed, profile);
  const deviceIndex = rng.chance(OTHER_DEVICE_RATE) ? s.altDevice[profile] : s.device[profile];
  const device = { ...(DEVICES[deviceIndex as number] as DemoDevice) };
  const place = {
    ...(PLACES[rng.chance(AWAY_RATE) ? drawPlace(rng) : (s.place[profile] as number)] as Place),
  };
  const campaign = rng.chance(CAMPAIGN_RATE) ? rng.pick(CAMPAIGNS) : undefined;
  let referrer = campaign ? campaign.referrer : ORGANIC_REFERRERS[referrerPicker.draw(rng)]?.[0];
  const ids = profileIds(s, profile);
  const events: RawDemoEvent[] = [];
  for (let i = 0; i < plan.pageviews; i++) {
    const rank = pagePicker.draw(rng);
    const url = i === 0 && campaign ? pageUrl(rank) + utmQuery(campaign) : pageUrl(rank);
    const ts = start + (plan.offsets[i] as number);
    const event: RawDemoEvent = { uid, type: 'pageview', ts, url, geo: place, device };
    if (referrer !== undefined) event.referrer = referrer;
    const signals = pageSignals(rank);
    if (signals) event.signals = signals;
    if (i === 0 && ids) event.ids = ids;
    events.push(event);
    referrer = url;
  }
  if (plan.purchaseOffset >= 0) {
    const value = rng.range(500, 30_000) / 100;
    const currency = place.country === 'GB' ? 'GBP' : EURO.has(place.country) ? 'EUR' : 'USD';
    const signals: Signals = { value, currency, items: rng.range(1, 5) };
    const url = `${SITE_ORIGIN}/checkout/confirmation`;
    const ts = start + plan.purchaseOffset;
    events.push({ uid, type: 'purchase', ts, url, referrer: referrer ?? url, signals, geo: place, device });
  }
  return events;
}

function profileIds(s: VisitSchedule, profile: number): Record<string, string> | undefined {
  const flags = s.flags[profile] as number;
  if (flags === 0) return undefined;
  const ids: Record<string, string> = {};
  if (flags & HAS_MAID) ids.maid = uuid(hash2(s.seed ^ 0x6d616964, profile));
  if (flags & HAS_PARTNER_ID) ids.partner_ttd = uuid(hash2(s.seed ^ 0x74746421, profile));
  return ids;
}

function uuid(h: number): string {
  const a = hex8(h);
  const b = hex8(hash2(h, 1));
  const c = hex8(hash2(h, 2));
  const d = hex8(hash2(h, 3));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pageUrl(rank: number): string {
  return pageUrls[rank] as string;
}

function pageSignals(rank: number): Signals | undefined {
  const page = pages[rank];
  if (page === undefined) return undefined;
  if (COMMERCE_SECTIONS.has(page.section)) return { category: page.section };
  if (page.section === 'pricing') return { plan: PLANS[page.page % PLANS.length] as string };
  return undefined;
}

function utmQuery(c: Campaign): string {
  return `?utm_source=${c.source}&utm_medium=${c.medium}&utm_campaign=${c.campaign}`;
}
