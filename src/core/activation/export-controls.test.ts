import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Destination, DestinationUses } from './destination.ts';
import { exportControlConflicts } from './export-controls.ts';
import type { SegmentLineage } from './export-controls.ts';

function destination(
  kind: 'openrtb' | 'http' | 'gam',
  settings: DestinationUses,
  restrictions: string[] = [],
): Destination {
  const base = {
    code: 'dest',
    name: 'Dest',
    segments: [],
    idType: 'uid',
    consent: { purposes: [] },
    restrictions,
  };
  if (kind === 'gam') return { ...base, kind, settings: { ...settings, key: 'dmp', maxValuesPerKey: 50 } };
  if (kind === 'http')
    return { ...base, kind, settings: { ...settings, url: 'https://a.example', batchSize: 10 } };
  return { ...base, kind, settings };
}

function lineage(...sources: [string, string[]][]): SegmentLineage {
  const labels = [...new Set(sources.flatMap(([, l]) => l))].sort();
  return { labels, sources: sources.map(([code, l]) => ({ code, labels: l })) };
}

void describe('exportControlConflicts', () => {
  void it('refuses exactly the labels each kind and setting conflicts with, naming label and source', () => {
    const cases: [string, SegmentLineage, Destination, [string, string][]][] = [
      ['no labels', lineage(['web', []]), destination('http', {}), []],
      [
        'off-site by default',
        lineage(['crm', ['no-offsite-targeting']]),
        destination('http', {}),
        [['no-offsite-targeting', 'crm']],
      ],
      [
        'on-site allowed off-site data',
        lineage(['crm', ['no-offsite-targeting']]),
        destination('gam', { onsite: true }),
        [],
      ],
      [
        'on-site refuses no-onsite',
        lineage(['crm', ['no-onsite-targeting']]),
        destination('gam', { onsite: true }),
        [['no-onsite-targeting', 'crm']],
      ],
      ['off-site takes no-onsite', lineage(['crm', ['no-onsite-targeting']]), destination('http', {}), []],
      [
        'bid stream is third-party',
        lineage(['crm', ['no-third-party-sharing']]),
        destination('openrtb', { onsite: true }),
        [['no-third-party-sharing', 'crm']],
      ],
      [
        'http first-party by default',
        lineage(['crm', ['no-third-party-sharing']]),
        destination('http', {}),
        [],
      ],
      [
        'flagged third party',
        lineage(['crm', ['no-third-party-sharing']]),
        destination('http', { thirdParty: true }),
        [['no-third-party-sharing', 'crm']],
      ],
      ['modeling only when flagged', lineage(['crm', ['no-modeling']]), destination('http', {}), []],
      [
        'modeling flagged',
        lineage(['crm', ['no-modeling']]),
        destination('http', { modeling: true }),
        [['no-modeling', 'crm']],
      ],
      [
        'pii flagged',
        lineage(['crm', ['no-pii-combination']]),
        destination('http', { piiCombination: true }),
        [['no-pii-combination', 'crm']],
      ],
      [
        'declared restriction',
        lineage(['crm', ['no-modeling']]),
        destination('http', {}, ['no-modeling']),
        [['no-modeling', 'crm']],
      ],
      [
        'custom declared label',
        lineage(['panel', ['health']]),
        destination('http', {}, ['health']),
        [['health', 'panel']],
      ],
      [
        'one per source and label',
        lineage(
          ['crm', ['no-modeling', 'no-offsite-targeting']],
          ['web', []],
          ['panel', ['no-offsite-targeting']],
        ),
        destination('http', { modeling: true }),
        [
          ['no-modeling', 'crm'],
          ['no-offsite-targeting', 'crm'],
          ['no-offsite-targeting', 'panel'],
        ],
      ],
      [
        'label with no listed source',
        { labels: ['no-offsite-targeting'], sources: [{ code: 'web', labels: [] }] },
        destination('http', {}),
        [['no-offsite-targeting', '']],
      ],
    ];
    for (const [name, segment, dest, expected] of cases) {
      const found = exportControlConflicts(segment, dest).map((c) => [c.label, c.source]);
      assert.deepEqual(found, expected, name);
    }
  });

  void it('says why, naming the label, the data source and the destination', () => {
    const [conflict] = exportControlConflicts(
      lineage(['crm', ['no-third-party-sharing']]),
      destination('openrtb', {}),
    );
    assert.equal(
      conflict?.reason,
      'data source crm is labelled no-third-party-sharing and destination dest (openrtb) shares with third parties (every bidder receives the data)',
    );
    const [declared] = exportControlConflicts(
      lineage(['crm', ['no-modeling']]),
      destination('http', {}, ['no-modeling']),
    );
    assert.equal(
      declared?.reason,
      'data source crm is labelled no-modeling and destination dest (http) declares it cannot take data labelled no-modeling',
    );
  });
});
