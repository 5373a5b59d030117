import type { CollectedEvent, Consent } from '../core/event.ts';
import type { ForgetResult, ProfileAttributes, TraitSummary } from './profile-store.ts';
import { capFor } from '../core/identity/index.ts';
import type { IdLimits, LinkedId } from './profile-ids.ts';
import { VISIT_GAP_MS } from './profile-columns.ts';

/** An ID of the reference model, its learnt time in whole seconds + 1 (0: none), as the store keeps it. */
interface ReferenceId {
  type: string;
  id: string;
  learnt: number;
}

/** One profile of the reference model: plain objects, everything kept, answers computed on demand. */
interface ReferenceProfile {
  /** IDs in the order they were attached */
  ids: ReferenceId[];
  /** events in arrival order */
  events: CollectedEvent[];
  realisations: { traitId: number; ts: number }[];
}

const ATTRIBUTE_PATHS = [
  'geo.country',
  'geo.region',
  'geo.city',
  'device.type',
  'device.os',
  'device.browser',
];

/**
 * A naive model of `TenantProfiles`, the oracle of the property test (test support, not for production):
 * profiles are plain objects under their own ids (never reused), attributes are recomputed from the
 * full list of events each time they are asked for.
 *
 * Example:
 * ```ts
 * const model = new ReferenceProfiles();
 * const id = model.resolve('c-1', {}, true)!;
 * model.recordEvent(id, event);
 * model.attributes(id).visits; // 1
 * ```
 */
export class ReferenceProfiles {
  readonly profiles = new Map<number, ReferenceProfile>();
  private nextId = 0;

  resolve(
    uid: string,
    ids: Readonly<Record<string, string>>,
    create: boolean,
    learntAt?: number,
  ): number | undefined {
    const all: [string, string][] = [['uid', uid], ...Object.entries(ids)];
    const wanted = all.filter(([, v]) => v !== '');
    let found = wanted.map(([type, value]) => this.find(type, value)).find((id) => id !== undefined);
    if (found === undefined) {
      if (!create) return undefined;
      found = this.nextId++;
      this.profiles.set(found, { ids: [], events: [], realisations: [] });
    }
    const profile = this.get(found);
    for (const [type, value] of wanted) {
      const holder = this.find(type, value);
      if (holder === found) this.learn(profile, type, value, learntAt);
      else if (holder === undefined && !profile.ids.some((i) => i.type === type))
        profile.ids.push({ type, id: value, learnt: seconds(learntAt) });
    }
    return found;
  }

  find(type: string, value: string): number | undefined {
    for (const [id, profile] of this.profiles)
      if (profile.ids.some((i) => i.type === type && i.id === value)) return id;
    return undefined;
  }

  /** Attaches the ID even when the profile holds others of its type, then applies the caps. */
  attachId(
    id: number,
    type: string,
    value: string,
    learntAt?: number,
    limits: IdLimits = {},
  ): { attached: boolean; droppedIds: LinkedId[] } {
    const profile = this.get(id);
    const holder = value === '' ? -1 : this.find(type, value);
    if (holder === id) this.learn(profile, type, value, learntAt);
    else if (holder === undefined) profile.ids.push({ type, id: value, learnt: seconds(learntAt) });
    return { attached: holder === undefined, droppedIds: this.cap(profile, limits) };
  }

  /** Profile `absorbed` joins `survivor`: its IDs after the survivor's, its events and realisations. */
  merge(survivor: number, absorbed: number, limits: IdLimits = {}): { droppedIds: LinkedId[] } {
    const to = this.get(survivor);
    const from = this.get(absorbed);
    to.ids.push(...from.ids);
    to.events.push(...from.events);
    to.realisations.push(...from.realisations);
    this.profiles.delete(absorbed);
    return { droppedIds: this.cap(to, limits) };
  }

