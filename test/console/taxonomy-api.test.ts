import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aboveMatches, byParent, countOf } from '../../console/src/taxonomy-api.ts';

const NODES = [
  { id: '1', parent: '', match: false },
  { id: '2', parent: '1', match: false },
  { id: '3', parent: '2', match: true },
  { id: '4', parent: '2', match: false },
  { id: '5', parent: '', match: true },
];

test('byParent groups the nodes under their parent, in the order given', () => {
  const groups = byParent(NODES, (n) => n.parent);
  assert.deepEqual(
    [...groups].map(([parent, children]) => [parent, children.map((n) => n.id)]),
    [
      ['', ['1', '5']],
      ['1', ['2']],
      ['2', ['3', '4']],
    ],
  );
});

test('aboveMatches answers the ancestors of each match (the branches a search opens), not the matches', () => {
  const above = aboveMatches(
    NODES,
    (n) => n.id,
    (n) => n.parent,
  );
  assert.deepEqual([...above].sort(), ['1', '2']);
  assert.deepEqual(
    aboveMatches(
      NODES.map((n) => ({ ...n, match: false })),
      (n) => n.id,
      (n) => n.parent,
    ).size,
    0,
  );
});

test('countOf writes the count with its noun, singular or plural', () => {
  assert.deepEqual(
    [countOf(1, 'trait'), countOf(0, 'trait'), countOf(1558, 'node'), countOf(2, 'match', 'matches')],
    ['1 trait', '0 traits', '1,558 nodes', '2 matches'],
  );
});
