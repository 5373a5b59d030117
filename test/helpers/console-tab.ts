import type { TestContext } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { logInFirstTime } from './console-users.ts';

/** The viewport the console browser tests use unless they say otherwise (a laptop screen). */
export const DESKTOP = { width: 1280, height: 900 };

/** What `openConsoleTab` answers: the page, and the script errors it has thrown so far (filled as they come). */
export interface ConsoleTab {
  tab: Page;
  errors: Error[];
}

/** How `openConsoleTab` opens the console: who logs in first (none: the tab stays on the login page) and the context. */
export interface ConsoleTabOptions {
  /** The user who logs in with the one-time password (and chooses `CONSOLE_PASSWORD`); omitted: nobody. */
  login?: { email: string; password: string };
  /** More options of the browser context (`timezoneId`, `acceptDownloads`, ...); the viewport is `DESKTOP` unless given. */
  context?: BrowserContextOptions;
}

/**
 * Starts Chromium (closed after the test), opens a tab on the console's `address` (its login page) that
 * collects its script errors, and logs `login` in for the first time (up to the console's nav). Each test
 * asserts at its end that `errors` is empty.
 *
 * Example:
 * ```ts
 * const password = await consoleUser(h, apiKey, 'mia@acme.com', 'editor');
 * const { tab, errors } = await openConsoleTab(t, `${h.base}/`, { login: { email: 'mia@acme.com', password } });
 * await tab.goto(`${h.base}/#/traits`);
 * assert.deepEqual(errors, [], 'no script errors');
 * ```
 */
export async function openConsoleTab(
  t: TestContext,
  address: string,
  options: ConsoleTabOptions = {},
): Promise<ConsoleTab> {
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: DESKTOP, ...options.context });
  const tab = await context.newPage();
  const errors: Error[] = [];
  tab.on('pageerror', (e) => errors.push(e));
  await tab.goto(address);
  if (options.login) await logInFirstTime(tab, options.login.email, options.login.password);
  return { tab, errors };
}
