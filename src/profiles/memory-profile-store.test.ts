import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryProfileStore } from './memory-profile-store.ts';

void describe('createMemoryProfileStore', () => {
  void it('keeps tenants apart: the same uid in two tenants is two profiles', () => {
    const store = createMemoryProfileStore();
    const acme = store.tenant('acme');
    const globex = store.tenant('globex');
    const a = acme.resolve('c-1', {}, true) ?? -1;
    acme.addRealisation(a, 7, 1000);
    assert.equal(globex.resolve('c-1', {}, false), undefined);
    const g = globex.resolve('c-1', {}, true) ?? -1;
    assert.equal(globex.view(g).countRealisations(7, -Infinity, Infinity), 0);
    acme.remove(a);
    assert.equal(globex.find('uid', 'c-1'), g);
    assert.equal(store.tenant('acme'), acme);
    assert.equal(acme.count(), 0);
    assert.equal(globex.count(), 1);
  });

  void it('lists its tenants and restores each from its snapshot parts into a fresh store', () => {
    const store = createMemoryProfileStore();
    store.tenant('acme').resolve('c-1', { maid: 'm-1' }, true);
    store.tenant('globex').resolve('c-2', {}, true);
    assert.deepEqual(store.tenants(), ['acme', 'globex']);
    const fresh = createMemoryProfileStore();
    for (const tenant of store.tenants()) fresh.restoreTenant(tenant, store.tenant(tenant).snapshotParts());
    assert.deepEqual(fresh.tenants(), ['acme', 'globex']);
    assert.equal(fresh.tenant('acme').find('maid', 'm-1'), 0);
    assert.equal(fresh.tenant('globex').find('uid', 'c-1'), undefined);
    assert.throws(() => fresh.restoreTenant('acme', []), /already has profiles/);
  });
});
