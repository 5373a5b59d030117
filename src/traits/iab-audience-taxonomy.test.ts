import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iabAudienceTaxonomy, readIabTaxonomy } from './iab-audience-taxonomy.ts';

void test('the shipped IAB Audience Taxonomy 1.1: 1,558 nodes, parents first, trailing bars trimmed', () => {
  const nodes = readIabTaxonomy();
  assert.equal(nodes.length, 1558);
  assert.deepEqual(nodes[2], {
    id: '3',
    parent: '2',
    name: 'Demographic | Age Range | 18-20',
    tier1: 'Demographic',
  });
  assert.deepEqual(
    nodes.filter((n) => n.parent === '').map((n) => [n.id, n.name]),
    [
      ['1', 'Demographic'],
      ['206', 'Interest'],
      ['752', 'Purchase Intent*'],
    ],
  );
  const seen = new Set<string>();
  for (const n of nodes) {
    assert.ok(n.parent === '' || seen.has(n.parent), `${n.id}'s parent ${n.parent} comes first`);
    seen.add(n.id);
  }
});

void test('iabAudienceTaxonomy reads the file once and shares it, frozen', () => {
  const first = iabAudienceTaxonomy();
  assert.equal(iabAudienceTaxonomy(), first);
  assert.deepEqual(first, readIabTaxonomy());
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]));
});
