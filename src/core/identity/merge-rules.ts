import { DEVICE_ID_TYPES } from '../ids/normalise-id.ts';

/**
 * One ID of a profile and when it was last learnt (epoch ms; a value that is not finite counts as 0,
 * the oldest).
 *
 * Example: `{ type: 'maid', value: '6d92078a-8246-4ba4-ae5b-76104861e7dc', learntAt: 1763600000000 }`
 */
export interface LinkedId {
  type: string;
  value: string;
  learntAt: number;
}

/**
 * A profile as the merge rules see it: its key, when it was first seen (epoch ms) and its IDs.
 *
 * Example: `{ key: 'p-17', firstSeen: 1760000000000, ids: [{ type: 'uid', value: 'c-1', learntAt: 1760000000000 }] }`
 */
export interface ProfileIds {
  key: string;
  firstSeen: number;
  ids: readonly LinkedId[];
}

/**
 * The most IDs of one type a profile keeps: `perType` for the types named, `otherwise` for the rest
 * (partner and eids types). Caps are whole numbers of at least 1.
 *
 * Example: `{ perType: { maid: 5, uid: 10 }, otherwise: 3 }`
 */
export interface IdCaps {
  perType: Readonly<Record<string, number>>;
  otherwise: number;
}

/**
 * The caps unless the tenant sets others: 10 cookies (`uid`: browsers and cleared cookies of one
 * person), 5 device IDs (`maid`: phones, tablets, resets), 5 e-mail hashes, 3 phone hashes, 2 CRM IDs,
 * and 3 IDs of any other type (a partner's IDs for the visitor's browsers).
 *
 * Example: `capFor('maid', DEFAULT_ID_CAPS)` -> 5
 */
export const DEFAULT_ID_CAPS: IdCaps = Object.freeze({
  perType: Object.freeze({ uid: 10, maid: 5, email_sha256: 5, phone_sha256: 3, crm: 2 }),
  otherwise: 3,
});

/**
 * The most IDs of all types one profile keeps (oldest out first, after the caps per type): beyond the
 * sum of the default caps of our own types (25), room for a few IDs each of a dozen partners, so that a
 * shared device or a bad join cannot grow one profile without end.
 */
export const DEFAULT_IDS_PER_PROFILE = 64;

/**
 * The cap of a type (at least 1; `Infinity` is no cap). Example: `capFor('ssp_a', DEFAULT_ID_CAPS)` -> 3
 */
export function capFor(type: string, caps: IdCaps): number {
  const cap = Object.hasOwn(caps.perType, type) ? caps.perType[type]! : caps.otherwise;
  return Number.isNaN(cap) ? 1 : Math.max(1, Math.floor(cap));
}

/**
 * Whether an ID of a type may assert that two of our profiles are one person (merge them), or may
 * only be attached to a profile. Example: `{ allowed: false, reason: 'ssp_a is a partner or ... ID' }`
 */
export interface LinkDecision {
  allowed: boolean;
  reason: string;
}

const LINKING_TYPES: Readonly<Record<string, string>> = {
  uid: 'our first-party cookie ID names one browser',
  email_sha256: 'a login e-mail hash names one person',
  phone_sha256: 'a login phone hash names one person',
  crm: "the tenant's customer ID names one customer",
};

/**
 * May an ID of this type merge two of our profiles? Yes for the deterministic first-party IDs: `uid`,
 * the login hashes (`email_sha256`, `phone_sha256`) and `crm`. A device ID (`maid` and its aliases)
 * only when seen with our cookie in the same first-party event (`withCookie`: an app's web view or
 * SDK): from a bid request or a partner alone it is not proof. Partner IDs and eids types (`ssp_a`,
 * `id5`, `tdid`, ...) never merge: two of our profiles with the same partner ID stay apart; the ID is
 * only attached.
 *
 * Example: `mayLink('crm')` -> `{ allowed: true, reason: "the tenant's customer ID names one customer" }`;
 * `mayLink('maid')` -> `{ allowed: false, ... }`; `mayLink('maid', { withCookie: true })` -> `{ allowed: true, ... }`
 */
export function mayLink(type: string, context: { withCookie?: boolean } = {}): LinkDecision {
  if (Object.hasOwn(LINKING_TYPES, type)) return { allowed: true, reason: LINKING_TYPES[type]! };
  if (DEVICE_ID_TYPES.has(type)) {
    return context.withCookie === true
      ? { allowed: true, reason: `a ${type} seen with our cookie in one first-party event names that device` }
      : {
          allowed: false,
          reason: `a ${type} without our cookie in the same event (from a bid request or a partner) may only attach`,
        };
  }
  return {
    allowed: false,
    reason: `${type} is a partner or third-party ID: it attaches to a profile but never merges two`,
  };
}

