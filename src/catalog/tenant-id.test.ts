import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTenantSlug, tenantIdCandidates, tenantSlug } from './tenant-id.ts';

void test('isTenantSlug accepts lower-case slugs of 1 to 32 characters', () => {
  for (const ok of ['a', 'acme', 'acme-2', 'a1', 'x'.repeat(32)]) assert.equal(isTenantSlug(ok), true, ok);
  for (const bad of ['', 'Acme', 'acme ltd', '-acme', 'acme-', 'ac--me', 'x'.repeat(33), 'acmé', 'a_b']) {
    assert.equal(isTenantSlug(bad), false, bad);
  }
});

void test('tenantSlug folds case and accents and joins words with -', () => {
  const cases: [string, string][] = [
    ['Acme Ltd', 'acme-ltd'],
    ['Café Crème Ltd.', 'cafe-creme-ltd'],
    ['  --Shop__Example.com-- ', 'shop-example-com'],
    ['日本', 'tenant'],
    ['', 'tenant'],
    ['A very long organisation name indeed', 'a-very-long-organisation'],
  ];
  for (const [name, slug] of cases) assert.equal(tenantSlug(name), slug, name);
});

void test('tenantIdCandidates tries a slug name first, then slug plus a random suffix', () => {
  const [first, ...rest] = tenantIdCandidates('acme', 4);
  assert.equal(first, 'acme');
  assert.equal(rest.length, 3);
  for (const id of rest) assert.match(id, /^acme-[a-z2-9]{6}$/);
  assert.equal(new Set(rest).size, 3);

  const named = tenantIdCandidates('Acme Ltd', 2);
  assert.equal(named.length, 2);
  for (const id of named) {
    assert.match(id, /^acme-ltd-[a-z2-9]{6}$/);
    assert.equal(isTenantSlug(id), true);
  }
});
