import { isObject } from '../activation/field-errors.ts';
import { readEids } from '../activation/read-eids.ts';
import type { SkippedEntries } from '../activation/read-eids.ts';
import { checkId, checkIdType } from './id-types.ts';

/**
 * The ID type each well-known OpenRTB `eids` source is kept as, unless the tenant says otherwise
 * (sources as Prebid's User ID modules send them). A source not in the mapping is not read.
 *
 * Example: `DEFAULT_EIDS_SOURCES['adserver.org']` -> `'tdid'` (The Trade Desk's Unified ID 1.0)
 */
export const DEFAULT_EIDS_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  'liveramp.com': 'liveramp', // RampID (ATS)
  'adserver.org': 'tdid', // The Trade Desk Unified ID 1.0
  'id5-sync.com': 'id5',
  'uidapi.com': 'uid2', // Unified ID 2.0 tokens (they rotate: see README.md)
  'euid.eu': 'euid', // European Unified ID
  'criteo.com': 'criteo',
  'pubcid.org': 'pubcid', // SharedID (Prebid's first-party ID)
  'liveintent.com': 'liveintent',
  'netid.de': 'netid',
  'intentiq.com': 'intentiq',
  'crwdcntrl.net': 'lotame', // Lotame Panorama ID
  'yahoo.com': 'connectid', // Yahoo ConnectID
});

/** The most overrides a tenant may set. */
export const MAX_EIDS_OVERRIDES = 200;
/** The most `eids` entries read from one array; the rest are counted as skipped. */
export const MAX_EIDS = 64;
/** The most `uids` read from one `eids` entry; the rest are counted as skipped. */
export const MAX_UIDS_PER_EID = 16;
/** The most errors `idsFromEids` keeps (the rest are only counted). */
const MAX_ERRORS = 10;

const SOURCE =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
/** Types an eids source may not be read as: our own cookie ID, and clear personal data. */
const NOT_FROM_EIDS: ReadonlySet<string> = new Set(['uid', 'email', 'phone']);

/** An eids source -> ID type mapping (sources lower-case). Example: `new Map([['id5-sync.com', 'id5']])` */
export type EidsMapping = ReadonlyMap<string, string>;

/** The mapping, or every error of the tenant's overrides (each naming the source at fault). */
export type EidsMappingResult = { ok: true; mapping: EidsMapping } | { ok: false; errors: string[] };

/**
 * The tenant's mapping: the defaults with the tenant's overrides merged in. An override is
 * `{ "source": "type" }` (adds or changes a source) or `{ "source": null }` (stops reading a default
 * source). Sources are domains, compared in lower case; types must pass `checkIdType` and may not be
 * `uid` (only our cookie sets it), `email` or `phone` (clear personal data). Never throws.
 *
 * Example:
 * ```ts
 * mergeEidsSources({ 'adserver.org': null, 'Example-ID.com': 'pub_id' });
 * // { ok: true, mapping: Map { 'liveramp.com' => 'liveramp', ..., 'example-id.com' => 'pub_id' } } (no adserver.org)
 * ```
 */
