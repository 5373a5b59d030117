import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prebidUserData } from './prebid-user-data.ts';

void describe('prebidUserData', () => {
  void it('gives one ortb2.user.data entry per taxonomy, merging and skipping empty ones', () => {
    const cases: [string, Parameters<typeof prebidUserData>[1], unknown[]][] = [
      ['nothing', [], []],
      ['only empty', [{ segmentIds: [], segtax: 4 }], []],
      [
        'one SDA destination',
        [{ segmentIds: ['607'], segtax: 4 }],
        [{ id: 'opendmp', name: 'dmp.example.com', segment: [{ id: '607' }], ext: { segtax: 4 } }],
      ],
      [
        'same segtax merged, IDs once',
        [
          { segmentIds: ['607', '243'], segtax: 4 },
          { segmentIds: ['243', '409'], segtax: 4 },
        ],
        [
          {
            id: 'opendmp',
            name: 'dmp.example.com',
            segment: [{ id: '607' }, { id: '243' }, { id: '409' }],
            ext: { segtax: 4 },
          },
        ],
      ],
      [
        'plain IDs after the taxonomies',
        [{ segmentIds: ['ttd-1'] }, { segmentIds: ['p1'], segtax: 600 }, { segmentIds: ['607'], segtax: 4 }],
        [
          { id: 'opendmp', name: 'dmp.example.com', segment: [{ id: 'p1' }], ext: { segtax: 600 } },
          { id: 'opendmp', name: 'dmp.example.com', segment: [{ id: '607' }], ext: { segtax: 4 } },
          { id: 'opendmp', name: 'dmp.example.com', segment: [{ id: 'ttd-1' }] },
        ],
      ],
    ];
    for (const [name, mapped, expected] of cases) {
      assert.deepEqual(prebidUserData('dmp.example.com', mapped), expected, name);
    }
  });
});
