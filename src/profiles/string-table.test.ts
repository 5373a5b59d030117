import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StringTable } from './string-table.ts';

void describe('StringTable', () => {
  void it('gives each distinct string one id from 1, and 0 to absent and empty values', () => {
    const strings = new StringTable();
    assert.equal(strings.intern('London'), 1);
    assert.equal(strings.intern('Paris'), 2);
    assert.equal(strings.intern('London'), 1);
    assert.equal(strings.intern(undefined), 0);
    assert.equal(strings.intern(''), 0);
    assert.equal(strings.get(2), 'Paris');
    assert.equal(strings.get(0), undefined);
    assert.equal(strings.size(), 2);
  });
});
