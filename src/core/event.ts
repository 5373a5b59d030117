/**
 * The shape of an event after the collector has validated and enriched it. This is what the event log
 * stores, what trait rules are tested against, and what profiles are built from.
 *
 * Example: a page view of https://shop.example.com/pricing?utm_source=news from London on an iPhone:
 * `{ uid: "c-123", ids: {}, type: "pageview", ts: 1763632800000,
 *    url: { href: "https://shop.example.com/pricing?utm_source=news", host: "shop.example.com",
 *           path: "/pricing", query: { utm_source: "news" } },
 *    utm: { source: "news" }, signals: {}, geo: { country: "GB", region: "GB-ENG", city: "London" },
 *    device: { type: "mobile", os: "iOS", browser: "Mobile Safari" }, ip: "81.2.69.0" }`
 */
export type SignalValue = string | number | boolean;
export type Signals = Record<string, SignalValue | SignalValue[]>;

/** Consent as received, stored unchanged; its meaning is decided by the privacy policy. */
export interface Consent {
  gdpr?: 0 | 1;
  tcf?: string;
  usp?: string;
  gpp?: string;
  gppSid?: number[];
  /** the browser's Global Privacy Control header (`Sec-GPC: 1`) */
  gpc?: boolean;
}

export interface UrlParts {
  href: string;
  host: string;
  path: string;
  query: Record<string, string>;
}

export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface Geo {
  /** ISO 3166-1 alpha-2, e.g. "GB" */
  country?: string;
  /** ISO 3166-2, e.g. "GB-ENG" */
  region?: string;
  city?: string;
}

export interface Device {
  /** desktop, mobile, tablet, tv, bot or other */
  type?: string;
  os?: string;
  browser?: string;
}

export interface CollectedEvent {
  /**
   * the sender's own ID of the event (1 to 128 characters, unique per tenant for its sender): a retry
   * with an ID already accepted inside the deduplication window is acknowledged and not applied again
   */
  id?: string;
  /** the profile's primary ID: the event's `uid`, or `TYPE:VALUE` of its first entry of `ids` */
  uid: string;
  /** other IDs by type, e.g. `{ maid: "6d92..." }` */
  ids: Record<string, string>;
  /** pageview, click, purchase or any custom name */
  type: string;
  /** event time, epoch milliseconds */
  ts: number;
  url?: UrlParts;
  referrer?: { href: string; host: string };
  utm: Utm;
  signals: Signals;
  geo: Geo;
  device: Device;
  /** the IP address after truncation (IPv4 /24, IPv6 /48); never the whole address */
  ip?: string;
  consent?: Consent;
}
