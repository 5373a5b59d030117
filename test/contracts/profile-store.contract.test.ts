/**
 * The `ProfileStore` contract suite against every adapter: today the embedded in-memory store, which is
 * itself fast enough for service tests (no fake is needed; ADR 0026 names the next adapter).
 */
import { createMemoryProfileStore } from '../../src/profiles/memory-profile-store.ts';
import { profileStoreContract } from './profile-store.contract.ts';

profileStoreContract('memory', createMemoryProfileStore);
