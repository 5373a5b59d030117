import type { Config } from '../config/config.ts';
import { createApp } from '../app.ts';
import { generateDemo } from '../demo/generate-demo.ts';
import { onboardThirdParty } from '../demo/onboard-third-party.ts';
import { loadRules } from '../qualify/rules-loader.ts';
import { progressBar } from './progress-bar.ts';

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
 * BENCHMARKS.md in a new tenant, deterministically (same seed, same data), through the same pipeline as
 * collected events (validation, log, qualification), in large batches, then the IAB third-party traits
 * through file onboarding. Prints the tenant's keys as JSON.
 */
export async function demoCommand(config: Config, options: DemoCommandOptions): Promise<number> {
  const app = await createApp({ ...config, logLevel: 'warn' });
  try {
    const created = await app.catalog.createTenant(options.tenant);
    await loadRules(app.catalog, app.qualify, created.tenant);
    const demo = generateDemo({
      profiles: options.profiles,
      days: options.days,
      seed: options.seed,
      now: app.clock.now(),
      ruleTraits: options.ruleTraits,
      segments: options.segments,
    });
    // one reload of the tenant's rules for all the traits (a reload per trait is quadratic: ~40 s for 1,000)
    await app.traits.createMany(
      created.tenant,
      demo.traits.map((trait) => ({ ...trait, source: 'first-party' })),
    );
    for (const segment of demo.segments) await app.segments.create(created.tenant, segment);
    const bar = progressBar(demo.eventCount(), 'events', process.stderr);
    for (const batch of demo.batches(10_000)) {
      const result = await app.ingest.ingest(created.tenant, batch, { trusted: true });
      if (result.rejected.length > 0)
        throw new Error(`demo event rejected: ${result.rejected[0]?.error ?? ''}`);
      bar.add(batch.length);
    }
    bar.done();
    const onboarded = await onboardThirdParty(app, created.tenant, {
      profiles: options.profiles,
      seed: options.seed,
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
