import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestApp } from './test-app.ts';

/** The new password every console user of the browser tests chooses at first login. */
export const CONSOLE_PASSWORD = 'a long enough new secret';
/** How long the browser tests wait for the console to show something (the bundle builds at first request). */
export const WAIT_MS = 15_000;

/** Creates a console user with `role` through the API and answers its one-time password. */
export async function consoleUser(h: TestApp, apiKey: string, email: string, role: string): Promise<string> {
  const made = await h.call('POST', '/v1/users', apiKey, { email, role });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return (made.body as { password: string }).password;
}

/** Logs in with the one-time password and chooses `CONSOLE_PASSWORD`, up to the console's nav. */
export async function logInFirstTime(tab: Page, email: string, password: string): Promise<void> {
  await tab.getByLabel('Email').fill(email);
  await tab.getByLabel('Password', { exact: true }).fill(password);
  await tab.getByRole('button', { name: 'Log in' }).click();
  await tab.getByLabel('Current password').fill(password);
  await tab.getByLabel('New password').fill(CONSOLE_PASSWORD);
  await tab.getByRole('button', { name: 'Change password' }).click();
  await tab.getByRole('navigation', { name: 'Console' }).waitFor({ timeout: WAIT_MS });
}
