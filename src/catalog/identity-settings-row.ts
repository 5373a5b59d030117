import type { IdentitySettings, StoredIdentitySettings } from './identity-settings-store.ts';

/** A row of `identity_settings`, as SQLite and PostgreSQL return it (without its tenant), each map as JSON text. */
export interface IdentitySettingsRow {
  eids_sources: string;
  id_lifetime_days: string;
  id_caps: string;
  updated_at: string;
}

/** The columns of `identity_settings` that `IdentitySettingsRow` holds, for SELECT and RETURNING lists. */
export const identitySettingsColumns = 'eids_sources, id_lifetime_days, id_caps, updated_at';

/**
 * A tenant's stored identity settings from its row, each map parsed.
 *
 * Example: `toSettings(row)` -> `{ eidsSources: {}, idLifetimeDays: { maid: 90 }, idCaps: {}, updatedAt }`.
 */
export function toSettings(r: IdentitySettingsRow): StoredIdentitySettings {
  return {
    eidsSources: JSON.parse(r.eids_sources) as IdentitySettings['eidsSources'],
    idLifetimeDays: JSON.parse(r.id_lifetime_days) as IdentitySettings['idLifetimeDays'],
    idCaps: JSON.parse(r.id_caps) as IdentitySettings['idCaps'],
    updatedAt: r.updated_at,
  };
}
