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
): Promise<{ members: Member[]; funnel: Funnel; visited: number }> {
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
    const known = byId.get(id);
    if (known === undefined) {
      byId.set(id, { id, segments: [...new Set(segments)], segmentIds: verdict.mapped.segmentIds });
    } else {
      duplicates++;
      known.segments = [...new Set([...known.segments, ...segments])];
      known.segmentIds = [...new Set([...known.segmentIds, ...verdict.mapped.segmentIds])];
    }
  }
  signal?.throwIfAborted();
  if (duplicates > 0) {
    funnel.lose('sent', `another profile has the same ${destination.idType} ID`, duplicates);
  }
  const members = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { members, funnel, visited: candidates.length };
}
