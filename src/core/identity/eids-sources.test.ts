import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_EIDS_MAPPING,
  DEFAULT_EIDS_SOURCES,
  idsFromEids,
  idsFromUser,
  MAX_EIDS,
  MAX_UIDS_PER_EID,
  mergeEidsSources,
} from './eids-sources.ts';

const IFA = '6d92078a-8246-4ba4-ae5b-76104861e7dc';

void describe('mergeEidsSources', () => {
  void it('gives the defaults without overrides', () => {
    const merged = mergeEidsSources(undefined);
    assert.ok(merged.ok);
    assert.deepEqual(Object.fromEntries(merged.mapping), DEFAULT_EIDS_SOURCES);
    assert.equal(merged.mapping.get('uidapi.com'), 'uid2');
  });

  void it('adds, changes and drops sources; sources are compared in lower case', () => {
    const merged = mergeEidsSources({
      'adserver.org': null,
      'ID5-Sync.com': 'id5_universal',
      'pub.example': 'crm',
    });
    assert.ok(merged.ok);
    assert.equal(merged.mapping.has('adserver.org'), false);
    assert.equal(merged.mapping.get('id5-sync.com'), 'id5_universal');
    assert.equal(merged.mapping.get('pub.example'), 'crm');
    assert.equal(merged.mapping.get('liveramp.com'), 'liveramp');
  });

  void it('gives every error of the overrides, naming the source', () => {
    const merged = mergeEidsSources({
      'not a domain': 'x',
      'a.example': 'Bad-Type',
      'b.example': 'uid',
      'c.example': 'email',
      'd.example': 42,
    });
    assert.equal(merged.ok, false);
    const errors = (merged as { errors: string[] }).errors;
    assert.equal(errors.length, 5);
    assert.match(errors[0]!, /"not a domain": a source is a domain name/);
    assert.match(errors[1]!, /"a.example": ID type "Bad-Type" may only hold/);
    assert.match(errors[2]!, /uid is our own cookie ID/);
    assert.match(errors[3]!, /map the source to email_sha256/);
    assert.match(errors[4]!, /must be a string, not number/);
  });

  void it('refuses what is not an object, and too many overrides', () => {
    assert.equal(mergeEidsSources(['a.example']).ok, false);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}.example`, 'x']));
    assert.match((mergeEidsSources(many) as { errors: string[] }).errors[0]!, /at most 200/);
  });
});

void describe('idsFromEids', () => {
  void it('types the IDs of mapped sources and counts the unmapped ones', () => {
    const eids = [
      { source: 'adserver.org', uids: [{ id: 'TDID-1', atype: 1, ext: { rtiPartner: 'TDID' } }] },
      { source: 'ID5-SYNC.COM', uids: [{ id: 'ID5*abc', atype: 1 }] },
      { source: 'unknown.example', uids: [{ id: 'x' }, { id: 'y' }] },
    ];
    assert.deepEqual(idsFromEids(eids, DEFAULT_EIDS_MAPPING), {
      ids: [
        { type: 'tdid', value: 'TDID-1', source: 'adserver.org' },
        { type: 'id5', value: 'ID5*abc', source: 'id5-sync.com' },
      ],
      skipped: 0,
      unmapped: 2,
      errors: [],
    });
  });

  void it('keeps IDs in their kept form, refuses what the type refuses, and deduplicates', () => {
    const merged = mergeEidsSources({ 'apple.com': 'maid' });
    assert.ok(merged.ok);
    const eids = [
      { source: 'apple.com', uids: [{ id: IFA.toUpperCase(), atype: 2 }, { id: IFA }, { id: 'not-a-uuid' }] },
    ];
    const read = idsFromEids(eids, merged.mapping);
    assert.deepEqual(read.ids, [{ type: 'maid', value: IFA, source: 'apple.com' }]);
    assert.equal(read.skipped, 1);
    assert.match(read.errors[0]!, /^apple\.com: maid "not-a-uuid" is not a device advertising ID/);
  });

  void it('skips and counts malformed input, never throws', () => {
    assert.deepEqual(idsFromEids('nope', DEFAULT_EIDS_MAPPING), {
      ids: [],
      skipped: 1,
      unmapped: 0,
      errors: [],
    });
    assert.deepEqual(idsFromEids(undefined, DEFAULT_EIDS_MAPPING).skipped, 0);
    const eids = [
      null,
      { source: 'adserver.org' },
      { source: 'adserver.org', uids: [{ id: 42 }, { id: '' }, 'x', { id: 'ok' }] },
    ];
    const read = idsFromEids(eids, DEFAULT_EIDS_MAPPING);
    assert.deepEqual(read.ids, [{ type: 'tdid', value: 'ok', source: 'adserver.org' }]);
    assert.equal(read.skipped, 5);
  });

  void it('reads at most MAX_EIDS entries of MAX_UIDS_PER_EID uids, counting the rest', () => {
    const uids = Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}` }));
    const eids = Array.from({ length: 100_000 }, () => ({ source: 'adserver.org', uids }));
    const read = idsFromEids(eids, DEFAULT_EIDS_MAPPING);
    assert.equal(read.ids.length, MAX_UIDS_PER_EID);
    assert.equal(read.skipped, 100_000 - MAX_EIDS + MAX_EIDS * (1000 - MAX_UIDS_PER_EID));
  });

  void it('never throws and never gives more than the caps, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const read = idsFromEids(value, DEFAULT_EIDS_MAPPING);
        assert.ok(read.ids.length <= MAX_EIDS * MAX_UIDS_PER_EID);
        assert.ok(read.errors.length <= 10);
      }),
    );
    const uid = fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), atype: fc.nat(3) });
    const eid = fc.record({
      source: fc.oneof(fc.constantFrom(...Object.keys(DEFAULT_EIDS_SOURCES)), fc.string()),
      uids: fc.array(uid, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.array(eid, { maxLength: 80 }), (eids) => {
        const read = idsFromEids(eids, DEFAULT_EIDS_MAPPING);
        for (const id of read.ids) assert.equal(DEFAULT_EIDS_MAPPING.get(id.source), id.type);
        const keys = read.ids.map((id) => `${id.type} ${id.value}`);
        assert.equal(new Set(keys).size, keys.length);
      }),
    );
  });
});

void describe('idsFromUser', () => {
  void it('reads user.eids and user.ext.eids, deduplicated across both', () => {
    const user = {
      eids: [{ source: 'pubcid.org', uids: [{ id: 'p-1' }] }],
      ext: { eids: [{ source: 'pubcid.org', uids: [{ id: 'p-1' }, { id: 'p-2' }] }] },
    };
    assert.deepEqual(
      idsFromUser(user, DEFAULT_EIDS_MAPPING).ids.map((id) => id.value),
      ['p-1', 'p-2'],
    );
    assert.deepEqual(idsFromUser('x', DEFAULT_EIDS_MAPPING).ids, []);
  });
});
