import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** `bin/dmp.js`, to run the program as a user would. */
export const DMP = join(ROOT, 'bin', 'dmp.js');

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `dmp serve` on `dataDir` and `port` as a child process (logs silent, plus `env`) and waits until
 * `/readyz` answers 200 (30 s at most; then it is killed and this throws). GLIBC_TUNABLES is set as
 * `npm start` would have the program set it, so the child is the server itself (not the relay that
 * `bin/dmp.js` puts in front of it otherwise, see start-huge-pages.test.ts): a kill reaches the server.
 * Example: `const child = await startDmpProcess(dir, await freePort()); child.kill('SIGKILL');`
 */
export async function startDmpProcess(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DMP, 'serve', '--data', dataDir, '--port', String(port)], {
    env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...process.env, DMP_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready in 30 s');
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}
