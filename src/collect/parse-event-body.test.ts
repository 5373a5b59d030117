import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { parseEventBody, type BodyError, type ParsedBody } from './parse-event-body.ts';

function parsed(result: ParsedBody | BodyError): ParsedBody {
  if ('error' in result) assert.fail(`expected a parsed body, got: ${result.error}`);
  return result;
}

function refused(result: ParsedBody | BodyError): BodyError {
  if (!('error' in result)) assert.fail('expected the body to be refused');
  return result;
}

void test('parseEventBody takes one JSON object', () => {
  assert.deepEqual(parseEventBody('{"uid":"a"}', 'application/json', defaultLimits), {
    items: [{ uid: 'a' }],
    indexes: [0],
    rejected: [],
  });
});

void test('parseEventBody takes a JSON array from a Buffer, with a byte order mark', () => {
  const body = Buffer.from('\ufeff[{"uid":"a"}, {"uid":"b"}, 3]');
  assert.deepEqual(parseEventBody(body, undefined, defaultLimits), {
    items: [{ uid: 'a' }, { uid: 'b' }, 3],
    indexes: [0, 1, 2],
    rejected: [],
  });
});

void test('parseEventBody takes NDJSON, skips blank lines and rejects a broken line, keeping the others', () => {
  const body = '{"uid":"a"}\r\n\n{"uid": oops}\n{"uid":"b"}\n';
  const result = parsed(parseEventBody(body, 'application/x-ndjson; charset=utf-8', defaultLimits));
  assert.deepEqual(result.items, [{ uid: 'a' }, { uid: 'b' }]);
  assert.deepEqual(result.indexes, [0, 2]);
  assert.equal(result.rejected.length, 1);
  assert.equal(result.rejected[0]?.index, 1);
  assert.match(result.rejected[0]?.error ?? '', /^line 3 is not valid JSON: .* at column 9$/);
});

void test('parseEventBody detects NDJSON sent as application/json', () => {
  const result = parsed(parseEventBody('{"uid":"a"}\n{"uid":"b"}\n', 'application/json', defaultLimits));
  assert.deepEqual(result.items, [{ uid: 'a' }, { uid: 'b' }]);
  assert.deepEqual(result.rejected, []);
});

void test('parseEventBody refuses a body that is not JSON, giving line and column', () => {
  const cases: [string, string][] = [
    ['hello', 'body is not valid JSON at line 1, column 1: Unexpected token'],
    ['{"a": hello}', 'body is not valid JSON at line 1, column 7: Unexpected token'],
    ['[\n  {"uid": "a"},\n]', 'body is not valid JSON at line 3, column 1:'],
    ['[{"uid": "a"}', 'body is not valid JSON at line 1, column 14: '],
    ['42', 'body is a number; send a JSON object, an array of events, or NDJSON'],
    ['  ', 'body is empty'],
  ];
  for (const [body, expected] of cases) {
    const result = refused(parseEventBody(body, 'application/json', defaultLimits));
    assert.ok(result.error.startsWith(expected), `${result.error}\n  should start with\n${expected}`);
    assert.equal(result.tooLarge, false);
    assert.ok(!result.error.includes('is not valid JSON;'), 'no echo of the body');
  }
});

void test('parseEventBody refuses too many events and too many bytes as too large', () => {
  const limits = { ...defaultLimits, maxEventsPerRequest: 2, maxBodyBytes: 100 };
  const array = refused(parseEventBody('[{},{},{}]', undefined, limits));
  assert.equal(array.tooLarge, true);
  assert.match(array.error, /more than 2 events/);
  const lines = refused(parseEventBody('{}\n{}\n\n{}', 'application/x-ndjson', limits));
  assert.equal(lines.tooLarge, true);
  const big = refused(parseEventBody(Buffer.alloc(101, 32), undefined, limits));
  assert.equal(big.tooLarge, true);
  assert.match(big.error, /101 bytes; the limit is 100/);
  const bigText = refused(parseEventBody(`{"uid":"${'é'.repeat(50)}"}`, undefined, limits));
  assert.equal(bigText.tooLarge, true, 'counted in bytes, not characters');
  assert.ok(!('error' in parseEventBody('{}\n{}\n\n', 'application/x-ndjson', limits)));
  assert.match(refused(parseEventBody('\n \n', 'application/x-ndjson', limits)).error, /^body is empty/);
});
