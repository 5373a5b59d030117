/**
 * Every catalog contract suite against every catalog adapter (`catalog/catalog-adapters.ts`): the
 * embedded SQLite catalog on a file, the PostgreSQL catalog (a test database of its own, ADR 32) and the
 * in-memory fake of `src/catalog/testing`.
 */
import { auditLogStoreContract } from './catalog/audit-log-store.contract.ts';
import { campaignStoreContract } from './catalog/campaign-store.contract.ts';
import { catalogAdapters } from './catalog/catalog-adapters.ts';
import { catalogContract } from './catalog/catalog.contract.ts';
import { dataSourceStoreContract } from './catalog/data-source-store.contract.ts';
import { destinationStoreContract } from './catalog/destination-store.contract.ts';
import { identitySettingsStoreContract } from './catalog/identity-settings-store.contract.ts';
import { optOutStoreContract } from './catalog/opt-out-store.contract.ts';
import { partnerStoreContract } from './catalog/partner-store.contract.ts';
import { runStoreContract } from './catalog/run-store.contract.ts';
import { segmentSizeStoreContract } from './catalog/segment-size-store.contract.ts';
import { segmentStoreContract } from './catalog/segment-store.contract.ts';
import { siteKeyStoreContract } from './catalog/site-key-store.contract.ts';
import { tenantStoreContract } from './catalog/tenant-store.contract.ts';
import { traitStoreContract } from './catalog/trait-store.contract.ts';
import { traitVersionContract } from './catalog/trait-version.contract.ts';
import { userStoreContract } from './catalog/user-store.contract.ts';

for (const { name, open } of catalogAdapters) {
  tenantStoreContract(name, open);
  siteKeyStoreContract(name, open);
  dataSourceStoreContract(name, open);
  auditLogStoreContract(name, open);
  optOutStoreContract(name, open);
  traitStoreContract(name, open);
  traitVersionContract(name, open);
  segmentStoreContract(name, open);
  segmentSizeStoreContract(name, open);
  destinationStoreContract(name, open);
  campaignStoreContract(name, open);
  runStoreContract(name, open);
  partnerStoreContract(name, open);
  identitySettingsStoreContract(name, open);
  userStoreContract(name, open);
  catalogContract(name, open);
}
