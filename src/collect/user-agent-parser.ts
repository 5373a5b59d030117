import UAParser from 'ua-parser-js';
import type { Device } from '../core/event.ts';
import { createLruCache } from './lru-cache.ts';

/** Turns a User-Agent header into a `Device`. Example: `parseUa('Mozilla/5.0 (iPhone; ...')` -> `{ type: 'mobile', os: 'iOS', browser: 'Mobile Safari' }`. */
export type UserAgentParser = (ua: string) => Device;

// Crawlers, monitors, headless browsers and HTTP libraries. ua-parser-js 1.x does not detect bots.
// `(?<!cu)` keeps the Cubot phone brand from counting as a bot.
const BOT =
  /(?<!cu)bot\b|crawl|spider|slurp|headless|lighthouse|pingdom|facebookexternalhit|mediapartners-google|bingpreview|phantomjs|puppeteer|playwright|selenium|python-requests|python-urllib|go-http-client|okhttp|java\/|curl\/|wget\/|httpclient|scrapy/i;

const TYPES: Readonly<Record<string, string>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'other',
  wearable: 'other',
  embedded: 'other',
  xr: 'other',
};

const EMPTY: Device = Object.freeze({});

/**
 * Makes a user-agent parser over ua-parser-js 1.x (MIT) with a cache of the last `cacheSize` distinct
 * agents (a site sees few). `type` is desktop, mobile, tablet, tv, bot or other: known crawlers and
 * headless browsers are `bot`, a browser without a device type is `desktop`, smart TVs are `tv`,
 * consoles, wearables and embedded devices are `other`, and an agent naming no browser is `other`.
 * The returned objects are frozen and shared between calls: do not change them.
 *
 * Example:
 * ```ts
 * const parseUa = createUserAgentParser(10_000);
 * parseUa('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').type; // 'bot'
 * ```
 */
export function createUserAgentParser(cacheSize: number): UserAgentParser {
  const cache = createLruCache<string, Device>(cacheSize);
  const parser = new UAParser();
  return (ua) => {
    if (ua === '') return EMPTY;
    const hit = cache.get(ua);
    if (hit !== undefined) return hit;
    parser.setUA(ua);
    const os = parser.getOS().name;
    const browser = parser.getBrowser().name;
    const deviceType = parser.getDevice().type;
    let type: string;
    if (BOT.test(ua)) type = 'bot';
    else if (deviceType !== undefined) type = TYPES[deviceType] ?? 'other';
    else type = browser !== undefined ? 'desktop' : 'other';
    const device: Device = { type };
    if (os !== undefined) device.os = os;
    if (browser !== undefined) device.browser = browser;
    Object.freeze(device);
    cache.set(ua, device);
    return device;
  };
}
