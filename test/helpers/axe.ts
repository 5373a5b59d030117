import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** One accessibility rule axe-core found broken, with how bad it is and where. */
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (the devDependency, pinned) on the page as it is now and answers its serious and critical
 * violations. The source is evaluated through the browser's debugging protocol rather than added as a
 * `<script>`, so the page's Content-Security-Policy stays on while it is checked.
 *
 * Example: `assert.deepEqual(await seriousViolations(page), [])`.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = await readFile(AXE_SOURCE, 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate<AxeViolation[]>('axe.run().then((result) => result.violations)');
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
