import type { Clock } from '../core/clock.ts';
import type { Consent } from '../core/event.ts';
import type { Destination, SkippedEntries, VisitorIds } from '../core/activation/index.ts';
import {
  deviceIdOf,
  enrichBidRequest,
  expandMacros,
  gamKeyValues,
  prebidUserData,
  readBidRequest,
  spliceUserData,
  userDataEntry,
} from '../core/activation/index.ts';
import type { Gvl } from '../core/consent/index.ts';
import type { EidsMapping, IdLifetimes, IdLive } from '../core/identity/index.ts';
import {
  checkId,
  DEFAULT_EIDS_MAPPING,
  DEFAULT_ID_LIFETIMES,
  findLive,
  isIdLive,
} from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';
import type { MembershipReader } from '../qualify/ports.ts';
import type { DestinationService } from './destination-service.ts';
import { activationUnderConsents } from './activation-under-consents.ts';

/** Why a visitor got nothing, or what it got; returned beside the answer for debugging and the funnel. */
export interface ActivationVerdict {
  visitor: string | null;
  outcome: 'sent' | 'not-found' | 'not-eligible' | 'no-consent' | 'invalid-request';
  reason: string;
  segments: string[];
}

/**
 * One real-time decision, for the delivery report: the verdict, and the segments the destination would
 * have had (mapped, allowed by export controls and the flight gate) before consent was asked.
 *
 * Example: `{ tenant: 't1', destination: ssp, verdict: { outcome: 'no-consent', ... }, offered: ['fans'], at }`
 */
export interface RealtimeDecision {
  tenant: string;
  destination: Destination;
  verdict: ActivationVerdict;
  offered: string[];
  /** epoch ms */
  at: number;
}

/**
 * What campaigns plug into real-time activation: the flight gate (the destination's segments that may
 * go now; undefined: all of them) and a listener told of every decision.
 *
 * Example: `{ activeSegments: (t, d, now) => campaigns.activeSegments(t, d, now), onDecision: (d) => counts.record(d) }`
 */
export interface RealtimeHooks {
  activeSegments?(
    tenant: string,
    destination: Pick<Destination, 'code' | 'segments'>,
    now: number,
  ): ReadonlySet<string> | undefined;
  onDecision?(decision: RealtimeDecision): void;
}

/**
 * What real-time activation is built from (the app's own). Example:
 * `{ qualify, destinations, gate, gvl, clock, host: 'dmp.example.com', hooks: { onDecision: (d) => counts.record(d) } }`
 */
export interface RealtimeActivationDeps {
  qualify: MembershipReader;
  destinations: DestinationService;
  gate: ConsentGate;
  gvl: Gvl;
  clock: Clock;
  /** the public host named as the data's source in bid requests and Prebid data (`config.publicHost`) */
  host: string;
  /**
   * The tenant's eids source -> ID type mapping (its identity settings): a bid request's `user.eids` are
   * looked up under the types it gives; default: `DEFAULT_EIDS_MAPPING`
   */
  eidsMapping?: (tenant: string) => Promise<EidsMapping>;
  /**
   * How long each ID type lives for the tenant (its identity settings and partners): a bid request's
   * IDs find a visitor only while alive (`isIdLive`); default: the built-in lifetimes
   */
  idLifetimes?: (tenant: string) => Promise<IdLifetimes>;
  /** the campaigns' flight gate and decision listener; default: none */
  hooks?: RealtimeHooks;
}

/**
 * Real-time activation: a bid request enriched with the visitor's segments for one destination, and
 * the page's targeting for Prebid, Google Ad Manager or URL pixels. Consent is decided for the
 * destination's vendor and purposes on every call, under the request's consent and the consent recorded
 * for the visitor (its newest signal, a withdrawal included), which must both allow it (see
 * `activationUnderConsents`); segments the destination's export controls forbid are never sent, nor
 * segments outside their campaign's flight (`hooks.activeSegments`); every decision goes to
 * `hooks.onDecision`.
 *
 * Example: `await realtime.enrich('t1', 'ssp', bidRequest)` -> `{ request, verdict }`.
 */
