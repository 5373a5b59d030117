import type { Consent } from './event.ts';

/**
 * A consent signal the collector did not store an event for, kept as state: a visitor already known
 * sent an event whose consent does not allow storing it (a TC string without purpose 1, `gdpr=1` with
 * no string), so the event is dropped, but the withdrawal it carries must still reach the profile. The
 * record holds only what finds the profile and the signal itself: no URL, signals, IP or User-Agent.
 * Applying it replaces the consent of an existing profile when `ts` is not older than the consent the
 * profile holds (the newest signal by event time wins, whatever the arrival order); it never creates a
 * profile, attaches an ID, or adds a visit or a realisation.
 *
 * Example: `{ kind: 'consent', tenant: 't1', uid: 'c-123', ts: 1795968000000,
 *   consent: { gdpr: 1, tcf: 'CQ...' } }`
 */
export interface ConsentRecord {
  kind: 'consent';
  tenant: string;
  /** the event's primary ID */
  uid: string;
  /** the event's other IDs, when it carried any (the profile may be known by one of them) */
  ids?: Record<string, string>;
  /** the event's time (epoch ms) */
  ts: number;
  /** the consent as received, with the browser's Global Privacy Control (`gpc`) */
  consent: Consent;
}
