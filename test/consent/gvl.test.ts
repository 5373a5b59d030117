import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGvl, parseGvl } from '../../src/core/consent/index.ts';
import { GVL_PATH, gvlJson } from './consent-fixtures.ts';

test('loadGvl reads the real vendor list: 376 vendors, 11 purposes, TCF policy 4', async () => {
  const loaded = await loadGvl(GVL_PATH);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.reason);
  const { gvl } = loaded;
  assert.deepEqual([gvl.vendors.size, gvl.purposes.size, gvl.specialFeatures.size], [376, 11, 2]);
  assert.deepEqual([gvl.gvlSpecificationVersion, gvl.vendorListVersion, gvl.tcfPolicyVersion], [3, 7, 4]);
  assert.deepEqual(gvl.vendors.get(755), {
    id: 755,
    name: 'Google Advertising Products',
    purposes: [1, 3, 4],
    legIntPurposes: [2, 7, 9, 10],
    flexiblePurposes: [2, 7, 9, 10],
    specialPurposes: [1, 2],
    features: [1, 2],
    specialFeatures: [],
  });
  assert.equal(gvl.purposes.get(1)?.name, 'Store and/or access information on a device');
  assert.equal(gvl.specialFeatures.get(1)?.name, 'Use precise geolocation data');
});

test('loadGvl gives a reason for a missing file and for a file that is not JSON', async (t) => {
  const missing = await loadGvl('/nonexistent/vendor-list.json');
  assert.equal(missing.ok, false);
  assert.match(missing.ok ? '' : missing.reason, /cannot read \/nonexistent\/vendor-list\.json/);
  const dir = mkdtempSync(join(tmpdir(), 'gvl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'bad.json'), '{"vendors":');
  const notJson = await loadGvl(join(dir, 'bad.json'));
  assert.match(notJson.ok ? '' : notJson.reason, /is not JSON/);
});

function withVendor755(change: Record<string, unknown>): unknown {
  const root = structuredClone(gvlJson) as { vendors: Record<string, Record<string, unknown>> };
  root.vendors['755'] = { ...root.vendors['755'], ...change };
  return root;
}

const badLists: [string, unknown, string][] = [
  ['not an object', [], 'the vendor list must be an object'],
  ['null', null, 'the vendor list must be an object'],
  [
    'no vendor list version',
    { ...(gvlJson as object), vendorListVersion: '7' },
    'vendorListVersion must be a positive integer',
  ],
  ['no vendors', { ...(gvlJson as object), vendors: undefined }, 'vendors must be an object'],
  ['a vendor under another ID', withVendor755({ id: 756 }), 'vendors.755.id must be 755'],
  [
    'a purpose ID that is not a number',
    withVendor755({ purposes: [1, '3'] }),
    'vendors.755.purposes[1] must be a positive integer',
  ],
  ['a vendor with no name', withVendor755({ name: 7 }), 'vendors.755.name must be a string'],
  [
    'purposes not a list',
    withVendor755({ legIntPurposes: 2 }),
    'vendors.755.legIntPurposes must be an array of IDs',
  ],
];
for (const [name, json, reason] of badLists) {
  test(`parseGvl rejects ${name}, naming the field`, () => {
    assert.deepEqual(parseGvl(json), { ok: false, reason });
  });
}

test('parseGvl keeps a deleted vendor with its deletion date', () => {
  const parsed = parseGvl(withVendor755({ deletedDate: '2024-01-01T00:00:00Z' }));
  assert.ok(parsed.ok);
  assert.equal(parsed.gvl.vendors.get(755)?.deletedDate, '2024-01-01T00:00:00Z');
});
