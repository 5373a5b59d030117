import type { Prng } from './prng.ts';
import { geometric } from './sampling.ts';

/** Page views per visit: geometric with mean 4, capped so that a visit always lasts well under a day. */
export const PAGEVIEW_MEAN = 4;
export const MAX_PAGEVIEWS = 50;
/** Share of visits that end in a purchase. */
export const PURCHASE_RATE = 0.02;
const MIN_GAP_MS = 20_000;
const MAX_GAP_MS = 300_000;

/** The shape of one visit: how many events and how far apart. Its content is drawn afterwards. */
export interface VisitPlan {
  pageviews: number;
  /** ms from the visit's start to each page view; the first is 0 */
  offsets: number[];
  /** ms from the visit's start to the purchase, or -1 when the visit has none */
  purchaseOffset: number;
  /** ms from the first event to the last */
  duration: number;
}

/**
 * Draws the shape of a visit: page views a few minutes apart (20 s to 5 min), then a purchase on 2% of
 * visits. Always the first draws from a visit's own generator, so the schedule and the events agree.
 * Example: `drawVisitPlan(new Prng(visitSeed))` -> `{ pageviews: 3, offsets: [0, 61000, 200500], ... }`
 */
export function drawVisitPlan(rng: Prng): VisitPlan {
  const pageviews = geometric(rng, PAGEVIEW_MEAN, MAX_PAGEVIEWS);
  const offsets = [0];
  let t = 0;
  for (let i = 1; i < pageviews; i++) {
    t += rng.range(MIN_GAP_MS, MAX_GAP_MS);
    offsets.push(t);
  }
  const purchaseOffset = rng.chance(PURCHASE_RATE) ? t + rng.range(MIN_GAP_MS, MAX_GAP_MS) : -1;
  return { pageviews, offsets, purchaseOffset, duration: Math.max(t, purchaseOffset) };
}
