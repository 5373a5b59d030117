import type { Device, Geo } from '../core/event.ts';
import { kindOf, showValue, unknownFieldsMessage } from './describe-value.ts';
import { isObject, type Checked } from './event-checks.ts';

const COUNTRY = /^[A-Z]{2}$/;
const DEVICE_TYPES: ReadonlySet<string> = new Set(['desktop', 'mobile', 'tablet', 'tv', 'bot', 'other']);
const GEO_FIELDS = ['country', 'region', 'city'];
const DEVICE_FIELDS = ['type', 'os', 'browser'];
const MAX_NAME = 128;

function checkName(value: unknown, path: string): Checked<string> {
  if (typeof value !== 'string')
    return { ok: false, error: `${path}: expected a string, got ${kindOf(value)}` };
  if (value.length === 0 || value.length > MAX_NAME) {
    return { ok: false, error: `${path}: must be 1 to ${MAX_NAME} characters` };
  }
  return { ok: true, value };
}

/**
 * A place sent by a trusted (API key) sender, which replaces the IP lookup: `country` ISO 3166-1
 * alpha-2 in capitals, `region` (ISO 3166-2 preferred) and `city` as text. Example:
 * `checkGeo({ country: 'GB', city: 'London' }, 'events[0].geo')` -> `{ ok: true, value: { country: 'GB', city: 'London' } }`.
 */
export function checkGeo(value: unknown, path: string): Checked<Geo> {
  if (!isObject(value))
    return { ok: false, error: `${path}: expected an object like {"country": "GB"}, got ${kindOf(value)}` };
  const geo: Geo = {};
  const unknown: string[] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    if (key === 'country') {
      if (typeof item !== 'string' || !COUNTRY.test(item)) {
        return {
          ok: false,
          error: `${path}.country: ${showValue(item)} is not an ISO 3166-1 alpha-2 code like "GB"`,
        };
      }
      geo.country = item;
    } else if (key === 'region' || key === 'city') {
      const checked = checkName(item, `${path}.${key}`);
      if (!checked.ok) return checked;
      geo[key] = checked.value;
    } else unknown.push(key);
  }
  if (unknown.length > 0) return { ok: false, error: unknownFieldsMessage(path, unknown, GEO_FIELDS) };
  return { ok: true, value: geo };
}

/**
 * A device sent by a trusted (API key) sender, which replaces user-agent parsing: `type` one of desktop,
 * mobile, tablet, tv, bot, other; `os` and `browser` as text. Example:
 * `checkDevice({ type: 'tv' }, 'events[0].device')` -> `{ ok: true, value: { type: 'tv' } }`.
 */
export function checkDevice(value: unknown, path: string): Checked<Device> {
  if (!isObject(value))
    return { ok: false, error: `${path}: expected an object like {"type": "mobile"}, got ${kindOf(value)}` };
  const device: Device = {};
  const unknown: string[] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    if (key === 'type') {
      if (typeof item !== 'string' || !DEVICE_TYPES.has(item)) {
        return {
          ok: false,
          error: `${path}.type: ${showValue(item)} is not one of ${[...DEVICE_TYPES].join(', ')}`,
        };
      }
      device.type = item;
    } else if (key === 'os' || key === 'browser') {
      const checked = checkName(item, `${path}.${key}`);
      if (!checked.ok) return checked;
      device[key] = checked.value;
    } else unknown.push(key);
  }
  if (unknown.length > 0) return { ok: false, error: unknownFieldsMessage(path, unknown, DEVICE_FIELDS) };
  return { ok: true, value: device };
}

/**
 * The `geo` an event carries: refused unless the sender is trusted (an API key; a public site key may
 * not override enrichment), else checked (`checkGeo`).
 * Example: `checkSentGeo({ country: 'GB' }, 'events[0].geo', true)` -> `{ ok: true, value: { country: 'GB' } }`.
 */
export function checkSentGeo(value: unknown, path: string, trusted: boolean): Checked<Geo> {
  return trusted ? checkGeo(value, path) : untrusted(path, 'geo', 'IP address');
}

/** The `device` an event carries: like `checkSentGeo`, checked by `checkDevice`. */
export function checkSentDevice(value: unknown, path: string, trusted: boolean): Checked<Device> {
  return trusted ? checkDevice(value, path) : untrusted(path, 'device', 'User-Agent');
}

function untrusted(path: string, field: string, source: string): { ok: false; error: string } {
  return {
    ok: false,
    error: `${path}: only server-to-server requests with the API key may send ${field}; leave it out and it is derived from the ${source}`,
  };
}
