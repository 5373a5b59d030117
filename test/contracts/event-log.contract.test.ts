/**
 * The `EventLog` contract suite against every adapter: the file log (segment files in a temp directory,
 * small segments so that retention has whole files to drop) and the in-memory fake of `src/log/testing`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileEventLog } from '../../src/log/file-event-log.ts';
import { createMemoryEventLog } from '../../src/log/testing/memory-event-log.ts';
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
