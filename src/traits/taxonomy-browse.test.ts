import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browseTaxonomy, folderSegments } from './taxonomy-browse.ts';
import type { FiledTrait } from './taxonomy-browse.ts';
import type { IabNode } from './iab-audience-taxonomy.ts';

const NODES: IabNode[] = [
  { id: '1', parent: '', name: 'Demographic', tier1: 'Demographic' },
  { id: '2', parent: '1', name: 'Demographic | Age Range', tier1: 'Demographic' },
  { id: '3', parent: '2', name: 'Demographic | Age Range | 18-20', tier1: 'Demographic' },
  { id: '4', parent: '2', name: 'Demographic | Age Range | 21-24', tier1: 'Demographic' },
  { id: '16', parent: '1', name: 'Demographic | Education & Occupation', tier1: 'Demographic' },
  { id: '17', parent: '16', name: 'Demographic | Education & Occupation | College', tier1: 'Demographic' },
  { id: '18', parent: '17', name: 'Demographic | Education & Occupation | Bachelor', tier1: 'Demographic' },
  { id: '206', parent: '', name: 'Interest', tier1: 'Interest' },
];

const TRAITS: FiledTrait[] = [
  { code: 'pricing', name: 'Saw pricing', kind: 'rule', folder: 'Site/Intent' },
  { code: 'cart', name: 'Saw the cart', kind: 'rule', folder: ' Site / Intent /' },
  { code: 'home', name: 'Home page', kind: 'rule', folder: 'Site' },
  { code: 'iab_48', name: 'Auto buyers', kind: 'third-party', folder: 'Partner/Auto' },
  { code: 'loose', name: 'No folder', kind: 'rule', folder: '' },
];

void test('folderSegments trims each segment and drops the empty ones', () => {
  assert.deepEqual(folderSegments(' Site / Intent/'), ['Site', 'Intent']);
  assert.deepEqual(folderSegments('//'), []);
});

void test('without a search: every folder (parents first, by path) with its traits, the unfiled, every node', () => {
  const view = browseTaxonomy(TRAITS, NODES);
  assert.equal(view.q, '');
  assert.equal(view.matches, 0);
  assert.deepEqual(
    view.folders.map((f) => [f.path, f.name, f.parent, f.traits.map((t) => t.code)]),
    [
      ['Partner', 'Partner', '', []],
      ['Partner/Auto', 'Auto', 'Partner', ['iab_48']],
      ['Site', 'Site', '', ['home']],
      ['Site/Intent', 'Intent', 'Site', ['cart', 'pricing']],
    ],
  );
  assert.deepEqual(view.folders[1]?.traits[0], {
    code: 'iab_48',
    name: 'Auto buyers',
    kind: 'third-party',
    match: false,
  });
  assert.deepEqual(view.unfiled, [{ code: 'loose', name: 'No folder', kind: 'rule', match: false }]);
  assert.deepEqual(
    view.iab.nodes.map((n) => n.id),
    NODES.map((n) => n.id),
  );
  assert.deepEqual(
    [view.iab.total, view.iab.nodes[2]],
    [NODES.length, { id: '3', parent: '2', name: 'Demographic | Age Range | 18-20', match: false }],
  );
  assert.ok(view.iab.nodes.every((n) => !n.match));
});

void test('an IAB search answers the matches, their ancestors and what lies under them', () => {
  const view = browseTaxonomy(TRAITS, NODES, '  18-20 ');
  assert.equal(view.q, '18-20');
  assert.deepEqual(
    view.iab.nodes.map((n) => [n.id, n.match]),
    [
      ['1', false],
      ['2', false],
      ['3', true],
    ],
  );
  assert.deepEqual([view.folders, view.unfiled, view.matches], [[], [], 1]);

  const age = browseTaxonomy(TRAITS, NODES, 'age range');
  assert.deepEqual(
    age.iab.nodes.map((n) => [n.id, n.match]),
    [
      ['1', false],
      ['2', true],
      ['3', true],
      ['4', true],
    ],
  );
  // a tier-3 match brings the tier-4 node whose name does not repeat it
  const college = browseTaxonomy([], NODES, 'COLLEGE');
  assert.deepEqual(
    college.iab.nodes.map((n) => [n.id, n.match]),
    [
      ['1', false],
      ['16', false],
      ['17', true],
      ['18', false],
    ],
  );
  assert.equal(college.matches, 1);
});

void test('an ID matches only exactly', () => {
  const view = browseTaxonomy([], NODES, '3');
  assert.deepEqual(
    view.iab.nodes.filter((n) => n.match).map((n) => n.id),
    ['3'],
  );
});

void test('a folder search answers the folder with all it holds; a trait by code or name with its path', () => {
  const intent = browseTaxonomy(TRAITS, NODES, 'intent');
  assert.deepEqual(
    intent.folders.map((f) => [f.path, f.match, f.traits.map((t) => [t.code, t.match])]),
    [
      ['Site', false, []],
      [
        'Site/Intent',
        true,
        [
          ['cart', false],
          ['pricing', false],
        ],
      ],
    ],
  );
  assert.deepEqual([intent.iab.nodes, intent.matches], [[], 1]);
  // "site" matches the Site folder only, not again each folder under it
  const site = browseTaxonomy(TRAITS, NODES, 'SITE');
  assert.deepEqual(
    site.folders.map((f) => [f.path, f.match, f.traits.length]),
    [
      ['Site', true, 1],
      ['Site/Intent', false, 2],
    ],
  );
  assert.equal(site.matches, 1);
  // a whole path matches the folder it ends in
  assert.deepEqual(
    browseTaxonomy(TRAITS, NODES, 'site/int').folders.map((f) => [f.path, f.match]),
    [
      ['Site', false],
      ['Site/Intent', true],
    ],
  );
  const byCode = browseTaxonomy(TRAITS, NODES, 'iab_48');
  assert.deepEqual(
    byCode.folders.map((f) => [f.path, f.match, f.traits.map((t) => [t.code, t.match])]),
    [
      ['Partner', false, []],
      ['Partner/Auto', false, [['iab_48', true]]],
    ],
  );
  const byName = browseTaxonomy(TRAITS, NODES, 'no FOLDER');
  assert.deepEqual([byName.folders, byName.unfiled.map((t) => t.code), byName.matches], [[], ['loose'], 1]);
});

void test('a search that matches nothing answers nothing', () => {
  const view = browseTaxonomy(TRAITS, NODES, 'zzz');
  assert.deepEqual([view.matches, view.folders, view.unfiled, view.iab.nodes], [0, [], [], []]);
  assert.equal(view.iab.total, NODES.length);
});
