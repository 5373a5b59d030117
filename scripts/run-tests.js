#!/usr/bin/env node
// Runs the *.test.ts files under src/, test/ and bench/ with Node's own test runner, loading TypeScript
// through tsx. Node 20's --test does not expand globs, so the files are listed here.
//
// Two layers, each its own `node --test` run, timed:
//   e2e   a file under test/e2e/ or bench/, or one that starts a process (node:child_process), opens a
//         socket (`.listen(`) or uses a helper that does (test/helpers/test-app.ts, dmp-process.ts,
//         partner-server.ts, activation-world.ts);
//   unit  every other file: the core and services in memory, with fakes. Its files run together in four
//         processes (not one each): it takes seconds, not minutes.
// The e2e files run one process each, two at a time, each within E2E_FILE_LIMIT_MS: a file that takes
// longer (a hung browser, server or child process) is killed with every process it started, reported by
// name with what it printed so far, and counted as failed, so that one hang cannot eat a CI run's time.
// Each file's output is printed when it ends, under a line naming it and its time.
//
// Usage: node scripts/run-tests.js [--checks] [--layer unit|e2e] [PATH-PART...]
//   --checks      first `npm run lint`, `format:check` and `typecheck` (timed; a failure stops here)
//   --layer L     only that layer (default: unit, then e2e; both run even if the first fails)
//   PATH-PART     only the files whose path contains one of these
// Ends with the time of each step and the summary of all the tests run (`# tests`, `# pass`, `# fail`,
// ...), and exits non-zero if any step failed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Processes the unit layer runs in (more than the cores, so that one slow file does not leave a core idle). */
const SHARDS = 4;
/** e2e files run at once (the machine's two cores; each file starts servers and browsers of its own). */
const E2E_CONCURRENCY = 2;
/**
 * Files that each start a whole scaled-out deployment (a dozen processes, a NATS cluster, PostgreSQL
 * pools): two at once overloaded the machine (timeouts, "too many clients"), so one runs at a time,
 * beside lighter files.
 */
const HEAVY = /(^|\/)scale-out-[^/]*\.test\.ts$/;

/** The longest an e2e file may take (the slowest, the scale-out comparison, takes about 3 minutes). */
const E2E_FILE_LIMIT_MS = 10 * 60_000;
/** The longest a unit shard may take (each takes well under a minute). */
const UNIT_SHARD_LIMIT_MS = 5 * 60_000;

const E2E_SOURCE =
  /node:child_process|\.listen\(|helpers\/(test-app|dmp-process|partner-server|activation-world|nats-servers)\.ts/;

function find(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** 'e2e' or 'unit' (see the top of this file). */
function layerOf(file) {
  const path = file.split('\\').join('/');
  if (path.startsWith('test/e2e/') || path.startsWith('bench/')) return 'e2e';
  return E2E_SOURCE.test(readFileSync(file, 'utf8')) ? 'e2e' : 'unit';
}

const args = process.argv.slice(2);
const checks = args.includes('--checks');
const layerAt = args.indexOf('--layer');
const only = layerAt === -1 ? undefined : args[layerAt + 1];
if (only !== undefined && only !== 'unit' && only !== 'e2e') {
  console.error(`--layer ${only ?? ''}: unit or e2e`);
  process.exit(2);
}
const filter = args.filter(
  (a, i) => a !== '--checks' && a !== '--layer' && (layerAt === -1 || i !== layerAt + 1),
);
const files = ['src', 'test', 'bench']
  .flatMap(find)
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timings = [];
let failed = false;
const started = performance.now();

if (checks) {
  for (const script of ['lint', 'format:check', 'typecheck']) {
    const t0 = performance.now();
    // npm_execpath is npm's own script when run through npm; otherwise the npm on PATH.
    const npm = process.env.npm_execpath;
    const result =
      npm !== undefined && npm.endsWith('.js')
        ? spawnSync(process.execPath, [npm, 'run', '-s', script], { stdio: 'inherit' })
        : spawnSync('npm', ['run', '-s', script], { stdio: 'inherit', shell: process.platform === 'win32' });
    timings.push(`${script} ${seconds(performance.now() - t0)}${result.status === 0 ? '' : ' FAILED'}`);
    if (result.status !== 0) {
      console.log(`# ${timings.join(', ')}`);
      process.exit(result.status ?? 1);
    }
  }
}

// The summary lines of a run: `# tests 12` (TAP) or `ℹ tests 12` (spec, on a terminal), at the start of a line.
const SUMMARY = /^(?:# |ℹ )(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)\s*$/;
const totals = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };

/** Processes started by run() and not yet ended: killed with everything they started if the runner is stopped. */
const running = new Set();

/** Every process descended from pid (by parent ID: also those that left its process group), deepest last. */
function descendants(pid) {
  const table = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const children = new Map();
  for (const line of table.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(child) || !Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const out = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Kills a process started by run(), its process group and every process it started. */
function killTree(pid) {
  for (const target of [pid, ...descendants(pid)]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no group left
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) killTree(pid);
    process.exit(130);
  });
}

/**
 * Runs `node --import tsx ...args` in a process group of its own, passing its output through (`live`) or
 * keeping it to pass on when `release()` is called; counts its summary lines. After `limitMs` it is
 * killed with every process it started, and its result says so (`timedOut`).
 */
function run(args, { live, limitMs }) {
  let out = live ? undefined : [];
  let release = () => {};
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', live ? 'inherit' : 'pipe'],
      detached: process.platform !== 'win32',
    });
    running.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, limitMs);
    const counts = {};
    let rest = '';
    const keep = (chunk) => {
      if (out === undefined) process.stdout.write(chunk);
      else out.push(chunk);
    };
    child.stderr?.on('data', keep);
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const match = SUMMARY.exec(stripVTControlCharacters(line));
        if (match !== null) counts[match[1]] = Number(match[2]);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      resolve({
        ok: code === 0 && signal === null && !timedOut,
        counts,
        timedOut,
        ms: performance.now() - t0,
      });
    });
  });
  release = () => {
    for (const chunk of out ?? []) process.stdout.write(chunk);
    out = undefined;
  };
  return { done, release };
}

