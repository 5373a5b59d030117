import assert from 'node:assert/strict';
import type { TestApp } from './test-app.ts';

/**
 * The rules of the cross-device tests: trait `pricing` (a page under /pricing, a laptop's visit) and
 * `app_user` (an `app_open` event, a phone's app), segment `both` (a visitor with both, true only once
 * the devices are one visitor) and `everyone` (`visits >= 1`, counting visitors).
 *
 * Example: `await seedDeviceRules(h, apiKey);`
 */
export async function seedDeviceRules(h: TestApp, apiKey: string): Promise<void> {
  for (const [path, body] of [
    ['/v1/traits', { code: 'pricing', name: 'P', rule: 'url.path startsWith "/pricing"' }],
    ['/v1/traits', { code: 'app_user', name: 'A', rule: 'event == "app_open"' }],
    ['/v1/segments', { code: 'both', name: 'B', rule: 'trait:pricing and trait:app_user' }],
    ['/v1/segments', { code: 'everyone', name: 'E', rule: 'visits >= 1' }],
  ] as const) {
    const res = await h.call('POST', path, apiKey, body);
    assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
