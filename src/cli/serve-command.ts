import type { Config } from '../config/config.ts';
import { createApp } from '../app.ts';
import { seedDemoTenant } from './demo-tenant.ts';
import { ensureDemoSite } from './demo-site.ts';
import { demoRoutes } from '../api/routes/demo-routes.ts';
import { lazyPrebid } from '../api/prebid-bundle.ts';
import type { App } from '../app.ts';
import { addOrResetUser } from './user-command.ts';

/** The demo tenant's console user, made (admin) on the first `dmp serve --demo`. */
export const DEMO_CONSOLE_USER = 'demo@opendmp.local';

/**
 * Makes the demo tenant's console user if it is not there yet: its one-time password is known only then
 * (stored hashed), so later starts say the user exists and how to reset it.
 * Example: `await demoConsoleLogin(app, 'demo')` -> `{ email: 'demo@opendmp.local', password: 'q3J9...' }`.
 */
export async function demoConsoleLogin(
  app: App,
  tenant: string,
): Promise<{ email: string; password?: string }> {
  if ((await app.catalog.getUser(tenant, DEMO_CONSOLE_USER)) !== undefined)
    return { email: DEMO_CONSOLE_USER };
  const made = await addOrResetUser(app.catalog, tenant, DEMO_CONSOLE_USER, 'admin', 'cli:dmp-serve-demo');
  return { email: made.email, password: made.password };
}

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
  const login = keys === undefined ? undefined : await demoConsoleLogin(app, keys.tenant);
  const address = await app.server.listen({ port: config.port, host: config.host });
  const base = address.replace('[::1]', 'localhost');
  // one line, always: people read it, and programs that started us on --port 0 learn the port from it
  process.stdout.write(
    `${keys === undefined ? '' : '\n'}opendmp is running at ${base}  (API docs: ${base}/docs)\n`,
  );
  if (keys !== undefined) {
    process.stdout.write(
      [
        `console: ${base}/`,
        `  login:    ${login?.email ?? ''}`,
        login?.password === undefined
          ? `  password: the one printed on the first start (a new one: dmp user add ${keys.tenant} ${DEMO_CONSOLE_USER} --role admin)`
          : `  password: ${login.password}  (one-time: change it at first login)`,
        '',
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
