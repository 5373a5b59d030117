import type { Consent } from '../event.ts';
import type { JsonObject } from './field-errors.ts';
import { isObject } from './field-errors.ts';
import { normaliseId } from '../ids/normalise-id.ts';
import type { Eid, SkippedEntries } from './read-eids.ts';
import { malformedData, readEids } from './read-eids.ts';

/**
 * An OpenRTB 2.5 or 2.6 BidRequest as received: only what enrichment touches is typed, everything else
 * is kept as it came.
 *
 * Example: `{ id: 'req-1', imp: [{ id: '1', banner: { w: 300, h: 250 } }], user: { id: 'u-9' } }`
 */
export interface BidRequest {
  id: string;
  imp: unknown[];
  user?: { data?: unknown[]; [field: string]: unknown };
  [field: string]: unknown;
}

/**
 * The IDs a bid request carries for its visitor. `eids` are flattened to one entry per `uids` item.
 *
 * Example: `{ uid: 'exch-77', buyeruid: 'c-123', eids: [{ source: 'id5-sync.com', id: 'ID5*x' }],
 *   ifa: '6d92078a-8246-4ba4-ae5b-76104861e7dc' }`
 */
export interface VisitorIds {
  /** `user.id`: the exchange's ID for the visitor */
  uid?: string;
  /** `user.buyeruid`: the buyer's (our) ID, as learnt by ID sync */
  buyeruid?: string;
  /** `user.eids` (2.6) then `user.ext.eids` (2.5) */
  eids: Eid[];
  /** `device.ifa` in the form it is kept (`normaliseId`); the all-zero ID of a device that limits ad
   * tracking counts as none */
  ifa?: string;
}

/**
 * A bid request read: its visitor, its consent (the collector's `Consent` shape) and its OpenRTB
 * version as far as can be told; or why it could not be read.
 *
 * Example: `{ ok: false, reason: 'regs.gdpr must be 0 or 1' }`
 */
export type BidRequestRead =
  | {
      ok: true;
      request: BidRequest;
      visitorIds: VisitorIds;
      consent: Consent;
      version: '2.5' | '2.6';
      /** malformed `eids` and `user.data` entries, skipped (not read) and counted */
      skipped: SkippedEntries;
    }
  | { ok: false; reason: string };

/** Thrown inside the reader only, and turned into `{ ok: false }` at its boundary. */
class ShapeError extends Error {}