  /**
   * Keeps an ID when fewer IDs of its type than the type's cap (`capFor`) come before it (learnt later,
   * or at the same time with a smaller value), then when fewer of those kept than `perProfile` come
   * before it (learnt later, or at the same time with a smaller type, or type and value); returns the
   * others, oldest first.
   */
  private cap(profile: ReferenceProfile, limits: IdLimits): LinkedId[] {
    const { caps, perProfile } = limits;
    const mine = profile.ids;
    const typeKept = mine.filter(
      (i) =>
        caps === undefined ||
        mine.filter((o) => o.type === i.type && before(o, i)).length < capFor(i.type, caps),
    );
    const kept = typeKept.filter(
      (i) => perProfile === undefined || typeKept.filter((o) => before(o, i)).length < perProfile,
    );
    profile.ids = kept;
    return recordsOf(mine.filter((i) => !kept.includes(i)).sort((a, b) => (before(a, b) ? 1 : -1)));
  }

  private learn(profile: ReferenceProfile, type: string, value: string, learntAt: number | undefined): void {
    const held = profile.ids.find((i) => i.type === type && i.id === value);
    if (held !== undefined) held.learnt = Math.max(held.learnt, seconds(learntAt));
  }

  recordEvent(id: number, event: CollectedEvent): void {
    this.get(id).events.push(event);
  }

  /**
   * The consent of the latest event by time that carried one; on equal times the one whose fields (in a
   * fixed order, as JSON) sort last, whatever the order of arrival.
   */
  consentOf(id: number): Consent | undefined {
    const key = (c: Consent): string => JSON.stringify([c.gdpr, c.tcf, c.usp, c.gpp, c.gppSid, c.gpc]);
    let latest: { ts: number; consent: Consent } | undefined;
    for (const e of this.get(id).events) {
      const c = e.consent;
      if (c === undefined) continue;
      if (latest === undefined || e.ts > latest.ts || (e.ts === latest.ts && key(c) > key(latest.consent)))
        latest = { ts: e.ts, consent: c };
    }
    return latest?.consent;
  }

  addRealisation(id: number, traitId: number, ts: number): void {
    this.get(id).realisations.push({ traitId, ts });
  }

  clearTrait(traitId: number): void {
    for (const profile of this.profiles.values()) {
      profile.realisations = profile.realisations.filter((r) => r.traitId !== traitId);
    }
  }

  remove(id: number): void {
    this.profiles.delete(id);
  }

  forget(
    now: number,
    lifetime: (traitId: number) => number | undefined,
    profileLifetimeMs: number,
  ): ForgetResult {
    let realisationsForgotten = 0;
    let profilesRemoved = 0;
    for (const [id, profile] of [...this.profiles]) {
      const kept = profile.realisations.filter((r) => {
        const l = lifetime(r.traitId);
        return l !== undefined && r.ts > now - l;
      });
      realisationsForgotten += profile.realisations.length - kept.length;
      profile.realisations = kept;
      const times = profile.events.length > 0 ? profile.events.map((e) => e.ts) : kept.map((r) => r.ts);
      if (times.length === 0 || Math.max(...times) <= now - profileLifetimeMs) {
        this.profiles.delete(id);
        profilesRemoved++;
      }
    }
    return { profilesRemoved, realisationsForgotten };
  }

