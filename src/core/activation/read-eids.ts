import { normaliseId } from '../ids/normalise-id.ts';
import { isObject } from './field-errors.ts';

/**
 * One usable extended ID of a bid request: `{ source, id }`, and `device` when its `atype` is 2 (AdCOM:
 * "in-app impressions, which will typically contain a type of device ID").
 *
 * Example: `{ source: 'id5-sync.com', id: 'ID5*x' }`
 */
export interface Eid {
  source: string;
  id: string;
  device?: true;
}

/**
 * Entries of `user.eids` / `user.ext.eids` and `user.data` that were not read because they are
 * malformed, counted the way Prebid Server warns about them. Example: `{ eids: 2, data: 0 }`
 */
export interface SkippedEntries {
  eids: number;
  data: number;
}

function readUids(source: string, uids: unknown[], skipped: SkippedEntries): Eid[] {
  const found: Eid[] = [];
  for (const uid of uids) {
    const id = isObject(uid) ? uid.id : undefined;
    if (typeof id !== 'string' || id === '') {
      skipped.eids++;
      continue;
    }
    if (isObject(uid) && uid.atype === 2) found.push({ source, id, device: true });
    else found.push({ source, id });
  }
  return found;
}

/**
 * The usable IDs of an `eids` array. Like Prebid Server, a malformed entry is skipped and counted, never
 * a reason to refuse the request: an eid that is not an object or has no `source` string, a `uids`
 * item without a non-empty `id` string, and an eid left with no usable `uids` each count once; so does
 * an `eids` that is not an array.
 *
 * Example:
 * ```ts
 * const skipped = { eids: 0, data: 0 };
 * readEids([{ source: 's', uids: [{ id: '' }, { id: 'a' }] }, { uids: [{ id: 'b' }] }], skipped);
 * // [{ source: 's', id: 'a' }]; skipped.eids === 2
 * ```
 */
export function readEids(value: unknown, skipped: SkippedEntries): Eid[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    skipped.eids++;
    return [];
  }
  const found: Eid[] = [];
  for (const eid of value as unknown[]) {
    const source = isObject(eid) ? eid.source : undefined;
    const uids = isObject(eid) ? eid.uids : undefined;
    if (typeof source !== 'string' || source === '' || !Array.isArray(uids)) {
      skipped.eids++;
      continue;
    }
    const read = readUids(source, uids as unknown[], skipped);
    if (read.length === 0) skipped.eids++;
    found.push(...read);
  }
  return found;
}

/**
 * Counts the malformed entries of `user.data` (already known to be an array): an entry that is not an
 * object, or whose `id` or `name` is not a string, or whose `segment` is not an array of objects. They
 * are left in the request as they came; enrichment only appends its own entry.
 *
 * Example: `malformedData([{ id: 'x', segment: [{ id: '1' }] }, 42, { segment: 'a' }])` -> `2`
 */
export function malformedData(data: readonly unknown[]): number {
  let count = 0;
  for (const entry of data) {
    if (!isObject(entry)) count++;
    else if (!optionalString(entry.id) || !optionalString(entry.name)) count++;
    else if (entry.segment !== undefined && !isObjectArray(entry.segment)) count++;
  }
  return count;
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isObjectArray(value: unknown): boolean {
  return Array.isArray(value) && (value as unknown[]).every(isObject);
}

/** The device ID an eid names, in the form it is kept (`maid`); undefined when it names none. */
export function deviceIdOf(eid: Eid): string | undefined {
  return eid.device === true ? normaliseId('maid', eid.id) : undefined;
}
