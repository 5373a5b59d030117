/**
 * The `JobSpecBoard` contract suite against both adapters: the data folder's job files (the embedded
 * server's, in a temp directory) and the JetStream KV bucket of a scaled-out deployment (ADR 0039), on a
 * nats-server of its own, a fresh bucket for each test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { JobFiles } from '../../src/onboard/job-files.ts';
import { OnboardJobBoard } from '../../src/scale/onboard-job-board.ts';
import { startNatsServer } from '../helpers/nats-servers.ts';
import type { NatsServers } from '../helpers/nats-servers.ts';
import { jobSpecBoardContract } from './job-spec-board.contract.ts';

jobSpecBoardContract('data folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-job-specs-'));
  const root = join(dir, 'onboarding');
  return {
    board: new JobFiles(root),
    again: () => Promise.resolve(new JobFiles(root)),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

let nats: Promise<NatsServers> | undefined;
let buckets = 0;
after(async () => {
  if (nats !== undefined) await (await nats).stop();
});

jobSpecBoardContract('JetStream KV', async () => {
  const { urls } = await (nats ??= startNatsServer());
  const bucket = `dmp-onboard-jobs-test-${++buckets}`;
  const board = await OnboardJobBoard.open({ servers: urls, bucket });
  const others: OnboardJobBoard[] = [];
  return {
    board,
    again: async () => {
      const other = await OnboardJobBoard.open({ servers: urls, bucket });
      others.push(other);
      return other;
    },
    close: async () => {
      await board.destroy();
      for (const other of others) await other.close();
      await board.close();
    },
  };
});
