import { RoaringAudienceIndex } from '../../audience/roaring-audience-index.ts';
import type { ProfileStore } from '../../profiles/profile-store.ts';
import { QualifyService } from '../qualify-service.ts';

/**
 * A `QualifyService` over `store` with the roaring audience index, as the composition root makes it
 * (tests only). Example: `const qualify = testQualify(createMemoryProfileStore());`.
 */
export function testQualify(store: ProfileStore, defaultLifetimeDays = 120): QualifyService {
  return new QualifyService(store, defaultLifetimeDays, (profiles) => new RoaringAudienceIndex(profiles));
}
