import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppendPace, recordWeight } from './append-pace.ts';

/** A pace read on a hand-moved clock, and a disk that drains `perSecond` weight, one append at a time. */
function slowDisk(
  pace: AppendPace,
  clock: { t: number },
  perSecond: number,
  appends: number,
  weight: number,
): void {
  for (let i = 0; i < appends; i++) {
    pace.started(weight);
    clock.t += (weight / perSecond) * 1000;
    pace.finished(weight, true);
  }
}

void test('no estimate before an append finished, and a lone request never waits', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  assert.equal(pace.ratePerSecond(), undefined);
  pace.started(1000);
  assert.equal(pace.waitMs(1000), 0, 'no rate yet');
  clock.t += 5000;
  pace.finished(1000, true);
  assert.equal(pace.waitMs(1_000_000), 0, 'nothing in flight: a request is never refused for time');
});

void test('a slow disk: the rate is what it drains, and a request behind a backlog waits accordingly', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  slowDisk(pace, clock, 100, 50, 10);
  const rate = pace.ratePerSecond() ?? 0;
  assert.ok(rate > 80 && rate < 125, `rate ${rate}`);
  pace.started(400); // a backlog of 4 s at 100/s
  assert.ok(pace.waitMs(100) > 3000, `wait ${pace.waitMs(100)}`);
  assert.ok(pace.drainMs() > 3000 && pace.drainMs() < 6000, `drain ${pace.drainMs()}`);
});

void test('a burst after a quiet spell is judged by what the disk showed, not by its latency alone', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  // one event per fdatasync of 5 ms: 200 events/s of busy time, the latency not the bandwidth
  slowDisk(pace, clock, 200, 100, 1);
  // a batch of 1000 events written in 10 ms
  pace.started(1000);
  clock.t += 10;
  pace.finished(1000, true);
  pace.started(1000);
  assert.ok(pace.waitMs(1000) < 100, `wait ${pace.waitMs(1000)}`);
});

void test('completions of one group commit are measured together', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  for (let i = 0; i < 10; i++) pace.started(10);
  clock.t += 100;
  for (let i = 0; i < 10; i++) pace.finished(10, true); // one fdatasync resolves all ten
  const rate = pace.ratePerSecond() ?? 0;
  assert.ok(rate > 900 && rate < 1100, `rate ${rate}`);
});

void test('a disk that slows down is seen as slow within tens of seconds of busy time', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  slowDisk(pace, clock, 100_000, 100, 1000); // 1 s at 100 000/s
  slowDisk(pace, clock, 100, 200, 10); // then 20 s at 100/s
  const rate = pace.ratePerSecond() ?? 0;
  assert.ok(rate < 200, `rate ${rate}`);
});

void test('a failed append adds nothing to the rate', () => {
  const clock = { t: 0 };
  const pace = new AppendPace(() => clock.t);
  pace.started(10);
  clock.t += 100;
  pace.finished(10, false);
  assert.equal(pace.ratePerSecond(), undefined);
});

void test('an onboarding chunk weighs its rows', () => {
  const stats = { read: 5000, accepted: 4990, rejected: 10, optedOut: 0, reasons: {} };
  const chunk = {
    kind: 'onboard' as const,
    tenant: 't1',
    source: 's',
    job: 'j',
    chunk: 1,
    mode: 'delta' as const,
    ts: 0,
    end: 0,
    rowEnd: 5001,
    rows: '',
    stats,
  };
  assert.equal(recordWeight(chunk), 4990);
  assert.equal(recordWeight({ kind: 'delete', tenant: 't1', uid: 'c-1' }), 1);
  const row: [string, string][] = [
    ['crm', 'C-1'],
    ['maid', '6d92078a-8246-4ba4-ae5b-76104861e7dc'],
  ];
  assert.equal(recordWeight({ kind: 'links', tenant: 't1', ts: 1, rows: [row, row, row] }), 3);
});
