/**
 * The `EventLog` contract suite against every adapter: the file log (segment files in a temp directory,
 * small segments so that retention has whole files to drop), the in-memory fake of `src/log/testing`, and
 * the NATS JetStream log (ADR 0033) on a nats-server of its own (a fresh stream for each test).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openFileEventLog } from '../../src/log/file-event-log.ts';
import { openNatsEventLog } from '../../src/log/nats/nats-event-log.ts';
import { createMemoryEventLog } from '../../src/log/testing/memory-event-log.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import type { NatsServers } from '../helpers/nats-servers.ts';
import { eventLogContract } from './event-log.contract.ts';

eventLogContract('file log', async ({ now }) => {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-log-contract-'));
  const options = { segmentBytes: 1024, now };
  let log = await openFileEventLog(dir, options);
  return {
    log,
    reopen: async () => {
      await log.close();
      log = await openFileEventLog(dir, options);
      return log;
    },
    close: async () => {
      await log.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

eventLogContract('memory (fake)', async ({ now }) => {
  const log = createMemoryEventLog({ now });
  return { log, close: () => log.close() };
});

let nats: Promise<NatsServers> | undefined;
let natsStreams = 0;
after(async () => {
  if (nats !== undefined) await (await nats).stop();
});

eventLogContract('NATS JetStream', async ({ now }) => {
  const { urls } = await (nats ??= startNatsServer());
  const n = ++natsStreams;
  const options = {
    servers: urls,
    stream: `CONTRACT_${n}`,
    subjectPrefix: `contract${n}.log`,
    partitions: 4,
    now,
  };
  let log = await openNatsEventLog(options);
  return {
    log,
    reopen: async () => {
      await log.close();
      log = await openNatsEventLog(options);
      return log;
    },
    close: () => log.close(),
  };
});
