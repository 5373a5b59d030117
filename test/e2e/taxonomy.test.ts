import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import type { TaxonomyView } from '../../src/traits/taxonomy-browse.ts';
import { readIabTaxonomy } from '../../src/traits/iab-audience-taxonomy.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/**
 * `GET /v1/taxonomy` over HTTP: the whole IAB taxonomy and the tenant's own folders (never another
 * tenant's), a search for "Age Range" and for a trait code, a search too long (400), and the route in
 * /openapi.json.
 */
test('GET /v1/taxonomy: the IAB taxonomy and only this tenant’s folders; search; a bad q is a 400', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const acme = await h.app.catalog.createTenant('acme');
  const other = await h.app.catalog.createTenant('other');
  const post = async (key: string, body: Record<string, string>) => {
    const made = await h.call('POST', '/v1/traits', key, { rule: 'url.path == "/"', ...body });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  };
  await post(acme.apiKey, { code: 'cart_visitor', name: 'Visited the cart', folder: 'Site/Intent' });
  await post(acme.apiKey, { code: 'pricing_visitor', name: 'Visited pricing', folder: 'Site/Intent' });
  await post(acme.apiKey, { code: 'home', name: 'Home page' });
  await post(other.apiKey, { code: 'secret_trait', name: 'Other tenant', folder: 'Hidden/Folder' });
  const get = async (key: string, query = '') => {
    const answer = await h.call('GET', `/v1/taxonomy${query}`, key);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as TaxonomyView;
  };

  const all = await get(acme.apiKey);
  const file = readIabTaxonomy();
  assert.deepEqual([all.q, all.matches, all.iab.total, all.iab.nodes.length], ['', 0, 1558, 1558]);
  assert.deepEqual(
    all.iab.nodes.map((n) => [n.id, n.parent, n.name]),
    file.map((n) => [n.id, n.parent, n.name]),
  );
  assert.deepEqual(
    all.folders.map((f) => [f.path, f.parent, f.traits.map((x) => [x.code, x.name, x.kind])]),
    [
      ['Site', '', []],
      [
        'Site/Intent',
        'Site',
        [
          ['cart_visitor', 'Visited the cart', 'rule'],
          ['pricing_visitor', 'Visited pricing', 'rule'],
        ],
      ],
    ],
  );
  assert.deepEqual(
    all.unfiled.map((x) => x.code),
    ['home'],
  );
  const theirs = await get(other.apiKey);
  assert.deepEqual(
    theirs.folders.map((f) => f.path),
    ['Hidden', 'Hidden/Folder'],
  );
  assert.deepEqual(theirs.unfiled, []);
  const leak = await get(acme.apiKey, '?q=secret');
  assert.deepEqual([leak.matches, leak.folders, leak.unfiled], [0, [], []], "no other tenant's trait");

  // "Age Range": node 2 and its 13 children (each condensed name repeats it), under Demographic
  const age = await get(acme.apiKey, '?q=age%20range');
  const expected = file.filter((n) => n.name.toLowerCase().includes('age range')).map((n) => n.id);
  assert.deepEqual(expected.slice(0, 3), ['2', '3', '4']);
  assert.deepEqual(
    age.iab.nodes.map((n) => n.id),
    ['1', ...expected],
  );
  assert.deepEqual(
    age.iab.nodes.filter((n) => n.match).map((n) => n.id),
    expected,
  );
  assert.equal(age.matches, expected.length);
  assert.deepEqual([age.folders, age.unfiled], [[], []]);

  const byCode = await get(acme.apiKey, '?q=PRICING_visitor');
  assert.deepEqual(
    byCode.folders.map((f) => [f.path, f.match, f.traits.map((x) => [x.code, x.match])]),
    [
      ['Site', false, []],
      ['Site/Intent', false, [['pricing_visitor', true]]],
    ],
  );
  assert.deepEqual([byCode.matches, byCode.iab.nodes, byCode.iab.total], [1, [], 1558]);

  const tooLong = await h.call('GET', `/v1/taxonomy?q=${'x'.repeat(201)}`, acme.apiKey);
  assert.equal(tooLong.status, 400);
  const problem = tooLong.body as { field: string; detail: string };
  assert.equal(problem.field, 'querystring.q');
  assert.match(problem.detail, /200/);
  assert.equal((await h.call('GET', '/v1/taxonomy?x=1', acme.apiKey)).status, 400, 'an unknown parameter');
  assert.equal((await h.call('GET', '/v1/taxonomy')).status, 401, 'the API key is needed');

  const openapi = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
  const documented = openapi.paths['/v1/taxonomy'] as { get: { parameters: { name: string }[] } };
  assert.deepEqual(
    documented.get.parameters.map((p) => p.name),
    ['q'],
  );
});
