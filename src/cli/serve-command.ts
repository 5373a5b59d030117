import type { Config } from '../config/config.ts';
import { createApp } from '../app.ts';
import { seedDemoTenant } from './demo-tenant.ts';
import { ensureDemoSite } from './demo-site.ts';
import { demoRoutes } from '../api/routes/demo-routes.ts';
import { lazyPrebid } from '../api/prebid-bundle.ts';

/** `dmp serve`: runs until SIGINT or SIGTERM, then closes cleanly (the log flushed). */
export async function serveCommand(config: Config, demo: boolean): Promise<number> {
  const app = await createApp(config);
  const keys = demo
    ? await seedDemoTenant(app, config.dataDir, undefined, (text) => process.stdout.write(text))
    : undefined;
  if (keys !== undefined) {
    // the demo shop at /demo/ (issue 16): its traits, segments and destinations, then its pages
    await ensureDemoSite(app, keys.tenant);
    await app.server.register(demoRoutes(keys.siteKey, lazyPrebid()));
  }
  const address = await app.server.listen({ port: config.port, host: config.host });
  const base = address.replace('[::1]', 'localhost');
  // one line, always: people read it, and programs that started us on --port 0 learn the port from it
  process.stdout.write(
    `${keys === undefined ? '' : '\n'}opendmp is running at ${base}  (API docs: ${base}/docs)\n`,
  );
  if (keys !== undefined) {
    process.stdout.write(
      [
        `demo tenant: ${keys.tenant}`,
        `  API key:  ${keys.apiKey}`,
        `  site key: ${keys.siteKey}`,
        '',
        `demo shop: ${base}/demo/  (the tag, a consent banner, a Prebid.js auction and Ad Manager key-values)`,
        '',
        'Try:',
        `  curl -s -H "Authorization: Bearer ${keys.apiKey}" ${base}/v1/segments/london_pricing/size`,
        `  curl -s "${base}/px?site=${keys.siteKey}&uid=me&url=https://shop.example.com/pricing/plans" -o /dev/null -w "%{http_code}\\n"`,
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  return 0;
}
