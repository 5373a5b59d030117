import type {
  IdentitySettings,
  IdentitySettingsStore,
  StoredIdentitySettings,
} from '../identity-settings-store.ts';
import type { CatalogState, TenantRows } from './memory-catalog-state.ts';
import { fromJson, jsonText, rowsOf } from './memory-catalog-state.ts';

/**
 * Identity settings in memory: one JSON text per tenant, held beside the tenant's rows (a `WeakMap` on
 * them, so it goes when the tenant's rows go), so no caller can change what is stored.
 *
 * Example: `await memoryIdentitySettings(state).saveIdentitySettings('acme', { eidsSources: {}, idLifetimeDays: { maid: 90 }, idCaps: {} })`.
 */
export function memoryIdentitySettings(state: CatalogState): IdentitySettingsStore {
  const saved = new WeakMap<TenantRows, string>();
  const read = (text: string): StoredIdentitySettings => fromJson(text) as StoredIdentitySettings;
  return {
    async getIdentitySettings(tenant) {
      const rows = state.tenants.get(tenant);
      const text = rows === undefined ? undefined : saved.get(rows);
      return text === undefined ? undefined : read(text);
    },
    async saveIdentitySettings(tenant, settings: IdentitySettings) {
      const rows = rowsOf(state, tenant);
      const stored: StoredIdentitySettings = {
        eidsSources: settings.eidsSources,
        idLifetimeDays: settings.idLifetimeDays,
        idCaps: settings.idCaps,
        updatedAt: state.now(),
      };
      const text = jsonText(stored);
      saved.set(rows, text);
      return read(text);
    },
  };
}
