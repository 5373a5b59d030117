import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRecord } from './event-log.ts';
import { visitorRecord } from './testing/erase-fixtures.ts';
import { visitorMatcher } from './visitor-matcher.ts';
import { profileUid } from '../core/demo-uid.ts';

const drop = visitorMatcher('t1', 'c-123', { maid: 'm-1', email: '' }, { beforeSeq: 100 });

const cases: [name: string, record: LogRecord, seq: number, expected: boolean][] = [
  ['an event with the uid', visitorRecord(1, 'c-123'), 5, true],
  ['an event with another uid and one of the IDs', visitorRecord(1, 'c-9', { maid: 'm-1' }), 5, true],
  ['an event with the uid and other IDs', visitorRecord(1, 'c-123', { idfa: 'x' }), 5, true],
  ['an event with the ID value under another type', visitorRecord(1, 'c-9', { idfa: 'm-1' }), 5, false],
  ['an event with an empty ID the visitor also has empty', visitorRecord(1, 'c-9', { email: '' }), 5, false],
  ['an event of another visitor', visitorRecord(1, 'c-9'), 5, false],
  ['an event with the uid in another tenant', visitorRecord(1, 'c-123', {}, 't2'), 5, false],
  ['an event with the uid at the delete record’s seq', visitorRecord(1, 'c-123'), 100, false],
  ['an event with the uid after the deletion', visitorRecord(1, 'c-123'), 101, false],
  ['the delete record (proof of deletion)', { kind: 'delete', tenant: 't1', uid: 'c-123' }, 5, false],
  ['a tombstone', { kind: 'erased', tenant: 't1' }, 5, false],
  ['a consent record with the uid', consentRecord('c-123'), 5, true],
  ['a consent record by one of the IDs only', consentRecord('', { maid: 'm-1' }), 5, true],
  ['a consent record of another visitor', consentRecord('c-9', { idfa: 'm-1' }), 5, false],
  ['a consent record after the deletion', consentRecord('c-123'), 101, false],
];

function consentRecord(uid: string, ids?: Record<string, string>): LogRecord {
  return { kind: 'consent', tenant: 't1', uid, ...(ids ? { ids } : {}), ts: 1, consent: { gdpr: 1 } };
}

void describe('visitorMatcher', () => {
  for (const [name, record, seq, expected] of cases) {
    void it(`${expected ? 'matches' : 'does not match'} ${name}`, () => {
      assert.equal(drop(record, seq), expected);
    });
  }

  void it('matches at any seq without beforeSeq, and never on an empty uid', () => {
    assert.equal(visitorMatcher('t1', 'c-123', {})(visitorRecord(1, 'c-123'), 1e12), true);
    assert.equal(visitorMatcher('t1', '', { maid: 'm-1' })(visitorRecord(1, ''), 1), false);
    assert.equal(visitorMatcher('t1', '', { maid: 'm-1' })(visitorRecord(1, '', { maid: 'm-1' }), 1), true);
  });
});

void describe('visitorMatcher on a day of the standard data set', () => {
  const spec = { profiles: 100, days: 10, seed: 5, now: 1_795_968_000_000 };
  const day = { kind: 'demo', tenant: 't1', spec, day: 3, maxAgeMs: 1e10 } as const;

  void it('rewrites the record to leave out a generated visitor, once, keeping the numbers sorted', () => {
    const first = visitorMatcher('t1', profileUid(5, 42), {})(day, 5);
    assert.deepEqual(first, { ...day, except: [42] });
    const second = visitorMatcher('t1', profileUid(5, 7), {})(first, 5);
    assert.deepEqual(second, { ...day, except: [7, 42] });
    assert.equal(visitorMatcher('t1', profileUid(5, 7), {})(second as LogRecord, 5), false);
  });

  void it('leaves the record for a uid the data set did not make, another seed, or another tenant', () => {
    assert.equal(visitorMatcher('t1', 'c-123', {})(day, 5), false);
    assert.equal(visitorMatcher('t1', profileUid(6, 42), {})(day, 5), false);
    assert.equal(visitorMatcher('t1', profileUid(5, 100), {})(day, 5), false, 'beyond the profiles');
    assert.equal(visitorMatcher('t2', profileUid(5, 42), {})(day, 5), false);
  });
});

void describe('visitorMatcher on the rows of an ID-link file', () => {
  const links = (rows: [string, string][][], tenant = 't1'): LogRecord => ({
    kind: 'links',
    tenant,
    ts: 1,
    rows,
  });
  const ours: [string, string][] = [
    ['crm', 'C-1'],
    ['maid', 'm-1'],
  ];
  const other: [string, string][] = [
    ['crm', 'C-2'],
    ['maid', 'm-2'],
  ];

  void it('rewrites the record without the rows naming any of the visitor’s IDs, whole rows', () => {
    assert.deepEqual(
      drop(
        links([
          other,
          ours,
          [
            ['uid', 'c-123'],
            ['crm', 'C-3'],
          ],
        ]),
        5,
      ),
      links([other]),
    );
    // a further ID of a merged visitor (`more`) names it too
    const merged = visitorMatcher('t1', 'c-123', {}, { more: [['crm', 'C-2']] });
    assert.deepEqual(
      merged(
        links([
          other,
          [
            ['crm', 'C-9'],
            ['maid', 'm-9'],
          ],
        ]),
        5,
      ),
      links([
        [
          ['crm', 'C-9'],
          ['maid', 'm-9'],
        ],
      ]),
    );
  });

  void it('tombstones a record left without rows, and leaves one that does not name the visitor', () => {
    assert.equal(drop(links([ours]), 5), true);
    assert.equal(drop(links([other]), 5), false);
    assert.equal(
      drop(
        links([
          [
            ['idfa', 'm-1'],
            ['crm', 'C-1'],
          ],
        ]),
        5,
      ),
      false,
      'the value under another type',
    );
    assert.equal(drop(links([ours], 't2'), 5), false, 'another tenant');
    assert.equal(drop(links([ours]), 100), false, 'at or after the deletion');
  });
});
