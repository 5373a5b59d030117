/**
 * A tenant's identity settings as stored (issue 15): which OpenRTB `eids` sources are read as which ID
 * type beyond the defaults, how long IDs of a type live, and how many IDs of a type a profile keeps.
 * Only what the tenant set is stored (the defaults live in `src/core/identity`); the identity settings
 * service checks every value before it is saved.
 *
 * Example:
 * ```ts
 * { eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
 *   idLifetimeDays: { maid: 90 }, idCaps: { uid: 20 } }
 * ```
 */
export interface IdentitySettings {
  /** eids source (a domain, lower case) -> ID type; `null` stops reading a default source */
  eidsSources: Record<string, string | null>;
  /** ID type -> days an ID of it is kept after it was last learnt */
  idLifetimeDays: Record<string, number>;
  /** ID type -> the most IDs of it one profile keeps */
  idCaps: Record<string, number>;
}

/**
 * The settings and when they were last saved (ISO 8601).
 * Example: `{ eidsSources: {}, idLifetimeDays: { maid: 90 }, idCaps: {}, updatedAt: '2026-01-01T00:00:00.000Z' }`
 */
export interface StoredIdentitySettings extends IdentitySettings {
  updatedAt: string;
}

/**
 * Each tenant's identity settings: one document per tenant, replaced whole.
 *
 * Example:
 * ```ts
 * await store.saveIdentitySettings('acme', { eidsSources: { 'liveramp.com': 'ramp_id' }, idLifetimeDays: {}, idCaps: {} });
 * (await store.getIdentitySettings('acme'))?.eidsSources; // -> { 'liveramp.com': 'ramp_id' }
 * ```
 */
export interface IdentitySettingsStore {
  /** The tenant's settings; `undefined` when it never saved any (the defaults apply). */
  getIdentitySettings(tenant: string): Promise<StoredIdentitySettings | undefined>;
  /** Replaces the tenant's settings; `not_found` for an unknown tenant. */
  saveIdentitySettings(tenant: string, settings: IdentitySettings): Promise<StoredIdentitySettings>;
}
