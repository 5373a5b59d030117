import { Readable } from 'node:stream';
import type { Catalog } from '../catalog/catalog.ts';
import type { JobReport } from '../onboard/job-report.ts';
import type { OnboardingService } from '../onboard/onboarding-service.ts';
import type { IabNode } from '../core/taxonomy/iab-nodes.ts';
import { thirdPartyCsv } from './third-party-file.ts';
import { IAB_SOURCE, thirdPartyTraits } from './third-party-traits.ts';

/** What onboarding the third-party file needs of the app (`App` has it): the catalog and the onboarding service. */
export interface ThirdPartyTarget {
  catalog: Pick<Catalog, 'createDataSource'>;
  onboarding: Pick<OnboardingService, 'createTraits' | 'upload'>;
}

/**
 * The third-party part of the standard data set (docs/performance.md): creates the `iab-provider` source
 * (third party) and the taxonomy's `nodes` (the 1,558 of the shipped IAB Audience Taxonomy 1.1, which the
 * composition root reads: the demo does not know where it lies) as its traits, then onboards the generated
 * file (about 10 Zipf-popular traits per demo profile) through the onboarding service, like any upload.
 *
 * Example: `await onboardThirdParty(app, 'demo', { profiles: 20_000, seed: 1, nodes: iabAudienceTaxonomy() })` -> the job's report.
 */
export async function onboardThirdParty(
  app: ThirdPartyTarget,
  tenant: string,
  options: { profiles: number; seed: number; nodes: readonly IabNode[] },
): Promise<JobReport> {
  await app.catalog.createDataSource(tenant, { ...IAB_SOURCE });
  const traits = await app.onboarding.createTraits(
    tenant,
    IAB_SOURCE.code,
    thirdPartyTraits(options.nodes),
    'system',
  );
  const { profiles, seed } = options;
  const body = Readable.from(thirdPartyCsv({ profiles, seed, traitCodes: traits.map((t) => t.code) }));
  const { done } = await app.onboarding.upload(
    tenant,
    IAB_SOURCE.code,
    body,
    { mode: 'full', format: 'csv', idType: 'uid' },
    'system',
  );
  const report = await done;
  if (report.status !== 'succeeded' || report.rows.rejected > 0) {
    throw new Error(
      `the demo's third-party file did not onboard cleanly: ${JSON.stringify(report.errors.slice(0, 3))}`,
    );
  }
  return report;
}