export class RealtimeActivation {
  private readonly hooks: RealtimeHooks;

  constructor(private readonly deps: RealtimeActivationDeps) {
    this.hooks = deps.hooks ?? {};
  }

  async enrich(
    tenant: string,
    code: string,
    body: unknown,
  ): Promise<{ request: unknown; verdict: ActivationVerdict; skipped: SkippedEntries }> {
    const { read, verdict, entry } = await this.enrichment(tenant, code, body);
    const request = entry === undefined ? read.request : enrichBidRequest(read.request, entry);
    return { request, verdict, skipped: read.skipped };
  }

  /**
   * `enrich` for a bid request as received: its JSON text, and that text parsed (`json`). The answer is
   * the text byte for byte with the entry spliced into `user.data`, so every number comes back with all
   * its digits (64-bit IDs, long decimals) and nothing is serialised again.
   *
   * Example: `await realtime.enrichText('t1', 'ssp', text, JSON.parse(text))` -> `{ text, verdict, skipped }`.
   */
  async enrichText(
    tenant: string,
    code: string,
    text: string,
    json: unknown,
  ): Promise<{ text: string; verdict: ActivationVerdict; skipped: SkippedEntries }> {
    const { read, verdict, entry } = await this.enrichment(tenant, code, json);
    return { text: entry === undefined ? text : spliceUserData(text, entry), verdict, skipped: read.skipped };
  }

  private async enrichment(tenant: string, code: string, body: unknown) {
    const destination = await this.ofKind(tenant, code, ['openrtb']);
    const read = readBidRequest(body);
    if (!read.ok) {
      throw new ServiceError(
        400,
        'invalid_bid_request',
        `not an OpenRTB 2.5/2.6 bid request: ${read.reason}`,
      );
    }
    const mapping = (await this.deps.eidsMapping?.(tenant)) ?? DEFAULT_EIDS_MAPPING;
    const lifetimes = (await this.deps.idLifetimes?.(tenant)) ?? DEFAULT_ID_LIFETIMES;
    const now = this.deps.clock.now();
    const live: IdLive = (type, learntAt) => isIdLive(type, learntAt, lifetimes, now);
    const p = this.findByBidIds(tenant, destination, read.visitorIds, mapping, live);
    const verdict = await this.decide(
      tenant,
      destination,
      p,
      hasConsent(read.consent) ? read.consent : undefined,
    );
    if (verdict.outcome !== 'sent') return { read, verdict, entry: undefined };
    const mapped = this.mapped(destination, verdict.segments);
    return { read, verdict, entry: userDataEntry(this.deps.host, mapped, destination.segtax) };
  }

  /** What the page passes to Prebid (`ortb2.user.data`), GAM (`setTargeting`) or fires (pixel URLs). */
  async page(tenant: string, code: string, uid: string | undefined, consent: Consent | undefined) {
    const destination = await this.ofKind(tenant, code, ['prebid', 'gam', 'url']);
    const p = uid === undefined ? undefined : this.deps.qualify.profilesOf(tenant).find('uid', uid);
    const verdict = await this.decide(tenant, destination, p, consent);
    const ids = verdict.outcome === 'sent' ? this.mapped(destination, verdict.segments) : [];
    const base = { destination: code, kind: destination.kind, verdict };
    if (destination.kind === 'prebid') {
      return {
        ...base,
        ortb2: {
          user: { data: prebidUserData(this.deps.host, [{ segmentIds: ids, segtax: destination.segtax }]) },
        },
      };
    }
    if (destination.kind === 'gam') {
      const kv = gamKeyValues([{ key: destination.settings.key, values: ids }], {
        maxValuesPerKey: destination.settings.maxValuesPerKey,
      });
      return { ...base, targeting: kv.targeting, dropped: kv.dropped };
    }
    const settings = destination.kind === 'url' ? destination.settings : undefined;
    const pixels =
      settings === undefined || uid === undefined
        ? []
        : ids.map((segment) =>
            expandMacros(settings.template, { uid, consent, segment, timestamp: this.deps.clock.now() }),
          );
    return { ...base, pixels };
  }

