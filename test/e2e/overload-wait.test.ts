import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { EventLog, LogRecord } from '../../src/log/event-log.ts';

/**
 * The real file log behind a slow disk: each append waits `msPerRecord` per record after the appends
 * before it (one at a time, as a disk writes), then goes to the file log. `appending` counts those in flight.
 */
function slowDisk(log: EventLog, msPerRecord: number): EventLog & { appending(): number } {
  let queue: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  return {
    append(records: readonly LogRecord[]) {
      inFlight++;
      const done = queue
        .then(() => new Promise((r) => setTimeout(r, records.length * msPerRecord)))
        .then(() => log.append(records))
        .finally(() => inFlight--);
      queue = done.catch(() => undefined);
      return done;
    },
    replay: (fromSeq, onRecord) => log.replay(fromSeq, onRecord),
    lastSeq: () => log.lastSeq(),
    dropOlderThan: (cutoffMs) => log.dropOlderThan(cutoffMs),
    erase: (drop) => log.erase(drop),
    close: () => log.close(),
    appending: () => inFlight,
  };
}

const batch = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ uid: `${name}-${i}`, url: 'https://shop.example.com/a' }));

test('a request that would wait too long for a slow disk gets 503 and Retry-After at once; nothing acknowledged is lost', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'opendmp-overload-'));
  let disk: ReturnType<typeof slowDisk> | undefined;
  const config = loadConfig({ dataDir, logLevel: 'silent', maxWaitMs: 500 }, {});
  const app = await createApp(config, manualClock(Date.now()), {
    wrapLog: (log) => (disk = slowDisk(log, 5)),
  });
  t.after(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { tenant, apiKey } = await app.catalog.createTenant('acme');
  const post = (events: unknown[]) =>
    fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
  // the disk shows its pace: 20 events at 5 ms each
  assert.equal((await post(batch('warm', 20))).status, 202);
  // a batch of 400 (about 2 s on this disk) is taken: nothing waits before it
  let firstDone = false;
  const first = post(batch('first', 400)).then(async (r) => {
    firstDone = true;
    return { status: r.status, body: (await r.json()) as { accepted: number } };
  });
  while (disk?.appending() !== 1) await new Promise((r) => setTimeout(r, 5));

  // a second one would wait for both: refused at once, before the first is stored
  const refused = await post(batch('second', 400));
  assert.equal(firstDone, false, 'the 503 came before the slow append finished');
  assert.equal(refused.status, 503);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1,
    `Retry-After: ${refused.headers.get('retry-after')}`,
  );
  const problem = (await refused.json()) as { code: string; detail: string };
  assert.equal(problem.code, 'overloaded');
  assert.match(problem.detail, /retry after \d+ s/);

  const accepted = await first;
  assert.deepEqual([accepted.status, accepted.body.accepted], [202, 400]);
  // the retry, once the disk has caught up, is taken
  assert.equal((await post(batch('second', 400))).status, 202);
  const profiles = app.profileService.list(tenant, undefined, 1000).profiles;
  assert.equal(profiles.length, 820, 'every acknowledged event is there, once');
});