const reporter = process.stdout.isTTY ? ['--test-reporter=spec'] : [];

/**
 * The unit layer: its files imported by SHARDS processes (not one process a file: starting node and
 * tsx 130 times cost more than the tests). The first shard's output is passed through as it comes, the
 * others' after it.
 */
async function runUnit(layerFiles) {
  const dir = mkdtempSync(join(tmpdir(), 'opendmp-unit-'));
  try {
    const shards = Array.from({ length: Math.min(SHARDS, layerFiles.length) }, (_, k) => {
      const entry = join(dir, `shard-${k}.mjs`);
      const mine = layerFiles.filter((_, i) => i % SHARDS === k);
      writeFileSync(
        entry,
        mine.map((f) => `await import(${JSON.stringify(pathToFileURL(resolve(f)).href)});\n`).join(''),
      );
      return run([...reporter, entry], { live: k === 0, limitMs: UNIT_SHARD_LIMIT_MS });
    });
    const results = [];
    for (const [k, shard] of shards.entries()) {
      shard.release();
      const result = await shard.done;
      if (result.timedOut)
        console.log(
          `# unit shard ${k}: killed after ${seconds(UNIT_SHARD_LIMIT_MS)} (a test that never ends)`,
        );
      results.push(result);
    }
    const counts = {};
    for (const r of results)
      for (const [key, n] of Object.entries(r.counts)) counts[key] = (counts[key] ?? 0) + n;
    return { ok: results.every((r) => r.ok && r.counts.tests !== undefined), counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The e2e layer: each file in its own process, E2E_CONCURRENCY at a time, each within E2E_FILE_LIMIT_MS.
 * A file's output is printed when it ends, under a line with its name and time; a file that ran out of
 * time is named again at the end.
 */
async function runE2e(layerFiles) {
  const queue = [...layerFiles];
  const counts = {};
  const failedFiles = [];
  /** the scaled-out deployment file running now, if any: another waits for it (see HEAVY) */
  let heavyRunning;
  const take = () => {
    const i = queue.findIndex((f) => !HEAVY.test(f) || heavyRunning === undefined);
    return i === -1 ? undefined : queue.splice(i, 1)[0];
  };
  const worker = async () => {
    while (queue.length > 0) {
      const file = take();
      if (file === undefined) {
        await heavyRunning;
        continue;
      }
      const job = run([...reporter, file], { live: false, limitMs: E2E_FILE_LIMIT_MS });
      const heavy = HEAVY.test(file);
      if (heavy) heavyRunning = job.done.then(() => undefined);
      const result = await job.done;
      if (heavy) heavyRunning = undefined;
      const verdict = result.timedOut
        ? `KILLED after ${seconds(E2E_FILE_LIMIT_MS)}: it never ended (what it printed follows)`
        : result.ok
          ? 'ok'
          : 'FAILED';
      console.log(`# file ${file}: ${seconds(result.ms)} ${verdict}`);
      job.release();
      if (!result.ok) failedFiles.push(`${file}${result.timedOut ? ' (killed: out of time)' : ''}`);
      if (result.counts.tests === undefined && !result.timedOut) failedFiles.push(`${file} (no summary)`);
      for (const [key, n] of Object.entries(result.counts)) counts[key] = (counts[key] ?? 0) + n;
    }
  };
  await Promise.all(Array.from({ length: E2E_CONCURRENCY }, worker));
  for (const file of failedFiles) console.log(`# failed: ${file}`);
  return { ok: failedFiles.length === 0, counts };
}

for (const layer of ['unit', 'e2e']) {
  if (only !== undefined && only !== layer) continue;
  const layerFiles = files.filter((f) => layerOf(f) === layer);
  if (layerFiles.length === 0) continue;
  console.log(`# ${layer}: ${layerFiles.length} files`);
  const t0 = performance.now();
  const { ok, counts } = layer === 'unit' ? await runUnit(layerFiles) : await runE2e(layerFiles);
  if (!ok) failed = true;
  if (counts.tests === undefined) failed = true; // no summary: the runner itself failed
  for (const key of Object.keys(totals)) totals[key] += counts[key] ?? 0;
  timings.push(
    `${layer} ${seconds(performance.now() - t0)} (${layerFiles.length} files)${ok ? '' : ' FAILED'}`,
  );
}

console.log(`# ${timings.join(', ')}; total ${seconds(performance.now() - started)}`);
for (const [key, n] of Object.entries(totals)) console.log(`# ${key} ${n}`);
console.log(`# duration_ms ${Math.round(performance.now() - started)}`);
process.exit(failed || totals.fail > 0 ? 1 : 0);
