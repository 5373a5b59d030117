import type { Signals } from '../core/event.ts';

/**
 * One generated event, exactly as `POST /v1/events` takes it from a server authorised by an API key:
 * `geo` and `device` are given directly, so the collector needs no IP address or user agent.
 *
 * Example:
 * `{ uid: "c-1a2b3c4d0", type: "pageview", ts: 1763632800000,
 *    url: "https://shop.example.com/pricing/page-0?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale",
 *    referrer: "https://www.google.com/", signals: { plan: "pro" },
 *    geo: { country: "GB", region: "GB-ENG", city: "London" },
 *    device: { type: "mobile", os: "iOS", browser: "Mobile Safari" } }`
 */
export interface RawDemoEvent {
  uid: string;
  /** `pageview` or `purchase` */
  type: string;
  /** epoch milliseconds */
  ts: number;
  url: string;
  referrer?: string;
  signals?: Signals;
  geo: { country: string; region: string; city: string };
  device: { type: string; os: string; browser: string };
  /** on the first event of a visit of a profile that has other IDs, e.g. `{ maid: "..." }` */
  ids?: Record<string, string>;
}