  /** The first learnt ID of each type. */
  idsOf(id: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { type, id: value } of this.get(id).ids) if (!(type in out)) out[type] = value;
    return out;
  }

  allIds(id: number): LinkedId[] {
    return recordsOf(this.get(id).ids);
  }

  attributes(id: number): ProfileAttributes {
    const events = this.get(id).events;
    const times = events.map((e) => e.ts);
    // visits: runs of event times (sorted) each at most the gap after the previous
    const sorted = [...times].sort((a, b) => a - b);
    const visits = sorted.filter((t, i) => i === 0 || t - (sorted[i - 1] ?? t) > VISIT_GAP_MS).length;
    // the latest by time; on equal times, the values compared as strings in field order, greatest wins
    const latest = <T extends object>(pick: (e: CollectedEvent) => T, fields: (keyof T)[]): T | undefined => {
      const order = (e: CollectedEvent): string[] => fields.map((f) => String(pick(e)[f] ?? ''));
      const after = (a: string[], b: string[]): boolean => {
        const i = a.findIndex((v, j) => v !== b[j]);
        return i >= 0 && (a[i] ?? '') > (b[i] ?? '');
      };
      let best: CollectedEvent | undefined;
      for (const e of events) {
        const carries = Object.values(pick(e)).some((v) => typeof v === 'string' && v !== '');
        if (!carries) continue;
        if (best === undefined || e.ts > best.ts || (e.ts === best.ts && after(order(e), order(best))))
          best = e;
      }
      return best === undefined ? undefined : pick(best);
    };
    return {
      firstSeen: events.length === 0 ? NaN : Math.min(...times),
      lastSeen: events.length === 0 ? NaN : Math.max(...times),
      visits,
      pageviews: events.filter((e) => e.type === 'pageview').length,
      geo: nonEmpty(latest((e) => e.geo, ['country', 'region', 'city']) ?? {}),
      device: nonEmpty(latest((e) => e.device, ['type', 'os', 'browser']) ?? {}),
    };
  }

  /** The answer of `ProfileView.attribute` for `path`. */
  attribute(id: number, path: string): string | number | undefined {
    const a = this.attributes(id);
    if (ATTRIBUTE_PATHS.includes(path)) {
      const [group, field] = path.split('.') as [string, string];
      const values: Record<string, string | undefined> = group === 'geo' ? a.geo : a.device;
      return values[field];
    }
    if (path === 'visits') return a.visits;
    if (path === 'pageviews') return a.pageviews;
    const seen = path === 'first_seen' ? a.firstSeen : path === 'last_seen' ? a.lastSeen : NaN;
    return Number.isNaN(seen) ? undefined : seen;
  }

  countRealisations(id: number, traitId: number, afterExclusive: number, atOrBefore: number): number {
    return this.get(id).realisations.filter(
      (r) => r.traitId === traitId && r.ts > afterExclusive && r.ts <= atOrBefore,
    ).length;
  }

  realisationTimes(id: number, traitId: number): number[] {
    return this.get(id)
      .realisations.filter((r) => r.traitId === traitId)
      .map((r) => r.ts)
      .sort((a, b) => a - b);
  }

  traitSummaries(id: number): TraitSummary[] {
    const traitIds = [...new Set(this.get(id).realisations.map((r) => r.traitId))].sort((a, b) => a - b);
    return traitIds.map((traitId) => {
      const times = this.realisationTimes(id, traitId);
      return { traitId, count: times.length, first: times[0] ?? NaN, last: times[times.length - 1] ?? NaN };
    });
  }

  private get(id: number): ReferenceProfile {
    const profile = this.profiles.get(id);
    if (profile === undefined) throw new Error(`no reference profile ${id}`);
    return profile;
  }
}

/** A learnt time in ms as the store keeps it: whole seconds + 1, 0 for none. */
function seconds(ms: number | undefined): number {
  return ms === undefined || !(ms >= 0) ? 0 : Math.floor(ms / 1000) + 1;
}

/** The learnt time in ms the caps compare: none counts as 0, the oldest. */
const ms = (learnt: number): number => (learnt === 0 ? 0 : (learnt - 1) * 1000);

/** Whether `a` is kept before `b`: learnt later; on equal times, its type, then its value, sorts first. */
function before(a: ReferenceId, b: ReferenceId): boolean {
  if (ms(a.learnt) !== ms(b.learnt)) return ms(a.learnt) > ms(b.learnt);
  if (a.type !== b.type) return a.type < b.type;
  return a.id < b.id;
}

/** The IDs as the store's records: learnt times back in ms, NaN for none. */
function recordsOf(ids: readonly ReferenceId[]): LinkedId[] {
  return ids.map(({ type, id, learnt }) => ({
    type,
    value: id,
    learntAt: learnt === 0 ? NaN : (learnt - 1) * 1000,
  }));
}

/** The fields with a non-empty string value. */
function nonEmpty<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Partial<T>;
}
