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
});
