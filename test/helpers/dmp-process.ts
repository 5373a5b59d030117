import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** `bin/dmp.js`, to run the program as a user would. */
export const DMP = join(ROOT, 'bin', 'dmp.js');

/** A `dmp serve` child process, the port it listens on, and what it has printed so far. */
export type DmpProcess = ChildProcess & { port: number; base: string; output(): string };

/**
 * Starts `dmp serve` on `dataDir` as a child process (logs silent, plus `env`) and waits until the child
 * itself says where it listens (its "opendmp is running at URL" line) and that address answers `/readyz`
 * 200 (30 s at most; then it is killed and this throws, as it does at once if the child exits first, with
 * its stderr). `port` 0 lets the kernel choose: no other test can have taken it between a check and the
 * bind, and a restart passes the first child's `port` to keep its address. GLIBC_TUNABLES is set as
 * `npm start` would have the program set it, so the child is the server itself (not the relay that
 * `bin/dmp.js` puts in front of it otherwise, see start-huge-pages.test.ts): a kill reaches the server.
 * `args` are more arguments of `dmp serve` (`['--demo']`), `waitMs` how long it may take to be ready.
 * Example: `const child = await startDmpProcess(dir); fetch(`${child.base}/readyz`); child.kill('SIGKILL');`
 */
export async function startDmpProcess(
  dataDir: string,
  port = 0,
  env: Record<string, string> = {},
  args: string[] = [],
  waitMs = 30_000,
): Promise<DmpProcess> {
  const serve = [DMP, 'serve', '--data', dataDir, '--port', String(port), ...args];
  const child = spawn(process.execPath, serve, {
    env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...process.env, DMP_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    process.stderr.write(text);
  });
  for (const deadline = Date.now() + waitMs; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `dmp serve exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`,
      );
    const announced = /opendmp is running at http:\/\/[^\s:]+:(\d+)/.exec(stdout);
    if (announced !== null) {
      const base = `http://127.0.0.1:${announced[1]}`;
      try {
        if ((await fetch(`${base}/readyz`)).status === 200)
          return Object.assign(child, { port: Number(announced[1]), base, output: () => stdout });
      } catch {
        // not answering yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become ready in ${waitMs / 1000} s:\n${stderr}`);
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}