export function mergeEidsSources(
  overrides: unknown,
  defaults: Readonly<Record<string, string>> = DEFAULT_EIDS_SOURCES,
): EidsMappingResult {
  const mapping = new Map(Object.entries(defaults));
  if (overrides === undefined || overrides === null) return { ok: true, mapping };
  if (!isObject(overrides)) {
    return {
      ok: false,
      errors: ['eids sources must be an object of source -> ID type (or null to drop one)'],
    };
  }
  const entries = Object.entries(overrides);
  if (entries.length > MAX_EIDS_OVERRIDES) {
    return {
      ok: false,
      errors: [`at most ${MAX_EIDS_OVERRIDES} eids sources may be set, not ${entries.length}`],
    };
  }
  const errors: string[] = [];
  for (const [rawSource, type] of entries) {
    const source = rawSource.trim().toLowerCase();
    const at = `eids source ${JSON.stringify(rawSource.slice(0, 80))}`;
    if (!SOURCE.test(source)) {
      errors.push(`${at}: a source is a domain name such as "id5-sync.com"`);
      continue;
    }
    if (type === null) {
      mapping.delete(source);
      continue;
    }
    const checked = checkIdType(type);
    if (!checked.ok) {
      errors.push(`${at}: ${checked.error}`);
    } else if (NOT_FROM_EIDS.has(checked.type)) {
      errors.push(
        checked.type === 'uid'
          ? `${at}: uid is our own cookie ID and is never read from a bid request; pick another ID type`
          : `${at}: ${checked.type} would hold clear personal data; map the source to ${checked.type}_sha256`,
      );
    } else {
      mapping.set(source, checked.type);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mapping };
}

/**
 * An ID read from `eids`: its type (by the mapping), its value in the kept form, and the source it came
 * under. Example: `{ type: 'id5', value: 'ID5*abc', source: 'id5-sync.com' }`
 */
export interface SourcedId {
  type: string;
  value: string;
  source: string;
}

/**
 * What `idsFromEids` read: the IDs (deduplicated by type and value, in the order met), the number of
 * entries skipped (malformed, over the caps, or refused by `checkId`), the number of uids under sources
 * the mapping does not name, and the first few `checkId` errors (for debugging).
 *
 * Example: `{ ids: [{ type: 'tdid', value: 'abc', source: 'adserver.org' }], skipped: 1, unmapped: 2, errors: [] }`
 */
export interface EidsIds {
  ids: SourcedId[];
  skipped: number;
  unmapped: number;
  errors: string[];
}

/** `value` with at most `MAX_EIDS` entries of at most `MAX_UIDS_PER_EID` uids each; what is cut is counted. */
function capped(value: unknown, skipped: SkippedEntries): unknown {
  if (!Array.isArray(value)) return value;
  const all = value as unknown[];
  if (all.length > MAX_EIDS) skipped.eids += all.length - MAX_EIDS;
  return all.slice(0, MAX_EIDS).map((eid) => {
    if (!isObject(eid) || !Array.isArray(eid.uids) || eid.uids.length <= MAX_UIDS_PER_EID) return eid;
    const uids = eid.uids as unknown[];
    skipped.eids += uids.length - MAX_UIDS_PER_EID;
    return { source: eid.source, uids: uids.slice(0, MAX_UIDS_PER_EID) };
  });
}

/**
 * The IDs of an OpenRTB `eids` array (`user.eids` in 2.6, `user.ext.eids` in 2.5:
 * `[{ source, uids: [{ id, atype }] }]`), typed by the mapping and checked with `checkId`. Hostile
 * input never throws: a value that is not an array, a malformed entry, a non-string or empty `id`, and
 * entries past `MAX_EIDS` (or uids past `MAX_UIDS_PER_EID`) are skipped and counted; so is an ID its
 * type refuses (a `maid` that is not a UUID, ...). Reading reuses the activation core's `readEids`.
 *
 * Example:
 * ```ts
 * idsFromEids([{ source: 'adserver.org', uids: [{ id: 'abc', atype: 1 }] }, { source: 'x.com', uids: [{ id: 'y' }] }],
 *   DEFAULT_EIDS_MAPPING);
 * // { ids: [{ type: 'tdid', value: 'abc', source: 'adserver.org' }], skipped: 0, unmapped: 1, errors: [] }
 * ```
 */
export function idsFromEids(eids: unknown, mapping: EidsMapping): EidsIds {
  const out: EidsIds = { ids: [], skipped: 0, unmapped: 0, errors: [] };
  addEids(out, eids, mapping, new Set());
  return out;
}

function addEids(out: EidsIds, eids: unknown, mapping: EidsMapping, seen: Set<string>): void {
  const skipped: SkippedEntries = { eids: 0, data: 0 };
  for (const eid of readEids(capped(eids, skipped), skipped)) {
    const source = eid.source.trim().toLowerCase();
    const type = mapping.get(source);
    if (type === undefined) {
      out.unmapped++;
      continue;
    }
    const checked = checkId(type, eid.id);
    if (!checked.ok) {
      out.skipped++;
      if (out.errors.length < MAX_ERRORS) out.errors.push(`${source}: ${checked.error}`);
      continue;
    }
    const key = `${type}\u0000${checked.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.ids.push({ type, value: checked.id, source });
  }
  out.skipped += skipped.eids;
}

/**
 * The IDs of an OpenRTB `user` object's `eids` (2.6) and `ext.eids` (2.5), read as `idsFromEids` reads
 * each (each array capped on its own), deduplicated across both.
 *
 * Example: `idsFromUser(request.user, mapping)` -> `{ ids: [...], skipped: 0, unmapped: 0, errors: [] }`
 */
export function idsFromUser(user: unknown, mapping: EidsMapping): EidsIds {
  const out: EidsIds = { ids: [], skipped: 0, unmapped: 0, errors: [] };
  if (!isObject(user)) return out;
  const seen = new Set<string>();
  addEids(out, user.eids, mapping, seen);
  if (isObject(user.ext)) addEids(out, user.ext.eids, mapping, seen);
  return out;
}

/**
 * The default mapping as an `EidsMapping` (what `mergeEidsSources(undefined)` gives).
 *
 * Example: `DEFAULT_EIDS_MAPPING.get('id5-sync.com')` -> `'id5'`
 */
export const DEFAULT_EIDS_MAPPING: EidsMapping = new Map(Object.entries(DEFAULT_EIDS_SOURCES));
