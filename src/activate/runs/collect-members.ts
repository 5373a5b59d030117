import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Destination } from '../../core/activation/index.ts';
import { Funnel, visitorActivation } from '../../core/activation/index.ts';
import type { Gvl } from '../../core/consent/index.ts';
import type { IdLifetimes, IdLive } from '../../core/identity/index.ts';
import { isIdLive, liveIdsOf } from '../../core/identity/index.ts';
import type { ConsentGate } from '../../privacy/consent-gate.ts';
import type { AudienceReader, MembershipReader, RuleReader } from '../../qualify/ports.ts';
import type { DestinationService } from '../destination-service.ts';
import { candidateProfiles } from './candidate-profiles.ts';

/** One member of a destination's audience. Example: `{ id: 'c-1', segments: ['sports_fans'], segmentIds: ['483'] }` */
export interface Member {
  /** the visitor's ID of the destination's `idType` */
  id: string;
  /** our segment codes */
  segments: string[];
  /** the destination's segment IDs */
  segmentIds: string[];
}

/** A destination's members now, the funnel up to `hasId` (and `sent` losses), and the profiles read. */
export interface CollectedMembers {
  members: Member[];
  funnel: Funnel;
  visited: number;
}

/**
 * How a run gathers the destination's members: `collectMembers` over this process's profiles, or, on
 * an API server of a scaled-out deployment, every partition's members merged (`mergeCollected`).
 */
export type GatherMembers = (
  tenant: string,
  destination: Destination,
  now: number,
  only?: readonly string[],
  signal?: AbortSignal,
) => Promise<CollectedMembers>;

/**
 * What a run reads of the profiles: the segments now, the export controls, consent and the GVL.
 *
 * Example: `{ qualify, destinations, gate, gvl }` (the app's own)
 */
export interface MemberSources {
  qualify: MembershipReader & RuleReader & AudienceReader;
  destinations: DestinationService;
  gate: ConsentGate;
  gvl: Gvl;
  /**
   * The campaigns' flight gate: the destination's segments that may go now (undefined: all of them);
   * a pair that a campaign names goes only inside one of its flights.
   */
  activeSegments?: (tenant: string, destination: Destination, now: number) => ReadonlySet<string> | undefined;
  /**
   * How long each ID type lives for the tenant: a visitor whose only ID of the destination's type has
   * expired is lost at `hasId`, as one with none; default: every ID alive
   */
  idLifetimes?: (tenant: string) => Promise<IdLifetimes>;
}

/** The longest a run works before it lets other requests (and other tenants' runs) go, in ms. */
const SLICE_MS = 10;

/**
 * Every member of the destination's audience now, sorted by ID, and the funnel up to `hasId`: each
 * profile in a mapped segment (less those the export controls refuse, and, for a campaign, those not in
 * `only`) is eligible, then lost at consent or at the ID with the reason, or a member. Two profiles with
 * the same ID are one member (the second is lost at `sent`). Only the profiles the audience index has
 * in those segments are read (`visited` counts them), in slices of about `SLICE_MS`, yielding to the
 * event loop between slices. Members no longer there need no visit: the delta against the last good
 * run removes them by ID.
 *
 * Example: `const { members, funnel, visited } = await collectMembers(sources, 't1', ttd, Date.now());`
 */
export async function collectMembers(
  sources: MemberSources,
  tenant: string,
  destination: Destination,
  now: number,
  only?: readonly string[],
  signal?: AbortSignal,
): Promise<CollectedMembers> {
  const refused = await sources.destinations.conflicts(tenant, destination);
  const wanted = only === undefined ? undefined : new Set(only);
  const active = sources.activeSegments?.(tenant, destination, now);
  const keep = (s: string): boolean =>
    !refused.has(s) && (wanted === undefined || wanted.has(s)) && (active === undefined || active.has(s));
  const profiles = sources.qualify.profilesOf(tenant);
  const lifetimes = await sources.idLifetimes?.(tenant);
  const live: IdLive | undefined =
    lifetimes === undefined ? undefined : (type, learntAt) => isIdLive(type, learntAt, lifetimes, now);
  const funnel = new Funnel();
  const byId = new Map<string, Member>();
  let duplicates = 0;
  const codes = destination.segments.map((m) => m.segment).filter(keep);
  const candidates = candidateProfiles(sources.qualify, tenant, codes, now);
  let sliceStart = performance.now();
  for (let i = 0; i < candidates.length; i++) {
    if ((i & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToEvents();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    const p = candidates[i] ?? 0;
    const memberOf = new Set(sources.qualify.segmentsOf(tenant, p, now).filter(keep));
    const verdict = visitorActivation(
      destination,
      memberOf,
      sources.gate.state(profiles.consentOf(p)),
      sources.gvl,
      { uid: profiles.uidOf(p), ids: live === undefined ? profiles.idsOf(p) : liveIdsOf(profiles, p, live) },
    );
    if (verdict.ok && !verdict.eligible) continue;
    funnel.pass('eligible');
    if (!verdict.ok) {
      if (verdict.step === 'hasId') funnel.pass('consented');
      funnel.lose(verdict.step, verdict.reason);
      continue;
    }
    funnel.pass('consented');
    const id = verdict.id;
    if (id === undefined) continue; // not reached: a visitor was given
    funnel.pass('hasId');
    const segments = destination.segments.filter((m) => memberOf.has(m.segment)).map((m) => m.segment);
    if (!addMember(byId, { id, segments, segmentIds: verdict.mapped.segmentIds })) duplicates++;
  }
  signal?.throwIfAborted();
  loseDuplicates(funnel, destination, duplicates);
  return { members: sortedMembers(byId), funnel, visited: candidates.length };
}

/**
 * Adds a member by its ID: true if the ID is new, false when another profile had it (the two are one
 * member, with the segments of both).
 */
export function addMember(byId: Map<string, Member>, member: Member): boolean {
  const known = byId.get(member.id);
  if (known === undefined) {
    byId.set(member.id, {
      id: member.id,
      segments: [...new Set(member.segments)],
      segmentIds: [...member.segmentIds],
    });
    return true;
  }
  known.segments = [...new Set([...known.segments, ...member.segments])];
  known.segmentIds = [...new Set([...known.segmentIds, ...member.segmentIds])];
  return false;
}

/** Counts the profiles that were one member with another (same ID) as lost at `sent`. */
export function loseDuplicates(funnel: Funnel, destination: Destination, duplicates: number): void {
  if (duplicates > 0)
    funnel.lose('sent', `another profile has the same ${destination.idType} ID`, duplicates);
}

/** The members by ID, sorted by ID. */
export function sortedMembers(byId: ReadonlyMap<string, Member>): Member[] {
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
