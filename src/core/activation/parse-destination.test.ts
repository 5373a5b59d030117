import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDestination } from './parse-destination.ts';

const openrtb = {
  kind: 'openrtb',
  code: 'ssp-eu',
  name: 'SSP Europe',
  segments: [
    { segment: 'sports_fans', id: '607' },
    { segment: 'auto_intent', id: '243' },
  ],
  segtax: 4,
  idType: 'uid',
  consent: { vendorId: 755, purposes: [4, 1, 3, 3] },
  restrictions: ['no-modeling'],
  rateLimitPerSecond: 5000,
};

/** The Unique IDs of the real IAB Audience Taxonomy 1.1 (first column empty, CRLF, header row). */
const taxonomyIds = new Set(
  readFileSync(join(import.meta.dirname, '../../../assets/taxonomy/Audience Taxonomy 1.1.tsv'), 'utf8')
    .split('\r\n')
    .slice(1)
    .map((line) => line.split('\t')[1] ?? '')
    .filter((id) => id !== ''),
);

function withOverrides(
  base: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  return { ...base, ...change };
}

void describe('parseDestination', () => {
  void it('accepts a destination of each kind and fills the defaults', () => {
    const read = parseDestination(openrtb, {
      knownLabels: ['no-modeling'],
      audienceTaxonomyIds: taxonomyIds,
    });
    assert.deepEqual(read, {
      ok: true,
      destination: { ...openrtb, consent: { vendorId: 755, purposes: [1, 3, 4] }, settings: {} },
    });
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ kind: 'prebid', settings: { onsite: true } }, { onsite: true }],
      [
        { kind: 'gam', settings: { key: 'dmp_seg' } },
        { key: 'dmp_seg', maxValuesPerKey: 50 },
      ],
      [
        { kind: 'url', settings: { template: 'https://px.example/s?u=${UID}&c=${GDPR_CONSENT_755}' } },
        { template: 'https://px.example/s?u=${UID}&c=${GDPR_CONSENT_755}' },
      ],
      [
        { kind: 'http', settings: { url: 'https://api.example/aud', thirdParty: true } },
        { url: 'https://api.example/aud', batchSize: 1000, thirdParty: true },
      ],
      [
        { kind: 'file', settings: { format: 'csv', mode: 'delta', columns: [{ name: 'uid', from: 'id' }] } },
        { format: 'csv', mode: 'delta', columns: [{ name: 'uid', from: 'id' }], batchSize: 1_000_000 },
      ],
    ];
    for (const [change, settings] of cases) {
      const read = parseDestination(withOverrides({ ...openrtb, segtax: undefined }, change));
      assert.ok(read.ok, JSON.stringify(read));
      assert.equal(read.destination.kind, change.kind);
      assert.deepEqual(read.destination.settings, settings);
    }
  });

  void it('names the field of every error, never throws', () => {
    const cases: [unknown, string, RegExp][] = [
      [null, '', /must be an object/],
      [[], '', /must be an object/],
      [withOverrides(openrtb, { kind: 'email' }), 'kind', /one of openrtb, prebid, gam, url, http, file/],
      [withOverrides(openrtb, { code: 'SSP EU' }), 'code', /must match/],
      [withOverrides(openrtb, { name: '' }), 'name', /must not be empty/],
      [withOverrides(openrtb, { segments: {} }), 'segments', /must be an array/],
      [withOverrides(openrtb, { segments: ['x'] }), 'segments[0]', /must be an object/],
      [withOverrides(openrtb, { segments: [{ segment: 'a', id: 7 }] }), 'segments[0].id', /must be a string/],
      [
        withOverrides(openrtb, {
          segments: [
            { segment: 'a', id: '1' },
            { segment: 'a', id: '2' },
          ],
        }),
        'segments[1].segment',
        /mapped twice/,
      ],
      [
        withOverrides(openrtb, { segments: [{ segment: 'a', id: 'abc' }] }),
        'segments[0].id',
        /Audience Taxonomy/,
      ],
      [withOverrides(openrtb, { segtax: 12 }), 'segtax', /1 to 9/],
      [withOverrides(openrtb, { segtax: '4' }), 'segtax', /integer/],
      [withOverrides(openrtb, { idType: 'Partner ID' }), 'idType', /must match/],
      [withOverrides(openrtb, { consent: [] }), 'consent', /must be an object/],
      [withOverrides(openrtb, { consent: { purposes: [1, 12] } }), 'consent.purposes[1]', /between 1 and 11/],
      [withOverrides(openrtb, { consent: { vendorId: 0, purposes: [] } }), 'consent.vendorId', /between/],
      [withOverrides(openrtb, { restrictions: ['No Modeling'] }), 'restrictions[0]', /must match/],
      [withOverrides(openrtb, { rateLimitPerSecond: 0 }), 'rateLimitPerSecond', /between 1/],
      [withOverrides(openrtb, { schedule: { everyMinutes: 0.5 } }), 'schedule.everyMinutes', /integer/],
      [withOverrides(openrtb, { schedule: { every: 5 } }), 'schedule.every', /unknown field/],
      [withOverrides(openrtb, { colour: 'red' }), 'colour', /unknown field/],
      [withOverrides(openrtb, { settings: 'x' }), 'settings', /must be an object/],
      [withOverrides(openrtb, { settings: { onsite: 'yes' } }), 'settings.onsite', /true or false/],
      [withOverrides(openrtb, { settings: { key: 'dmp' } }), 'settings.key', /unknown field/],
      [
        withOverrides(openrtb, { kind: 'gam', segtax: undefined, settings: { key: '1dmp' } }),
        'settings.key',
        /digit/,
      ],
      [
        withOverrides(openrtb, { kind: 'gam', segtax: undefined, settings: { key: 'dmp segments' } }),
        'settings.key',
        /white space/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'gam',
          segtax: undefined,
          settings: { key: 'a_key_longer_than_20' + 'x' },
        }),
        'settings.key',
        /at most 20/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'gam',
          segtax: undefined,
          segments: [{ segment: 'a', id: 'sports fans' }],
          settings: { key: 'dmp' },
        }),
        'segments[0].id',
        /white space/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'gam',
          segtax: undefined,
          segments: [{ segment: 'a', id: 'a&b' }],
          settings: { key: 'dmp' },
        }),
        'segments[0].id',
        /must not contain/,
      ],
      [
        withOverrides(openrtb, { kind: 'gam', settings: { key: 'dmp', maxValuesPerKey: 500 } }),
        'settings.maxValuesPerKey',
        /between 1 and 200/,
      ],
      [
        withOverrides(openrtb, { kind: 'url', settings: { template: 'javascript:alert(1)' } }),
        'settings.template',
        /http or https/,
      ],
      [
        withOverrides(openrtb, { kind: 'url', settings: { template: '/relative?u=${UID}' } }),
        'settings.template',
        /absolute/,
      ],
      [withOverrides(openrtb, { kind: 'http', settings: {} }), 'settings.url', /must be a string/],
      [
        withOverrides(openrtb, { kind: 'http', settings: { url: 'https://a.example', batchSize: 0 } }),
        'settings.batchSize',
        /between/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'file',
          settings: { format: 'xml', mode: 'full', columns: [{ name: 'a', from: 'id' }] },
        }),
        'settings.format',
        /csv, ndjson/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'file',
          settings: { format: 'csv', mode: 'all', columns: [{ name: 'a', from: 'id' }] },
        }),
        'settings.mode',
        /full, delta/,
      ],
      [
        withOverrides(openrtb, { kind: 'file', settings: { format: 'csv', mode: 'full', columns: [] } }),
        'settings.columns',
        /at least one/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'file',
          settings: { format: 'csv', mode: 'full', columns: [{ name: 'a', from: 'email' }] },
        }),
        'settings.columns[0].from',
        /one of id, id_type/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'file',
          settings: {
            format: 'csv',
            mode: 'full',
            columns: [
              { name: 'a', from: 'id' },
              { name: 'a', from: 'action' },
            ],
          },
        }),
        'settings.columns[1].name',
        /repeated/,
      ],
      [
        withOverrides(openrtb, {
          kind: 'file',
          settings: { format: 'csv', mode: 'full', columns: [{ name: 'src', from: 'constant' }] },
        }),
        'settings.columns[0].value',
        /must be a string/,
      ],
    ];
    for (const [json, field, message] of cases) {
      const read = parseDestination(json);
      assert.equal(read.ok, false, `${field} accepted`);
      if (read.ok) continue;
      const found = read.errors.find((e) => e.field === field);
      assert.ok(found, `no error for ${field} in ${JSON.stringify(read.errors)}`);
      assert.match(found.message, message);
    }
  });

  void it('reports every error at once', () => {
    const read = parseDestination({ kind: 'url', code: '', idType: 7, consent: {}, settings: {} });
    assert.equal(read.ok, false);
    if (read.ok) return;
    assert.deepEqual(read.errors.map((e) => e.field).sort(), [
      'code',
      'consent.purposes',
      'idType',
      'name',
      'segments',
      'settings.template',
    ]);
  });

  void it('checks restrictions against the known labels and segtax 4 IDs against the real taxonomy', () => {
    const labels = ['no-onsite-targeting', 'no-offsite-targeting', 'no-modeling'];
    const typo = parseDestination(withOverrides(openrtb, { restrictions: ['no-modelling'] }), {
      knownLabels: labels,
    });
    assert.equal(typo.ok, false);
    if (!typo.ok) assert.match(typo.errors[0]?.message ?? '', /unknown label no-modelling; known: no-onsite/);
    assert.equal(taxonomyIds.size, 1558);
    assert.ok(taxonomyIds.has('607') && taxonomyIds.has('243') && !taxonomyIds.has('1530'));
    const unknown = parseDestination(withOverrides(openrtb, { segments: [{ segment: 'a', id: '99999' }] }), {
      audienceTaxonomyIds: taxonomyIds,
    });
    assert.equal(unknown.ok, false);
    if (!unknown.ok) assert.deepEqual(unknown.errors[0]?.field, 'segments[0].id');
    // without the taxonomy at hand, any positive integer passes
    assert.equal(
      parseDestination(withOverrides(openrtb, { segments: [{ segment: 'a', id: '99999' }] })).ok,
      true,
    );
  });
});
