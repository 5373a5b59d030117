import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { enrichBidRequest, userDataEntry } from './enrich-bid-request.ts';
import type { BidRequest } from './read-bid-request.ts';
import { spliceUserData } from './splice-user-data.ts';

const entry = userDataEntry('dmp.example.com', ['483', '7'], 4);
const ENTRY = JSON.stringify(entry);

/** The text `result` is `text` with one insertion; returns the inserted text. */
function insertionOf(text: string, result: string): string {
  let k = 0;
  while (k < text.length && text[k] === result[k]) k++;
  const added = result.length - text.length;
  assert.equal(result.slice(k + added), text.slice(k), 'the rest of the request is byte for byte as sent');
  return result.slice(k, k + added);
}

void describe('spliceUserData', () => {
  void it('keeps every digit of 64-bit IDs and long decimals', () => {
    const text =
      '{"id":"r","imp":[{"id":"1","tagid":9007199254740993,"bidfloor":0.1234567890123456789,' +
      '"ext":{"appnexus":{"placementId":12345678901234567890}}}],"tmax":500}';
    const result = spliceUserData(text, entry);
    assert.equal(insertionOf(text, result), `,"user":{"data":[${ENTRY}]}`);
    assert.match(result, /"tagid":9007199254740993,"bidfloor":0\.1234567890123456789,/);
  });

  const cases: [string, string, string][] = [
    ['no user', '{"id":"r"}', `{"id":"r","user":{"data":[${ENTRY}]}}`],
    ['an empty user', '{"id":"r","user":{ }}', `{"id":"r","user":{"data":[${ENTRY}] }}`],
    ['no data', '{"user":{"id":"u"}}', `{"user":{"id":"u","data":[${ENTRY}]}}`],
    ['empty data', '{"user":{"data":[]}}', `{"user":{"data":[${ENTRY}]}}`],
    ['data with entries', '{"user":{"data":[{"id":"x"}]}}', `{"user":{"data":[{"id":"x"},${ENTRY}]}}`],
    [
      'pretty-printed',
      '{\n  "user": {\n    "data": [\n      1\n    ]\n  }\n}',
      `{\n  "user": {\n    "data": [\n      1,${ENTRY}\n    ]\n  }\n}`,
    ],
    [
      'duplicate keys: the last wins',
      '{"user":{"id":"a"},"user":{}}',
      `{"user":{"id":"a"},"user":{"data":[${ENTRY}]}}`,
    ],
    ['an escaped key', '{"us\\u0065r":{"data":[]}}', `{"us\\u0065r":{"data":[${ENTRY}]}}`],
    [
      'brackets and quotes inside strings',
      '{"site":{"page":"a\\"}{]["},"user":{"id":"\\\\","data":[]}}',
      `{"site":{"page":"a\\"}{]["},"user":{"id":"\\\\","data":[${ENTRY}]}}`,
    ],
    [
      'a nested user is not the user',
      '{"app":{"user":{}},"id":"r"}',
      `{"app":{"user":{}},"id":"r","user":{"data":[${ENTRY}]}}`,
    ],
  ];
  for (const [name, text, expected] of cases) {
    void it(name, () => assert.equal(spliceUserData(text, entry), expected));
  }

  void it('gives what enrichBidRequest gives, with one insertion into the text as sent', () => {
    const user = fc.option(
      fc.record(
        {
          id: fc.string(),
          data: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
          ext: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    const request = fc.record(
      {
        id: fc.string(),
        imp: fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 3 }),
        user,
        site: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['id', 'imp'] },
    );
    fc.assert(
      fc.property(request, fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const result = spliceUserData(text, entry);
        insertionOf(text, result);
        assert.deepEqual(JSON.parse(result), enrichBidRequest(JSON.parse(text) as BidRequest, entry));
      }),
      { numRuns: 300 },
    );
  });
});
