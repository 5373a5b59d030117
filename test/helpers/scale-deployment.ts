/**
 * A scaled-out deployment on loopback for the tests of issue 18 (ADR 35): `dmp serve --role` child
 * processes (collectors, workers, API servers) over one NATS JetStream (ours, `nats-servers.ts`) and one
 * PostgreSQL database per run (`testDatabaseUrl`), and the embedded server beside it as the reference.
 * Every process is a real one, so a test can `kill -9` it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { StreamInfo } from '@nats-io/jetstream';
import { createTestDatabase } from './postgres-database.ts';
import type { DmpProcess } from './dmp-process.ts';
import { DMP, exited, startDmpProcess } from './dmp-process.ts';
import type { NatsServers } from './nats-servers.ts';

const run = promisify(execFile);

/** How many processes of each role, the partitions, and the lease length. */
export interface DeploymentShape {
  collectors: number;
  workers: number;
  apis: number;
  partitions: number;
  /** lease length of the workers (ms): a dead worker's partitions move after about this long */
  leaseTtlMs: number;
  /** more settings of every process (e.g. DMP_SNAPSHOT_EVERY_RECORDS) */
  env?: Record<string, string>;
}

/** What a call answered: status, headers and the body (parsed when JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A running deployment: its processes by role, the tenant's keys, and calls to any of them. */
export interface Deployment {
  collectors: DmpProcess[];
  workers: DmpProcess[];
  apis: DmpProcess[];
  /** the PostgreSQL database of the deployment's catalog */
  catalogUrl: string;
  /** each process's data folder is `<dir>/<role><n>` (`api1`, `worker2`, ...) */
  dir: string;
  /** the tenant's ID (its visitors' partitions are hashed with it) and keys */
  tenant: string;
  apiKey: string;
  siteKey: string;
  /** the stream's last seq, from JetStream */
  streamLastSeq(): Promise<number>;
  /** the stream's info (its cluster's leader, replicas), from JetStream */
  streamInfo(): Promise<StreamInfo>;
  /** resolves once every live worker has applied the stream up to its last seq, and all partitions are served */
  settled(timeoutMs?: number): Promise<void>;
  /** the partitions each worker serves (`GET /internal/status`), by worker index; undefined for a dead one */
  serving(): Promise<(number[] | undefined)[]>;
  /** how each served partition was recovered (its snapshot's seq, 0 for none; records replayed), by partition */
  recovered(): Promise<Record<string, { snapshotSeq: number; replayed: number; ms: number }>>;
  /** starts a process of `role` again on the data folder `<dir>/<name>` (after a kill): a new port */
  startAgain(role: 'collector' | 'worker' | 'api', name: string): Promise<DmpProcess>;
  stop(): Promise<void>;
}

/** The embedded server (`dmp serve`, its own data folder) with the same tenant, as the reference. */
export interface Reference {
  process: DmpProcess;
  /** its data folder */
  dir: string;
  apiKey: string;
  siteKey: string;
  stop(): Promise<void>;
}

/** Every process of a deployment and the reference share this secret (visitor tokens, opt-out tokens). */
const SECRET = 'scale-out-test-secret-0123456789abcdef';

/**
 * Sends a request with the key and parses the answer.
 * Example: `await call(d.apis[0], 'GET', '/v1/segments/s/size', d.apiKey)`.
 */
