import { access, constants } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), the browser the browser tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags Chromium is started with: headless, no sandbox (CI runs as root, where Chromium's sandbox
 * refuses to start), no GPU, and no background requests of its own (updates, safe browsing) that could
 * reach the network or the test's servers.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

/**
 * Starts Debian's headless Chromium through playwright-core (which brings no browser of its own). A
 * missing binary is an error saying how to install it, never a skipped test: CI installs the package
 * (`.ci/run`) and must run the browser tests.
 *
 * Example:
 * ```ts
 * const browser = await launchChromium();
 * t.after(() => browser.close());
 * const page = await (await browser.newContext()).newPage();
 * await page.goto('http://localhost:8081/');
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests drive Debian's Chromium; install it with \`apt-get install -y chromium\` (as root)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