  private async ofKind(
    tenant: string,
    code: string,
    kinds: readonly Destination['kind'][],
  ): Promise<Destination> {
    const destination = (await this.deps.destinations.resolve(tenant, code)).destination;
    if (!kinds.includes(destination.kind)) {
      throw new ServiceError(
        422,
        'wrong_destination_kind',
        `destination '${code}' is ${destination.kind}; this endpoint serves ${kinds.join(', ')}`,
        {
          field: 'destination',
        },
      );
    }
    return destination;
  }

  private async decide(
    tenant: string,
    destination: Destination,
    p: number | undefined,
    requestConsent: Consent | undefined,
  ): Promise<ActivationVerdict> {
    const at = this.deps.clock.now();
    if (p === undefined) {
      const verdict: ActivationVerdict = {
        visitor: null,
        outcome: 'not-found',
        reason: 'no profile for the visitor',
        segments: [],
      };
      this.hooks.onDecision?.({ tenant, destination, verdict, offered: [], at });
      return verdict;
    }
    const profiles = this.deps.qualify.profilesOf(tenant);
    const visitor = profiles.uidOf(p);
    const refused = (await this.deps.destinations.resolve(tenant, destination.code)).refused;
    const active = this.hooks.activeSegments?.(tenant, destination, at);
    const memberOf = new Set(
      this.deps.qualify
        .segmentsOf(tenant, p, at)
        .filter((s) => !refused.has(s) && (active === undefined || active.has(s))),
    );
    const offered = [
      ...new Set(destination.segments.filter((m) => memberOf.has(m.segment)).map((m) => m.segment)),
    ];
    const recorded = profiles.consentOf(p);
    const decision = activationUnderConsents(
      this.deps.gate,
      this.deps.gvl,
      destination,
      memberOf,
      requestConsent,
      recorded,
    );
    const verdict: ActivationVerdict = !decision.ok
      ? { visitor, outcome: 'no-consent', reason: decision.reason, segments: [] }
      : !decision.eligible
        ? { visitor, outcome: 'not-eligible', reason: decision.reason, segments: [] }
        : { visitor, outcome: 'sent', reason: decision.reason, segments: offered };
    this.hooks.onDecision?.({ tenant, destination, verdict, offered, at });
    return verdict;
  }

  private mapped(destination: Destination, segments: readonly string[]): string[] {
    const ids: string[] = [];
    for (const m of destination.segments)
      if (segments.includes(m.segment) && !ids.includes(m.id)) ids.push(m.id);
    return ids;
  }

  /**
   * The visitor of a bid request: `user.id` (our uid), `buyeruid` (the destination's ID type), each eid
   * (under the ID type the tenant's mapping gives its source, in the form `checkId` keeps; then as our
   * uid, for publishers passing our cookie ID in eids; with `atype` 2 as a `maid`), `device.ifa`.
   */
  private findByBidIds(
    tenant: string,
    destination: Destination,
    ids: VisitorIds,
    mapping: EidsMapping,
    live: IdLive,
  ): number | undefined {
    const profiles = this.deps.qualify.profilesOf(tenant);
    const tries: [string, string | undefined][] = [
      ['uid', ids.uid],
      [destination.idType, ids.buyeruid],
      ...ids.eids.flatMap((e): [string, string | undefined][] => {
        const type = mapping.get(e.source.trim().toLowerCase());
        const checked = type === undefined ? undefined : checkId(type, e.id);
        return [
          [type ?? '', checked?.ok === true ? checked.id : undefined],
          ['uid', e.id],
          ['maid', deviceIdOf(e)],
        ];
      }),
      ['maid', ids.ifa],
    ];
    for (const [type, id] of tries) {
      if (id === undefined || id === '') continue;
      const p = findLive(profiles, type, id, live);
      if (p !== undefined) return p;
    }
    return undefined;
  }
}

function hasConsent(c: Consent): boolean {
  return (
    c.gdpr !== undefined ||
    c.tcf !== undefined ||
    c.usp !== undefined ||
    c.gpp !== undefined ||
    c.gpc === true
  );
}
