import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A server run as a child process for a bench, on a loopback port. */
export interface ChildServer {
  pid: number;
  port: number;
  /** ms from spawn to the first 200 on the ready path */
  readyMs: number;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s) */
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..');

/** A free loopback port. Example: `await freePort()` -> `40123`. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The `/metrics` token of the servers `startDmpServer` starts (`Authorization: Bearer ...`). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

/**
 * Starts `node bin/dmp.js serve --data DIR --port P` and waits for `/readyz` 200, with glibc's malloc
 * asking for transparent huge pages as `npm start` does (ADR 0020). Request logging and rate limits are
 * off (`DMP_LOG_LEVEL=warn`, `DMP_RATE_LIMIT_*=0`): a bench measures the server at full load, not its log
 * lines nor its 429s. `/metrics` takes `BENCH_METRICS_TOKEN`.
 * Example: `const dmp = await startDmpServer(dataDir); ...; await dmp.stop()`.
 */
export async function startDmpServer(dataDir: string, timeoutMs = 600_000): Promise<ChildServer> {
  const port = await freePort();
  const args = [
    join(ROOT, 'bin/dmp.js'),
    'serve',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ];
  return startChild(
    args,
    port,
    '/readyz',
    {
      DMP_LOG_LEVEL: 'warn',
      DMP_RATE_LIMIT_API: '0',
      DMP_RATE_LIMIT_COLLECT: '0',
      DMP_METRICS_TOKEN: BENCH_METRICS_TOKEN,
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
    },
    timeoutMs,
  );
}

/**
 * Starts a bench server of ours (`bench/<file>`, run through tsx) given its port as first argument.
 * Example: `await startBenchServer('noop-server.ts', [], {})`.
 */
export async function startBenchServer(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ChildServer> {
  const port = await freePort();
  const argv = ['--import', 'tsx', join(ROOT, 'bench', file), String(port), ...args];
  return startChild(argv, port, '/ready', env, 60_000);
}

async function startChild(
  args: string[],
  port: number,
  readyPath: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ChildServer> {
  const start = performance.now();
  // BENCH_NODE_FLAGS: extra flags for the servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...flags, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`bench server ${args.join(' ')} exited: ${stderr}`);
    if (await answers(port, readyPath)) {
      const readyMs = performance.now() - start;
      return { pid: child.pid ?? -1, port, readyMs, stop: () => stop(child, exited) };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop(child, exited);
  throw new Error(`bench server ${args.join(' ')} not ready after ${timeoutMs} ms: ${stderr}`);
}

async function answers(port: number, path: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
