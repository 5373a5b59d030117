import type { Device, Geo, UrlParts, Utm } from '../core/event.ts';
import type { GeoLookup } from './geo-lookup.ts';
import type { UserAgentParser } from './user-agent-parser.ts';
import { createLruCache } from './lru-cache.ts';
import { truncateIp } from './truncate-ip.ts';
import { urlParts, utmFromQuery } from './url-parts.ts';

/**
 * What the collector adds to an event: device from the user agent, place from the IP address (looked up
 * before the address is truncated), URL parts and UTM fields. Geo, device and URL-part objects are
 * cached: they are shared between events and frozen.
 *
 * Example:
 * ```ts
 * const enrich = createEnricher({ geo: await openGeo(), userAgent: createUserAgentParser(10_000) });
 * enrich.geo('81.2.69.160').country; // 'GB'
 * enrich.truncateIp('81.2.69.160'); // '81.2.69.0'
 * ```
 */
export interface Enricher {
  /** the device of a User-Agent header; `{}` when there is none or no parser */
  device(ua: string | undefined): Device;
  /** the place of a whole IP address; `{}` when unknown or when there is no database */
  geo(ip: string): Geo;
  /** the address with its host part zeroed (IPv4 /24, IPv6 /48); undefined when not an address */
  truncateIp(ip: string): string | undefined;
  /** the parts of an http(s) URL; undefined when it is not one */
  url(text: string): UrlParts | undefined;
  /** the UTM fields of a URL's query */
  utm(query: Readonly<Record<string, string>>): Utm;
}

/** The sources an `Enricher` draws on; either may be left out (then that enrichment gives `{}`). */
export interface EnricherParts {
  geo?: GeoLookup;
  userAgent?: UserAgentParser;
  /** how many distinct URLs to keep parsed (pages repeat a lot); default 10,000, 0 for none */
  urlCacheSize?: number;
}

const EMPTY: Readonly<Geo & Device> = Object.freeze({});

/**
 * Bundles the enrichment steps. Example: `createEnricher({})` enriches URLs only (no geo, no device),
 * which suits tests that are not about geo or device.
 */
export function createEnricher(parts: EnricherParts): Enricher {
  const { geo, userAgent, urlCacheSize = 10_000 } = parts;
  return {
    device: (ua) => (ua === undefined || userAgent === undefined ? EMPTY : userAgent(ua)),
    geo: (ip) => (geo === undefined ? EMPTY : geo.lookup(ip)),
    truncateIp,
    url: urlCacheSize > 0 ? cachedUrlParts(urlCacheSize) : urlParts,
    utm: utmFromQuery,
  };
}

function cachedUrlParts(size: number): (text: string) => UrlParts | undefined {
  const cache = createLruCache<string, UrlParts | null>(size);
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit ?? undefined;
    const parts = urlParts(text);
    if (parts !== undefined) {
      Object.freeze(parts.query);
      Object.freeze(parts);
    }
    cache.set(text, parts ?? null);
    return parts;
  };
}
