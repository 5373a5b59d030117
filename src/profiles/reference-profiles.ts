import type { CollectedEvent, Consent } from '../core/event.ts';
import type { ForgetResult, ProfileAttributes, TraitSummary } from './profile-store.ts';
import { VISIT_GAP_MS } from './profile-columns.ts';

/** One profile of the reference model: plain objects, everything kept, answers computed on demand. */
interface ReferenceProfile {
  /** IDs in the order they were attached, by type */
  ids: Map<string, string>;
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

  resolve(uid: string, ids: Readonly<Record<string, string>>, create: boolean): number | undefined {
    const all: [string, string][] = [['uid', uid], ...Object.entries(ids)];
    const wanted = all.filter(([, v]) => v !== '');
    let found = wanted.map(([type, value]) => this.find(type, value)).find((id) => id !== undefined);
    if (found === undefined) {
      if (!create) return undefined;
      found = this.nextId++;
      this.profiles.set(found, { ids: new Map(), events: [], realisations: [] });
    }
    const profile = this.get(found);
    for (const [type, value] of wanted) {
      if (this.find(type, value) === undefined && !profile.ids.has(type)) profile.ids.set(type, value);
    }
    return found;
  }

  find(type: string, value: string): number | undefined {
    for (const [id, profile] of this.profiles) if (profile.ids.get(type) === value) return id;
    return undefined;
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

  idsOf(id: number): Record<string, string> {
    return Object.fromEntries(this.get(id).ids);
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

/** The fields with a non-empty string value. */
function nonEmpty<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Partial<T>;
}
