#!/usr/bin/env node
// The `dmp` command. It loads the TypeScript sources through tsx, so a checkout runs without a build step
// (docs/adr/0004-typescript-without-a-build-step.md, docs/adr/0024-keep-running-typescript-through-tsx.md).
//
// On Linux, `dmp serve` and `dmp demo` want glibc's malloc to ask for transparent huge pages
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, ADR 0020). glibc reads that variable only when a process
// starts, so when it is unset this process starts the same command again as a child with it set, and
// only relays: signals go to the child, the child's exit code (or signal) becomes ours. The child runs
// in its own process group, so a Ctrl-C reaches it once (through us), and it ends itself when we are
// gone (the IPC channel closes), so a `kill -9` of this process leaves nothing running.
// DMP_RESPAWNED marks the child (no loop); setting GLIBC_TUNABLES yourself (even to '') skips all this.
import { spawn } from 'node:child_process';

const command = firstPositional(process.argv.slice(2));

if (process.env.DMP_RESPAWNED === '1' && process.channel) {
  // The child: the parent relays our stdio and signals. Without it, stop at once.
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  process.channel.unref();
}

if (
  process.platform === 'linux' &&
  process.env.GLIBC_TUNABLES === undefined &&
  process.env.DMP_RESPAWNED === undefined &&
  (command === 'serve' || command === 'demo')
) {
  process.exitCode = await relay();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}

/** Runs this command again with huge pages asked for; resolves to its exit code (or re-raises its signal). */
function relay() {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', DMP_RESPAWNED: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal !== null) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

/** The command in `argv` (`serve` in `--data d serve --port 1`): the first word that is no option's value. */
function firstPositional(argv) {
  const withValue = new Set(['--data', '--port', '--host', '--profiles', '--seed', '--days', '--tenant']);
  for (let i = 0; i < argv.length; i++) {
    if (withValue.has(argv[i])) i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}
