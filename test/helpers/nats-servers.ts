/**
 * Our own `nats-server` processes for the tests of the JetStream event log (ADR 0033): one server or a
 * 3-node JetStream cluster, on loopback ports: client ports kernel-chosen (`-p -1`, read back from the
 * server's log), route ports free ones chosen up front, with a temp store dir, so that runs never collide with each other
 * or with a NATS already running on 4222. `stop()` kills them and deletes the store dirs. Without
 * `nats-server` on PATH they throw saying how to get it: the tests fail, they are not skipped.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** One running `nats-server`: its client URL and the process. */
export interface NatsServer {
  name: string;
  /** `nats://127.0.0.1:PORT` */
  url: string;
  process: ChildProcess;
  /** SIGKILLs this server (a crash, not a shutdown) and waits until it is gone */
  kill(): Promise<void>;
}

/** The servers of `startNatsServer` (one) or `startNatsCluster` (three), stopped together. */
export interface NatsServers {
  servers: NatsServer[];
  /** every server's client URL, to connect with failover */
  urls: string[];
  /** the temp dir holding every server's JetStream store (`<dir>/<name>/jetstream`) */
  storeDir: string;
  /** kills every server still running and deletes their store dirs */
  stop(): Promise<void>;
}

/**
 * Starts one JetStream server on a free loopback port with a temp store dir and waits until JetStream
 * answers.
 *
 * Example:
 * ```ts
 * const nats = await startNatsServer();
 * t.after(() => nats.stop());
 * const nc = await connect({ servers: nats.urls });
 * ```
 */
export async function startNatsServer(): Promise<NatsServers> {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-nats-'));
  const servers: NatsServer[] = [];
  const stop = () => stopAll(servers, dir);
  try {
    servers.push(await spawnServer('n1', ['-js', '-sd', join(dir, 'n1')]));
    await waitForJetStream(servers.map((s) => s.url));
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, urls: servers.map((s) => s.url), storeDir: dir, stop };
}

/**
 * Starts a 3-node JetStream cluster on loopback (every node configured with the three routes), each
 * with its own store dir, and waits until an R3 stream can be placed (a probe stream is
 * made and deleted), so the test can create its own at once.
 *
 * Example: `const cluster = await startNatsCluster(); await cluster.servers[1].kill(); // R3 goes on`
 */
export async function startNatsCluster(): Promise<NatsServers> {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-nats-cluster-'));
  const servers: NatsServer[] = [];
  const stop = () => stopAll(servers, dir);
  try {
    // JetStream in a cluster needs its routes configured on every node, so the route ports are chosen
    // up front (free when asked; a clash fails the start loudly rather than joining another cluster)
    const routePorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const routes = routePorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
    for (const [i, port] of routePorts.entries()) {
      const name = `n${i + 1}`;
      const args = ['-js', '-sd', join(dir, name), '--cluster_name', `dmp-test-${routePorts[0]}`];
      args.push('--cluster', `nats://127.0.0.1:${port}`, '--routes', routes);
      servers.push(await spawnServer(name, args));
    }
    await waitForJetStream(
      servers.map((s) => s.url),
      3,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, urls: servers.map((s) => s.url), storeDir: dir, stop };
}

async function spawnServer(name: string, args: string[]): Promise<NatsServer> {
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', '-1', '-n', name, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let failed: Error | undefined;
  child.on('error', (error) => (failed = error));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (log += text));
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (failed !== undefined)
      throw new Error(
        `cannot run nats-server (${failed.message}): install nats-server 2.9 or later on PATH (https://github.com/nats-io/nats-server/releases)`,
      );
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`nats-server ${name} exited (${child.exitCode ?? child.signalCode}):\n${log}`);
    const client = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log);
    if (client !== null && log.includes('Server is ready')) {
      return {
        name,
        url: `nats://127.0.0.1:${client[1]}`,
        process: child,
        kill: () => killProcess(child, 'SIGKILL'),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`nats-server ${name} did not get ready in 15 s:\n${log}`);
}

/**
 * Waits until JetStream answers an account-info request, and in a cluster (`replicas` 3) until an R3
 * stream can be placed (a meta leader was elected and knows every peer): a probe stream is made and
 * deleted.
 */
async function waitForJetStream(urls: string[], replicas = 1): Promise<void> {
  const nc = await connect({ servers: urls, reconnectTimeWait: 100 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
    for (const deadline = Date.now() + 20_000; ;) {
      try {
        await jsm.getAccountInfo();
        if (replicas > 1) {
          await jsm.streams.add({ name: 'READY_PROBE', subjects: ['ready.probe'], num_replicas: replicas });
          await jsm.streams.delete('READY_PROBE');
        }
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await nc.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function stopAll(servers: NatsServer[], dir: string): Promise<void> {
  await Promise.all(servers.map((s) => killProcess(s.process, 'SIGKILL')));
  await rm(dir, { recursive: true, force: true });
}
