/**
 * The `RunStateStore` contract suite against both adapters: the data folder (the embedded server's, in
 * a temp directory) and the JetStream Object Store bucket of a scaled-out deployment (ADR 0038), on a
 * nats-server of its own, a fresh bucket for each test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStateFolder } from '../../src/activate/runs/run-state-store.ts';
import { RunStateBucket } from '../../src/scale/run-state-bucket.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import type { NatsServers } from '../helpers/nats-servers.ts';
import { runStateStoreContract } from './run-state-store.contract.ts';

runStateStoreContract('data folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-run-state-'));
  return {
    store: runStateFolder(dir),
    again: () => Promise.resolve(runStateFolder(dir)),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

let nats: Promise<NatsServers> | undefined;
let buckets = 0;
after(async () => {
  if (nats !== undefined) await (await nats).stop();
});

runStateStoreContract('JetStream Object Store', async () => {
  const { urls } = await (nats ??= startNatsServer());
  const bucket = `dmp-run-state-test-${++buckets}`;
  const store = await RunStateBucket.open({ servers: urls, bucket });
  const others: RunStateBucket[] = [];
  return {
    store,
    again: async () => {
      const other = await RunStateBucket.open({ servers: urls, bucket });
      others.push(other);
      return other;
    },
    close: async () => {
      await store.destroy();
      for (const other of others) await other.close();
      await store.close();
    },
  };
});