export async function call(
  target: { base: string },
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (key !== undefined) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${target.base}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * Starts the embedded server with the tenant `acme` (the reference every answer is held to).
 * Example: `const ref = await startReference(); t.after(() => ref.stop());`
 */
export async function startReference(): Promise<Reference> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-scale-ref-'));
  const created = await run(process.execPath, [DMP, 'tenant', 'create', 'acme', '--data', dir]);
  const { apiKey, siteKey } = JSON.parse(created.stdout) as { apiKey: string; siteKey: string };
  const child = await startDmpProcess(dir, 0, { DMP_SERVER_SECRET: SECRET });
  return {
    process: child,
    dir,
    apiKey,
    siteKey,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the reference and a deployment at once; if either fails to start, stops the other before
 * throwing (a server left running would keep the test file from ever ending).
 *
 * Example: `const [reference, deployment] = await startSideBySide(nats, shape); t.after(() => ...)`
 */
export async function startSideBySide(
  nats: NatsServers,
  shape: DeploymentShape,
): Promise<[Reference, Deployment]> {
  const [reference, deployment] = await Promise.allSettled([startReference(), startDeployment(nats, shape)]);
  if (reference.status === 'fulfilled' && deployment.status === 'fulfilled')
    return [reference.value, deployment.value];
  if (reference.status === 'fulfilled') await reference.value.stop();
  if (deployment.status === 'fulfilled') await deployment.value.stop();
  throw reference.status === 'rejected' ? reference.reason : (deployment as PromiseRejectedResult).reason;
}

/**
 * Starts a deployment of `shape` on `nats` (a stream `DMP_LOG` with as many replicas as servers) and a new
 * PostgreSQL database, with the tenant `acme`; waits until every partition is served.
 *
 * Example: `const d = await startDeployment(nats, { collectors: 2, workers: 3, apis: 2, partitions: 8, leaseTtlMs: 2000 });`
 */
export async function startDeployment(nats: NatsServers, shape: DeploymentShape): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-scale-'));
  const database = await createTestDatabase();
  const catalog = database.url;
  const replicas = nats.urls.length >= 3 ? 3 : 1;
  const log = `${nats.urls.join(',')}?replicas=${replicas}`;
  const created = await run(process.execPath, [
    DMP,
    'tenant',
    'create',
    'acme',
    '--catalog',
    catalog,
    '--data',
    dir,
  ]);
  const { tenant, apiKey, siteKey } = JSON.parse(created.stdout) as {
    tenant: string;
    apiKey: string;
    siteKey: string;
  };
  const env = (name: string): Record<string, string> => ({
    DMP_CATALOG: catalog,
    DMP_LOG: log,
    DMP_PARTITIONS: String(shape.partitions),
    DMP_SERVER_SECRET: SECRET,
    DMP_WORKER_ID: name,
    DMP_LEASE_TTL_MS: String(shape.leaseTtlMs),
    DMP_RATE_LIMIT_COLLECT: '0',
    DMP_RATE_LIMIT_API: '0',
    ...shape.env,
  });
  const started: DmpProcess[] = [];
  const start = async (role: string, name: string) => {
    const child = await startDmpProcess(join(dir, name), 0, env(name), ['--role', role], 60_000);
    started.push(child);
    return child;
  };
  const cleanUp = async () => {
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    // a process that cannot stop cleanly (its NATS already stopped) is killed after its stop limit
    const late = setTimeout(() => {
      for (const child of started)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 25_000);
    await Promise.all(started.map((child) => exited(child)));
    clearTimeout(late);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    return await runDeployment();
  } catch (error) {
    await cleanUp(); // a deployment that fails to start leaves no process, database or folder behind
    throw error;
  }

  async function runDeployment(): Promise<Deployment> {
    const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
    // workers first: the stream and the lease bucket exist before a front opens them
    const workers = await Promise.all(names('worker', shape.workers).map((n) => start('worker', n)));
    const [collectors, apis] = await Promise.all([
      Promise.all(names('collector', shape.collectors).map((n) => start('collector', n))),
      Promise.all(names('api', shape.apis).map((n) => start('api', n))),
    ]);
    const nc = await connect({ servers: nats.urls });
    const jsm = await jetstreamManager(nc);
    const deployment: Deployment = {
      collectors,
      workers,
      apis,
      catalogUrl: catalog,
      dir,
      tenant,
      apiKey,
      siteKey,
      async streamLastSeq() {
        return (await deployment.streamInfo()).state.last_seq;
      },
      async streamInfo() {
        // while the cluster elects a leader after a loss, JetStream does not answer: ask again
        for (const deadline = Date.now() + 30_000; ;) {
          try {
            return await jsm.streams.info('DMP_LOG');
          } catch (error) {
            if (Date.now() > deadline) throw error;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      },
      async serving() {
        return Promise.all(
          workers.map(async (w) => {
            if (w.exitCode !== null || w.signalCode !== null) return undefined;
            try {
              const status = (await call(w, 'GET', '/internal/status')).body as { serving: number[] };
              return status.serving;
            } catch {
              return undefined;
            }
          }),
        );
      },
      async recovered() {
        const out: Record<string, { snapshotSeq: number; replayed: number; ms: number }> = {};
        for (const w of workers) {
          if (w.exitCode !== null || w.signalCode !== null) continue;
          const status = (await call(w, 'GET', '/internal/status')).body as {
            recovered: Record<string, { snapshotSeq: number; replayed: number; ms: number }>;
          };
          Object.assign(out, status.recovered);
        }
        return out;
      },
      async settled(timeoutMs = 60_000) {
        const last = await deployment.streamLastSeq();
        for (const deadline = Date.now() + timeoutMs; ;) {
          const live = workers.filter((w) => w.exitCode === null && w.signalCode === null);
          const statuses = await Promise.all(
            live.map(
              async (w) =>
                (await call(w, 'GET', '/internal/status')).body as { position: number; serving: number[] },
            ),
          );
          const served = new Set(statuses.flatMap((s) => s.serving));
          if (served.size === shape.partitions && statuses.every((s) => s.position >= last)) return;
          if (Date.now() > deadline)
            throw new Error(
              `the deployment did not settle in ${timeoutMs} ms: stream at ${last}, workers ${JSON.stringify(statuses)}`,
            );
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      startAgain: (role, name) => start(role, name),
      async stop() {
        await nc.close();
        await cleanUp();
      },
    };
    try {
      await deployment.settled();
    } catch (error) {
      await nc.close();
      throw error;
    }
    return deployment;
  }
}