function finite(time: number): number {
  return Number.isFinite(time) ? time : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical order of IDs: by type, then newest first, then by value (code unit order). */
function canonical(a: LinkedId, b: LinkedId): number {
  return compareText(a.type, b.type) || b.learntAt - a.learntAt || compareText(a.value, b.value);
}

/** IDs kept within the caps, and those dropped (each in canonical order). */
export interface CappedIds {
  ids: LinkedId[];
  dropped: LinkedId[];
}

/**
 * One profile's IDs within the caps: duplicates (same type and value) become one, with the latest
 * `learntAt`; then, per type, the newest IDs are kept up to the type's cap and the oldest dropped
 * (ties by value). Both lists are in canonical order (type, newest first, value), so the outcome does
 * not depend on the input order.
 *
 * Example:
 * ```ts
 * applyIdCaps([{ type: 'maid', value: 'a', learntAt: 1 }, { type: 'maid', value: 'b', learntAt: 2 }],
 *   { perType: { maid: 1 }, otherwise: 3 });
 * // { ids: [{ type: 'maid', value: 'b', learntAt: 2 }], dropped: [{ type: 'maid', value: 'a', learntAt: 1 }] }
 * ```
 */
export function applyIdCaps(ids: readonly LinkedId[], caps: IdCaps): CappedIds {
  const unique = new Map<string, LinkedId>();
  for (const id of ids) {
    const key = `${id.type}\u0000${id.value}`;
    const learntAt = finite(id.learntAt);
    const known = unique.get(key);
    if (known === undefined || learntAt > known.learntAt)
      unique.set(key, { type: id.type, value: id.value, learntAt });
  }
  const sorted = [...unique.values()].sort(canonical);
  const kept: LinkedId[] = [];
  const dropped: LinkedId[] = [];
  let type: string | undefined;
  let count = 0;
  for (const id of sorted) {
    if (id.type !== type) {
      type = id.type;
      count = 0;
    }
    count++;
    (count <= capFor(id.type, caps) ? kept : dropped).push(id);
  }
  return { ids: kept, dropped };
}

/**
 * What merging two profiles gives: the profile that survives (keeps its key), the one absorbed into
 * it, the earlier first-seen time, the merged IDs within the caps, and the IDs the caps dropped.
 *
 * Example: `{ survivor: 'p-1', absorbed: 'p-2', firstSeen: 1760000000000, ids: [...], dropped: [] }`
 */
export interface MergeOutcome {
  survivor: string;
  absorbed: string;
  firstSeen: number;
  ids: LinkedId[];
  dropped: LinkedId[];
}

/**
 * Merges two profiles found to be one person (through an ID that `mayLink` allows). The survivor is
 * the profile first seen earlier (its history is the longer one; ties go to the smaller key in code
 * unit order); the merged IDs are both profiles' IDs, deduplicated and capped by `applyIdCaps` (the
 * oldest IDs of a type over its cap are dropped and listed). The outcome is the same for `(a, b)` and
 * `(b, a)`, and no ID is lost except those listed in `dropped`.
 *
 * Example:
 * ```ts
 * mergeProfiles({ key: 'p-2', firstSeen: 200, ids: [{ type: 'uid', value: 'c-2', learntAt: 200 }] },
 *   { key: 'p-1', firstSeen: 100, ids: [{ type: 'uid', value: 'c-1', learntAt: 100 }] });
 * // { survivor: 'p-1', absorbed: 'p-2', firstSeen: 100, ids: [c-2, c-1 (newest first)], dropped: [] }
 * ```
 */
export function mergeProfiles(a: ProfileIds, b: ProfileIds, caps: IdCaps = DEFAULT_ID_CAPS): MergeOutcome {
  const aFirst = finite(a.firstSeen);
  const bFirst = finite(b.firstSeen);
  const aSurvives = aFirst !== bFirst ? aFirst < bFirst : compareText(a.key, b.key) <= 0;
  const [survivor, absorbed] = aSurvives ? [a, b] : [b, a];
  const capped = applyIdCaps([...a.ids, ...b.ids], caps);
  return {
    survivor: survivor.key,
    absorbed: absorbed.key,
    firstSeen: Math.min(aFirst, bFirst),
    ids: capped.ids,
    dropped: capped.dropped,
  };
}