function objectAt(parent: JsonObject | undefined, key: string, path: string): JsonObject | undefined {
  const value = parent?.[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ShapeError(`${path} must be an object`);
  return value;
}

/** A non-empty string, or undefined when absent or empty. */
function stringAt(parent: JsonObject | undefined, key: string, path: string): string | undefined {
  const value = parent?.[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${path} must be a string`);
  return value;
}

function gdprAt(parent: JsonObject | undefined, path: string): 0 | 1 | undefined {
  const value = parent?.gdpr;
  if (value === undefined || value === null) return undefined;
  if (value !== 0 && value !== 1) throw new ShapeError(`${path} must be 0 or 1`);
  return value;
}

function gppSidAt(regs: JsonObject | undefined): number[] | undefined {
  const value = regs?.gpp_sid;
  if (value === undefined || value === null) return undefined;
  const valid =
    Array.isArray(value) && (value as unknown[]).every((n) => typeof n === 'number' && Number.isInteger(n));
  if (!valid) throw new ShapeError('regs.gpp_sid must be an array of integers');
  return value as number[];
}

const ZERO_IFA = /^[0-]+$/;

function read(json: unknown): BidRequestRead {
  if (!isObject(json)) return { ok: false, reason: 'a bid request must be a JSON object' };
  if (typeof json.id !== 'string' || json.id === '')
    return { ok: false, reason: 'id must be a non-empty string' };
  if (!Array.isArray(json.imp) || json.imp.length === 0)
    return { ok: false, reason: 'imp must be a non-empty array' };
  const user = objectAt(json, 'user', 'user');
  const userExt = objectAt(user, 'ext', 'user.ext');
  if (user?.data !== undefined && !Array.isArray(user.data))
    return { ok: false, reason: 'user.data must be an array' };
  const regs = objectAt(json, 'regs', 'regs');
  const regsExt = objectAt(regs, 'ext', 'regs.ext');
  const device = objectAt(json, 'device', 'device');

  const skipped: SkippedEntries = { eids: 0, data: 0 };
  if (Array.isArray(user?.data)) skipped.data = malformedData(user.data);
  const visitorIds: VisitorIds = {
    eids: dedupe([...readEids(user?.eids, skipped), ...readEids(userExt?.eids, skipped)]),
  };
  const uid = stringAt(user, 'id', 'user.id');
  const buyeruid = stringAt(user, 'buyeruid', 'user.buyeruid');
  const ifa = stringAt(device, 'ifa', 'device.ifa');
  if (uid !== undefined) visitorIds.uid = uid;
  if (buyeruid !== undefined) visitorIds.buyeruid = buyeruid;
  if (ifa !== undefined && !ZERO_IFA.test(ifa)) visitorIds.ifa = normaliseId('maid', ifa);

  const consent: Consent = {};
  const gdpr = gdprAt(regs, 'regs.gdpr') ?? gdprAt(regsExt, 'regs.ext.gdpr');
  const tcf = stringAt(user, 'consent', 'user.consent') ?? stringAt(userExt, 'consent', 'user.ext.consent');
  const usp =
    stringAt(regs, 'us_privacy', 'regs.us_privacy') ?? stringAt(regsExt, 'us_privacy', 'regs.ext.us_privacy');
  const gpp = stringAt(regs, 'gpp', 'regs.gpp');
  const gppSid = gppSidAt(regs);
  const gpc = regsExt?.gpc;
  if (gdpr !== undefined) consent.gdpr = gdpr;
  if (tcf !== undefined) consent.tcf = tcf;
  if (usp !== undefined) consent.usp = usp;
  if (gpp !== undefined) consent.gpp = gpp;
  if (gppSid !== undefined) consent.gppSid = gppSid;
  if (gpc === '1' || gpc === 1) consent.gpc = true;

  const version = versionOf(json, user, regs);
  return { ok: true, request: json as BidRequest, visitorIds, consent, version, skipped };
}

function dedupe(eids: Eid[]): Eid[] {
  const seen = new Set<string>();
  return eids.filter((e) => {
    const key = `${e.source}\n${e.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** 2.6 moved consent, privacy and eids out of `ext`; a request that uses any of them is 2.6. */
function versionOf(json: JsonObject, user?: JsonObject, regs?: JsonObject): '2.5' | '2.6' {
  const topLevel26 = [regs?.gdpr, regs?.us_privacy, regs?.gpp, regs?.gpp_sid, user?.consent, user?.eids];
  if (topLevel26.some((v) => v !== undefined)) return '2.6';
  if (isObject(json.source) && json.source.schain !== undefined) return '2.6';
  return '2.5';
}

/**
 * Reads an untrusted OpenRTB 2.5 or 2.6 bid request: the visitor's IDs (`user.id`, `user.buyeruid`,
 * `user.eids` / `user.ext.eids`, `device.ifa`) and consent (`regs.gdpr` / `regs.ext.gdpr`,
 * `user.consent` / `user.ext.consent`, `regs.us_privacy` / `regs.ext.us_privacy`, `regs.gpp`,
 * `regs.gpp_sid`, and Prebid's `regs.ext.gpc`). Where both are given the 2.6 top-level field wins.
 * The version is 2.6 when any 2.6 top-level field (or `source.schain`) is used, else 2.5. Malformed
 * `eids` and `user.data` entries are skipped and counted (`skipped`), as Prebid Server does; the device
 * IFA is read in the form it is kept (lower-case canonical UUID). Never throws.
 *
 * Example:
 * ```ts
 * readBidRequest({ id: 'r1', imp: [{ id: '1' }], user: { buyeruid: 'c-123', ext: { consent: 'CQ...' } },
 *   regs: { ext: { gdpr: 1 } } });
 * // { ok: true, visitorIds: { buyeruid: 'c-123', eids: [] }, consent: { gdpr: 1, tcf: 'CQ...' }, version: '2.5',
//   skipped: { eids: 0, data: 0 }, request }
 * ```
 */
export function readBidRequest(json: unknown): BidRequestRead {
  try {
    return read(json);
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}
