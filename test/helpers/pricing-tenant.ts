import assert from 'node:assert/strict';
import type { TestApp } from './test-app.ts';

/** Awaits a call and checks its status; resolves to its body. */
export type Expect = (call: Promise<{ status: number; body: unknown }>, status: number) => Promise<unknown>;

/**
 * A tenant `acme` on `h` with the trait `pricing` (`url.path startsWith "/pricing"`) and the segment
 * `pricing_fans` (`trait:pricing`), and `ok`, which checks a call's status (showing the body when it is not).
 * Example: `const { apiKey, ok } = await pricingTenant(h); await ok(h.call('POST', '/v1/events', apiKey, [...]), 202);`
 */
export async function pricingTenant(h: TestApp): Promise<{ apiKey: string; ok: Expect }> {
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const ok: Expect = async (call, status) => {
    const { status: got, body } = await call;
    assert.equal(got, status, JSON.stringify(body));
    return body;
  };
  const trait = { code: 'pricing', name: 'P', rule: 'url.path startsWith "/pricing"' };
  await ok(h.call('POST', '/v1/traits', apiKey, trait), 201);
  const segment = { code: 'pricing_fans', name: 'PF', rule: 'trait:pricing' };
  await ok(h.call('POST', '/v1/segments', apiKey, segment), 201);
  return { apiKey, ok };
}
