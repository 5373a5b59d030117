import type { CollectedEvent, Consent } from '../core/event.ts';
import type { ConsentState } from '../core/consent/index.ts';
import { decodeConsent, geoPrecision, mayStore } from '../core/consent/index.ts';
import type { OptOutRegistry } from './opt-out-registry.ts';

export type Admission =
  { ok: true; event: CollectedEvent } | { ok: false; reason: 'consent' | 'opt-out'; detail: string };

const CACHE_SIZE = 10_000;

/**
 * Collection's privacy gate: an event is stored only when the visitor has not opted out and its consent
 * allows storing an ID and keeping a profile (TCF purpose 1 where GDPR applies); city and region are
 * dropped when precise geolocation is not allowed (special feature 1). Decoded consent strings are
 * cached, since a visitor sends the same string with every event.
 *
 * Example: `gate.admit('t1', event, false)` -> `{ ok: true, event }` or `{ ok: false, reason: 'consent', detail }`.
 */
export class ConsentGate {
  private readonly cache = new Map<string, ConsentState>();

  constructor(private readonly optOuts: OptOutRegistry) {}

  admit(tenant: string, event: CollectedEvent, optOutCookie: boolean): Admission {
    if (optOutCookie)
      return { ok: false, reason: 'opt-out', detail: 'the browser carries the opt-out cookie' };
    if (this.optOuts.covers(tenant, event))
      return { ok: false, reason: 'opt-out', detail: 'the visitor opted out' };
    const state = this.state(event.consent);
    const store = mayStore(state);
    if (!store.allowed) return { ok: false, reason: 'consent', detail: store.reason };
    const geo = event.geo;
    if ((geo.region !== undefined || geo.city !== undefined) && geoPrecision(state).precision === 'country') {
      return {
        ok: true,
        event: { ...event, geo: geo.country === undefined ? {} : { country: geo.country } },
      };
    }
    return { ok: true, event };
  }

  /** The decoded consent of an event (cached by its strings). */
  state(consent: Consent | undefined): ConsentState {
    const c = consent ?? {};
    const key = `${c.gdpr ?? ''}|${c.tcf ?? ''}|${c.usp ?? ''}|${c.gpp ?? ''}|${(c.gppSid ?? []).join(',')}|${c.gpc === true ? 1 : 0}`;
    let state = this.cache.get(key);
    if (state === undefined) {
      state = decodeConsent(c);
      if (this.cache.size >= CACHE_SIZE) this.cache.clear();
      this.cache.set(key, state);
    }
    return state;
  }
}
