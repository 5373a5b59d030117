import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogLocation } from './log-location.ts';

void test('parseLogLocation: files by default; NATS servers with stream, replicas and partitions', () => {
  assert.deepEqual(parseLogLocation(undefined, undefined), { kind: 'files' });
  assert.deepEqual(parseLogLocation('  ', '4'), { kind: 'files' });
  assert.deepEqual(parseLogLocation('nats://127.0.0.1:4222', undefined), {
    kind: 'nats',
    servers: ['nats://127.0.0.1:4222'],
    stream: 'DMP_LOG',
    replicas: 1,
    partitions: 8,
  });
  assert.deepEqual(parseLogLocation('nats://a:4222, nats://b:4222?stream=ACME_LOG&replicas=3', '16'), {
    kind: 'nats',
    servers: ['nats://a:4222', 'nats://b:4222'],
    stream: 'ACME_LOG',
    replicas: 3,
    partitions: 16,
  });
});

void test('parseLogLocation refuses what it cannot use, naming it and what is taken', () => {
  assert.throws(
    () => parseLogLocation('redis://a:6379', undefined),
    /give NATS servers as nats:\/\/HOST:PORT/,
  );
  assert.throws(() => parseLogLocation('nats://a:4222,b:4222', undefined), /nats:\/\/HOST:PORT/);
  assert.throws(() => parseLogLocation('nats://a:4222?replicas=2', undefined), /replicas=2 must be 1 or 3/);
  assert.throws(() => parseLogLocation('nats://a:4222?max=1', undefined), /unknown option 'max'/);
  assert.throws(() => parseLogLocation('nats://a:4222?stream=a.b', undefined), /stream=a.b must be/);
  assert.throws(() => parseLogLocation('nats://a:4222', '0'), /DMP_PARTITIONS 0 must be a whole number/);
});
