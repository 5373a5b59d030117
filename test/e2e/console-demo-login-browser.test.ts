import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, startDmpProcess } from '../helpers/dmp-process.ts';
import { WAIT_MS } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';

/**
 * What `npm start` (`dmp serve --demo`) prints is enough to use the console: the console's address, the
 * demo tenant's login and its one-time password. In Chromium, that login and password open the console
 * (after the forced password change) on the demo tenant's dashboard, whose profile count is the one the
 * printed API key reads from the API; a second start says the user exists and prints no password.
 */
test('in Chromium: the login `dmp serve --demo` prints opens the console on the demo tenant', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-demo-login-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const child = await startDmpProcess(dir, 0, {}, ['--demo'], 180_000);
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  const printed = child.output();
  const address = /^console: (\S+)$/m.exec(printed)?.[1];
  const email = /^ {2}login: +(\S+)$/m.exec(printed)?.[1];
  const password = /^ {2}password: (\S+) {2}\(one-time/m.exec(printed)?.[1];
  const apiKey = /^ {2}API key: +(\S+)$/m.exec(printed)?.[1];
  assert.ok(address?.startsWith('http') === true && address.endsWith(`:${child.port}/`), printed);
  assert.equal(email, 'demo@opendmp.local', printed);
  assert.ok(password !== undefined && password.length >= 20, printed);
  assert.ok(apiKey !== undefined, printed);

  const dashboard = await fetch(`${child.base}/v1/dashboard`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(dashboard.status, 200);
  const { profiles } = (await dashboard.json()) as { profiles: number };
  assert.ok(profiles > 0, 'the demo tenant has profiles');

  const { tab, errors } = await openConsoleTab(t, address ?? '', {
    login: { email: email ?? '', password: password ?? '' },
  });
  await tab.getByText('demo@opendmp.local (admin, tenant').waitFor({ timeout: WAIT_MS });
  const shown = tab.locator('dl.figures').getByText(profiles.toLocaleString('en'), { exact: true });
  await shown.waitFor({ timeout: WAIT_MS });
  assert.deepEqual(errors, []);

  // a second start finds the user: it prints no password (only a hash is kept), and says how to get one
  child.kill('SIGTERM');
  await exited(child);
  const again = await startDmpProcess(dir, 0, {}, ['--demo'], 180_000);
  t.after(async () => {
    again.kill('SIGTERM');
    await exited(again);
  });
  assert.match(again.output(), /password: the one printed on the first start \(a new one: dmp user add/);
  assert.doesNotMatch(again.output(), /one-time: change it at first login/);
});
