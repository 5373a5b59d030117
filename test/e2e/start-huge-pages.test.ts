// `bin/dmp.js serve` on Linux with GLIBC_TUNABLES unset starts the server again as its child with glibc's
// malloc asking for huge pages (ADR 0020), and relays: these check what the kernel says the child's
// environment is, that a signal reaches it, that its exit code comes back, and that a kill -9 of the relay
// leaves no server running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DMP, exited, startDmpProcess } from '../helpers/dmp-process.ts';

const skip = process.platform !== 'linux' && 'the relay runs on Linux only';

function envWithoutTunables(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DMP_LOG_LEVEL: 'silent' };
  delete env.GLIBC_TUNABLES;
  delete env.DMP_RESPAWNED;
  return env;
}

/**
 * Starts `dmp serve --port 0` with GLIBC_TUNABLES unset and waits for the port its server announces (the
 * relay passes the server's stdout on) to answer `/readyz`; returns the relay, the server's pid and port.
 */
async function startRelayed(dataDir: string): Promise<{ relay: ChildProcess; server: number; port: number }> {
  const relay = spawn(process.execPath, [DMP, 'serve', '--data', dataDir, '--port', '0'], {
    env: envWithoutTunables(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  relay.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const announced = /opendmp is running at http:\/\/[^\s:]+:(\d+)/.exec(stdout);
    try {
      const port = Number(announced?.[1]);
      if (announced !== null && (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
        const children = readFileSync(`/proc/${relay.pid}/task/${relay.pid}/children`, 'utf8')
          .trim()
          .split(' ');
        assert.equal(children.length, 1, 'the relay has one child, the server');
        return { relay, server: Number(children[0]), port };
      }
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  relay.kill('SIGKILL');
  throw new Error('the server did not become ready in 60 s');
}

/** True while `pid` runs (a zombie waiting for init to reap it does not). */
function running(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/status`)) return false;
  try {
    return !/^State:\s+[ZX]/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function environ(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .filter((e) => e.includes('='))
    .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]);
  return new Map(entries);
}

test(
  'serve without GLIBC_TUNABLES: the server runs as a child with huge pages asked for; SIGTERM stops it cleanly',
  { skip },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opendmp-relay-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const { relay, server } = await startRelayed(dataDir);
    t.after(() => relay.kill('SIGKILL'));
    const env = environ(server);
    assert.equal(env.get('GLIBC_TUNABLES'), 'glibc.malloc.hugetlb=1');
    assert.equal(env.get('DMP_RESPAWNED'), '1');
    assert.equal(
      environ(relay.pid ?? 0).get('GLIBC_TUNABLES'),
      undefined,
      'the relay itself runs without it',
    );
    relay.kill('SIGTERM');
    await exited(relay);
    assert.equal(relay.exitCode, 0, 'the server closed cleanly and its 0 came back');
    assert.equal(running(server), false);
  },
);

test('a kill -9 of the relay leaves no server running', { skip }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opendmp-relay-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const { relay, server, port } = await startRelayed(dataDir);
  relay.kill('SIGKILL');
  await exited(relay);
  for (const deadline = Date.now() + 10_000; running(server) && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(running(server), false, 'the server ended itself when the relay was gone');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/readyz`), 'nothing listens any more');
});

test("the child's exit code is the relay's", { skip }, () => {
  const relayed = spawnSync(process.execPath, [DMP, 'serve', '--port', 'nope'], {
    env: envWithoutTunables(),
    encoding: 'utf8',
  });
  assert.equal(relayed.status, 2);
  assert.match(relayed.stderr, /--port nope is not a port number/);
});

test(
  'with GLIBC_TUNABLES set (the tests, the benches, a user who chose) the program is the server: no child',
  { skip },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opendmp-relay-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const child = await startDmpProcess(dataDir);
    t.after(() => child.kill('SIGKILL'));
    assert.equal(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim(), '');
    assert.equal(environ(child.pid ?? 0).get('GLIBC_TUNABLES'), 'glibc.malloc.hugetlb=1');
  },
);
