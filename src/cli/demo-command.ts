import type { Config } from '../config/config.ts';
import { createApp } from '../app.ts';
import { generateDemo } from '../demo/generate-demo.ts';
import { onboardThirdParty } from '../demo/onboard-third-party.ts';
import { iabAudienceTaxonomy } from '../traits/iab-audience-taxonomy.ts';
import { loadRules } from '../qualify/rules-loader.ts';
import { progressBar } from './progress-bar.ts';
import { loadDemoDays } from './demo-bulk.ts';

export interface DemoCommandOptions {
  profiles: number;
  seed: number;
  days: number;
  tenant: string;
  ruleTraits: number;
  segments: number;
}

/**
 * `dmp demo --profiles N --seed S [--data DIR] [--tenant NAME]`: builds the standard data set of
 * docs/performance.md in a new tenant, deterministically (same seed, same data), then the IAB third-party
 * traits through file onboarding. The events take the bulk path of ADR 0016: one log record per day of
 * the data set, from which the events are drawn again, validated as trusted events and qualified as
 * collected ones are, so the profiles are those the ingestion path gives (a test compares the two).
 * Prints the tenant's keys as JSON.
 */
export async function demoCommand(config: Config, options: DemoCommandOptions): Promise<number> {
  const app = await createApp({ ...config, logLevel: 'warn' });
  try {
    const created = await app.catalog.createTenant(options.tenant);
    await loadRules(app.catalog, app.qualify, created.tenant);
    const now = app.clock.now();
    const demo = generateDemo({
      profiles: options.profiles,
      days: options.days,
      seed: options.seed,
      now,
      ruleTraits: options.ruleTraits,
      segments: options.segments,
    });
    // one reload of the tenant's rules for all the traits (a reload per trait is quadratic: ~40 s for 1,000)
    await app.traits.createMany(
      created.tenant,
      demo.traits.map((trait) => ({ ...trait, source: 'first-party' })),
    );
    for (const segment of demo.segments) await app.segments.create(created.tenant, segment);
    const spec = { profiles: options.profiles, days: options.days, seed: options.seed, now };
    const bar = progressBar(demo.eventCount(), 'events', process.stderr);
    await loadDemoDays(app, created.tenant, spec, demo.eventCount(), (n) => bar.add(n));
    bar.done();
    const onboarded = await onboardThirdParty(app, created.tenant, {
      profiles: options.profiles,
      seed: options.seed,
      nodes: iabAudienceTaxonomy(),
    });
    process.stderr.write(
      `third-party traits: ${onboarded.rows.accepted.toLocaleString('en')} rows, ${onboarded.realisations.toLocaleString('en')} realisations onboarded\n`,
    );
    process.stdout.write(`${JSON.stringify(created)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}
