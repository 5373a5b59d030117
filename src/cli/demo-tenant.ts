import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.ts';
import type { CreatedTenant } from '../catalog/catalog.ts';
import { generateDemo } from '../demo/generate-demo.ts';
import { onboardThirdParty } from '../demo/onboard-third-party.ts';
import { iabAudienceTaxonomy } from '../traits/iab-audience-taxonomy.ts';
import { loadRules } from '../qualify/rules-loader.ts';

export interface DemoSize {
  profiles: number;
  days: number;
  seed: number;
}

/**
 * Creates the demo tenant on first start: the standard data set at a small size (docs/performance.md), its
 * traits and segments (the seed scenario `london_pricing` among them), written through the same
 * pipeline as any event, and the IAB third-party traits onboarded from a file (about 10 a profile). Its keys are kept in `DATA/demo-tenant.json` so later starts can print them.
 */
export async function seedDemoTenant(
  app: App,
  dataDir: string,
  size: DemoSize = { profiles: 20_000, days: 30, seed: 1 },
  progress: (text: string) => void = () => {},
): Promise<CreatedTenant> {
  const file = join(dataDir, 'demo-tenant.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as CreatedTenant;
  const created = await app.catalog.createTenant('demo');
  const tenant = created.tenant;
  await loadRules(app.catalog, app.qualify, tenant);
  const demo = generateDemo({ ...size, now: app.clock.now() });
  await app.traits.createMany(
    tenant,
    demo.traits.map((trait) => ({ ...trait, source: 'first-party' })),
  );
  for (const segment of demo.segments) await app.segments.create(tenant, segment);
  const total = demo.eventCount();
  let done = 0;
  for (const batch of demo.batches(5_000)) {
    const result = await app.ingest.ingest(tenant, batch, { trusted: true });
    if (result.rejected.length > 0) {
      throw new Error(`demo event rejected: ${result.rejected[0]?.error ?? ''}`);
    }
    done += batch.length;
    progress(`\rdemo data: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} events`);
  }
  progress('\n');
  await onboardThirdParty(app, tenant, {
    profiles: size.profiles,
    seed: size.seed,
    nodes: iabAudienceTaxonomy(),
  });
  await writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
