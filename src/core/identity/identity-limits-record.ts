import type { IdCaps } from './merge-rules.ts';

/**
 * A tenant's ID limits from this point of the log on: the caps per ID type and the most IDs one profile
 * keeps, written to the log when the tenant's identity settings change them (`PUT /v1/identity/settings`).
 * Linking and merging read the limits in force where they stand in the log, so a replay and a restart cap
 * exactly as the live run did; a settings change applies to what comes after it, never to profiles
 * already built (they keep their IDs until a later link or merge caps them again).
 *
 * Example: `{ kind: 'identity', tenant: 'acme', caps: { perType: { uid: 10, maid: 1 }, otherwise: 3 }, perProfile: 64 }`
 */
export interface IdentityLimitsRecord {
  kind: 'identity';
  tenant: string;
  caps: IdCaps;
  perProfile: number;
}
