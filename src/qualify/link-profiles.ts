import type { AudienceIndex } from '../audience/audience-index.ts';
import type { CollectedEvent } from '../core/event.ts';
import { mayLink, mergeProfiles } from '../core/identity/index.ts';
import type { IdLimits } from '../profiles/profile-ids.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';

/**
 * Whether the event's `uid` is our first-party ID (the cookie, or the ID the tenant's server sends)
 * rather than `TYPE:VALUE` made by collection from an entry of `ids` for an event without one.
 *
 * Example: `hasCookie({ uid: 'maid:6d92...', ids: { maid: '6d92...' }, ... })` -> false.
 */
export function hasCookie(event: Pick<CollectedEvent, 'uid' | 'ids'>): boolean {
  const { uid, ids } = event;
  if (uid === '') return false;
  const colon = uid.indexOf(':');
  if (colon <= 0) return true;
  return ids[uid.slice(0, colon)] !== uid.slice(colon + 1);
}

/** What `linkEvent` needs besides the event: the tenant's profiles, its audience index when kept current, and who to tell. */
export interface LinkTarget {
  readonly profiles: TenantProfiles;
  readonly index: AudienceIndex | undefined;
  /** told of every profile a merge changed or removed (the membership caches) */
  changed(p: number): void;
  /**
   * the tenant's ID limits where the event stands in the log (`TenantIdLimits`: the defaults until an
   * `identity` record), never the settings read from the catalog now, so a replay caps as the live run did
   */
  readonly limits: IdLimits;
}

/**
 * Resolves (or makes) the profile of an event, merging profiles the event proves to be one person.
 * The event's linking IDs are those `mayLink` allows: its `uid` when it is our cookie (`hasCookie`), the
 * login hashes, `crm`, and a device ID (`maid`) only when the same event carries our cookie. When they
 * are held by two or more profiles, these are merged into the survivor the identity rules choose
 * (`mergeProfiles`: first seen earlier, ties by the smaller primary ID), with the target's `limits`; the audience
 * index loses both and then holds the survivor's union of realisations. The linking IDs no profile
 * holds are attached to it (several of a type, capped); the others (partner IDs, a device ID without
 * our cookie) only as `resolve` attaches them: when free and the profile holds none of the type. Every
 * ID of the event is learnt at the event's time. An event whose only linking ID is our cookie, or whose
 * linking IDs no profile holds, is resolved by `profiles.resolve` as before (a new profile, or the one
 * holding another of its IDs).
 *
 * Deterministic: it reads only the event and the store, so replaying the log merges again.
 *
 * Example: after `{uid: 'c-laptop', ids: {email_sha256: H}}` and `{uid: 'c-phone', ids: {maid: M}}`,
 * `linkEvent({uid: 'c-phone', ids: {email_sha256: H}, ...}, target)` merges the two and returns the
 * laptop's profile (seen first), now holding both cookies, M and H.
 */
export function linkEvent(event: CollectedEvent, target: LinkTarget): number | undefined {
  const { profiles } = target;
  const { uid, ids, ts } = event;
  const cookie = hasCookie(event);
  const links: [string, string][] = cookie ? [['uid', uid]] : [];
  let others: [string, string][] | undefined;
  for (const type in ids) {
    const value = ids[type];
    if (value === undefined || value === '') continue;
    if (mayLink(type, { withCookie: cookie }).allowed) links.push([type, value]);
    else (others ??= []).push([type, value]);
  }
  // our cookie alone: `resolve` finds its profile first, as the linking would
  if (links.length === 0 || (cookie && links.length === 1)) return profiles.resolve(uid, ids, true, ts);
  const holders: number[] = [];
  const free: [string, string][] = [];
  for (const [type, value] of links) {
    // learnt again now, before any merge caps IDs by their learnt times
    const holder = profiles.findLearning(type, value, ts);
    if (holder === undefined) {
      free.push([type, value]);
      continue;
    }
    if (!holders.includes(holder)) holders.push(holder);
  }
  if (holders.length === 0) return profiles.resolve(uid, ids, true, ts);
  let p = holders[0]!;
  for (let i = 1; i < holders.length; i++) p = mergePair(p, holders[i]!, target);
  // the links no profile held are attached; after a merge, whose caps may have dropped a link, every
  // link no profile holds now
  const toAttach = holders.length > 1 ? links : free;
  for (const [type, value] of toAttach)
    if (toAttach === free || profiles.find(type, value) === undefined)
      profiles.attachId(p, type, value, ts, target.limits);
  if (!cookie && uid !== '') (others ??= []).push(['uid', uid]);
  if (others !== undefined) {
    let view: ReturnType<typeof profiles.columnsView> | undefined;
    for (const [type, value] of others) {
      const holder = profiles.find(type, value);
      // held here already: learnt again in place; free, and no ID of its type here: attached
      if (holder === p) profiles.findLearning(type, value, ts);
      else if (holder === undefined && !(view ??= profiles.columnsView()).hasId(p, type))
        profiles.attachId(p, type, value, ts, target.limits);
    }
  }
  return p;
}

/**
 * Merges two profiles into the one the identity rules keep (`mergeProfiles`: first seen earlier, ties by
 * the smaller primary ID); returns it. The audience index loses both before the merge (as it asks, while
 * their realisations are still listed) and gets the survivor's merged realisations and attributes after
 * it; the target is told of both (the membership caches). The one merge of events (`linkEvent`) and of
 * ID-link files (`applyLinks`, apply-links.ts).
 *
 * Example: `const p = mergePair(laptop, phone, { profiles, index, changed, limits });`
 */
export function mergePair(a: number, b: number, target: LinkTarget): number {
  const { profiles, index } = target;
  const keyA = profiles.uidOf(a);
  const outcome = mergeProfiles(
    { key: keyA, firstSeen: profiles.attributes(a).firstSeen, ids: [] },
    { key: profiles.uidOf(b), firstSeen: profiles.attributes(b).firstSeen, ids: [] },
  );
  const [survivor, absorbed] = outcome.survivor === keyA ? [a, b] : [b, a];
  index?.removeProfile(absorbed);
  index?.removeProfile(survivor);
  profiles.merge(survivor, absorbed, target.limits);
  target.changed(absorbed);
  target.changed(survivor);
  if (index !== undefined) {
    index.profileChanged(survivor);
    const lists = profiles.columnsView().realisations;
    const n = lists.load(survivor);
    // copied: the index may load realisations into the same scratch arrays
    const traits = lists.trait.slice(0, n);
    const times = lists.ts.slice(0, n);
    for (let i = 0; i < n; i++) index.addRealisation(survivor, traits[i]!, times[i]!);
  }
  return survivor;
}
