/**
 * The capacity of a scaled-out deployment (issue 18 point 6, docs/scale-out.md) beside the embedded
 * server, on this machine: one collector, one worker (8 partitions) and one API server as `dmp serve
 * --role` child processes over one NATS server (an R1 stream) and the local PostgreSQL, and `dmp serve`
 * (the peer) fed the same events. It measures what the capacity model needs: events per second a
 * collector accepts (its 202 waits for JetStream's ack), events per second one worker applies from the
 * stream, the extra hop of a lookup and of a scatter-gathered segment size through the API server, and
 * the memory a worker holds per profile. Figures of this machine, not a verdict on the design.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { percentile, processCpuMs } from './measure.ts';
import type { Deployment, Reference } from '../test/helpers/scale-deployment.ts';
import { call, startDeployment, startReference } from '../test/helpers/scale-deployment.ts';
import { SEGMENTS, createRules, eventBatches, postBatch, uidOf } from '../test/helpers/scale-world.ts';
import type { NatsServers } from '../test/helpers/nats-servers.ts';
import { startNatsServer } from '../test/helpers/nats-servers.ts';

/** Events per collection request, as a server-to-server sender batches them. */
const BATCH = 100;
/** Partitions of the stream (and engines of the one worker). */
const PARTITIONS = 8;
const TARGET = 'measured (docs/scale-out.md)';

/** The sizes of one run. Example: `{ visitors: 20_000, senders: 4, lookups: 2_000, leaseTtlMs: 30_000 }`. */
export interface DeploymentBenchSizes {
  /** visitors whose events are sent (about 3.5 events each over 20 days) */
  visitors: number;
  /** concurrent senders of collection batches */
  senders: number;
  /** profile lookups asked one at a time of each side (segment sizes: a quarter of it) */
  lookups: number;
  /**
   * the worker's lease length (ms): longer than twice the collector's sending (the worker is paused
   * meanwhile), and a third of it is waited at start before the worker takes its partitions
   */
  leaseTtlMs: number;
}

type Target = { base: string };

/** Resident memory of a process, in bytes, from `/proc/PID/status`. */
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status: is the process still running?`);
  return Number(match[1]) * 1024;
}

function pidOf(child: { pid?: number | undefined }, what: string): number {
  if (child.pid === undefined) throw new Error(`the ${what} has no process id: it did not start`);
  return child.pid;
}

/** Sends every batch with `senders` concurrent loops; answers events per second accepted. */
async function sendAll(target: Target, key: string, batches: unknown[][], senders: number): Promise<number> {
  let next = 0;
  let events = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < batches.length; i = next++) {
        const batch = batches[i] as unknown[];
        await postBatch(target, key, batch);
        events += batch.length;
      }
    }),
  );
  return events / ((performance.now() - t) / 1000);
}

/** Asks `path(i)` of each side in turn, one request at a time; answers each side's latencies in ms. */
async function latencies(
  n: number,
  sides: readonly { target: Target; key: string }[],
  path: (i: number) => string,
): Promise<number[][]> {
  const samples = sides.map(() => [] as number[]);
  for (let i = 0; i < n; i++)
    for (const [s, side] of sides.entries()) {
      const t = performance.now();
      const answer = await call(side.target, 'GET', path(i), side.key);
      const ms = performance.now() - t;
      if (answer.status !== 200) throw new Error(`GET ${path(i)} answered ${answer.status}: ${answer.text}`);
      samples[s]?.push(ms);
    }
  return samples;
}

/** Whether a child process still runs, or how it ended. */
function stateOf(child: ChildProcess | undefined): string {
  if (child === undefined) return 'not started';
  if (child.exitCode !== null) return `exited with ${child.exitCode}`;
  if (child.signalCode !== null) return `killed by ${child.signalCode}`;
  return 'running';
}

/** An error's message with its cause's (`fetch failed` says why only in its cause). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Resolves once `check` passes, retrying for up to `ms`. */
async function eventually(ms: number, check: () => Promise<void>): Promise<void> {
  for (const deadline = Date.now() + ms; ;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The embedded server with no rate limits, like the deployment's processes. */
async function unlimitedReference(): Promise<Reference> {
  const names = ['DMP_RATE_LIMIT_COLLECT', 'DMP_RATE_LIMIT_API'] as const;
  const saved = names.map((name) => process.env[name]);
  for (const name of names) process.env[name] = '0';
  try {
    return await startReference();
  } finally {
    for (const [i, name] of names.entries())
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
  }
}

/**
 * The deployment against the embedded server: collector throughput, worker apply throughput, the API
 * server's extra hop (p50 and p99 of a lookup and of a segment size) and memory per profile.
 *
 * Example: `const rows = await deploymentBench({ visitors: 2_000, senders: 4, lookups: 300, leaseTtlMs: 12_000 });`
 */
export async function deploymentBench(sizes: DeploymentBenchSizes): Promise<BenchResult[]> {
  let nats: NatsServers | undefined;
  let reference: Reference | undefined;
  let deployment: Deployment | undefined;
  let stopped: number | undefined;
  let phase = 'starting NATS, the embedded server and the deployment';
  try {
    nats = await startNatsServer();
    // both are started together; whichever started is stopped in `finally`, even when the other failed
    const started = await Promise.allSettled([
      unlimitedReference(),
      // the worker is paused (SIGSTOP) while the stream fills: its leases must outlast the pause
      startDeployment(nats, {
        collectors: 1,
        workers: 1,
        apis: 1,
        partitions: PARTITIONS,
        leaseTtlMs: sizes.leaseTtlMs,
      }),
    ] as const);
    if (started[0].status === 'fulfilled') reference = started[0].value;
    if (started[1].status === 'fulfilled') deployment = started[1].value;
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    if (reference === undefined || deployment === undefined) throw new Error('unreachable: both started');
    const d = deployment;
    const ref = { target: reference.process, key: reference.apiKey };
    const api = { target: d.apis[0] as Target, key: d.apiKey };
    const collector = d.collectors[0] as Target;
    const worker = pidOf(d.workers[0] as { pid?: number }, 'worker');
    const embedded = pidOf(reference.process, 'embedded server');
    const collectorPid = pidOf(d.collectors[0] as { pid?: number }, 'collector');
    const natsPid = pidOf(nats.servers[0]?.process ?? {}, 'NATS server');

    phase = 'creating the rules';
    await createRules(ref.target, ref.key, reference.siteKey);
    await createRules(api.target, api.key, d.siteKey);
    // the worker's engines learn the rules from PostgreSQL's notifications
    await eventually(20_000, async () => {
      for (const [code] of SEGMENTS) {
        const size = await call(api.target, 'GET', `/v1/segments/${code}/size`, api.key);
        if (size.status !== 200)
          throw new Error(`segment ${code} on the API server: ${size.status} ${size.text}`);
      }
    });
    await d.settled();
    const emptyRss = { worker: rssBytes(worker), embedded: rssBytes(embedded) };
    const before = await d.streamLastSeq();

    // 1. collection: the embedded server first (the deployment idle), then the collector with the worker
    // paused (SIGSTOP), so the collector (and NATS) have the machine as the embedded server had it
    const batches = eventBatches(sizes.visitors, Date.now(), 18, BATCH);
    const events = batches.reduce((n, b) => n + b.length, 0);
    let cpu = processCpuMs(embedded);
    let t = performance.now();
    phase = 'sending the events to the embedded server';
    const ingested = await sendAll(ref.target, ref.key, batches, sizes.senders);
    const embeddedCpuS = (processCpuMs(embedded) - cpu) / 1000;
    process.kill(worker, 'SIGSTOP');
    stopped = worker;
    cpu = processCpuMs(collectorPid);
    let natsCpu = processCpuMs(natsPid);
    t = performance.now();
    phase = 'sending the events to the collector (the worker paused)';
    const collected = await sendAll(collector, d.apiKey, batches, sizes.senders);
    const collectorCpuS = (processCpuMs(collectorPid) - cpu) / 1000;
    const natsCollectCpuS = (processCpuMs(natsPid) - natsCpu) / 1000;
    const pausedMs = performance.now() - t;
    // a lease runs out ttl/6 early and is renewed every ttl/3: a longer pause would drop the partitions
    if (pausedMs > sizes.leaseTtlMs / 2)
      throw new Error(
        `the worker was paused ${Math.round(pausedMs)} ms, longer than half its lease (${sizes.leaseTtlMs} ms): ` +
          'its partitions would move; give the bench a longer leaseTtlMs (bench/bench-options.ts)',
      );
    const stored = (await d.streamLastSeq()) - before;
    if (stored !== events)
      throw new Error(`the stream holds ${stored} new records for ${events} events sent`);

    // 2. the worker applies what the stream holds
    cpu = processCpuMs(worker);
    natsCpu = processCpuMs(natsPid);
    const applyStart = performance.now();
    process.kill(worker, 'SIGCONT');
    stopped = undefined;
    phase = 'waiting for the worker to apply the stream';
    await d.settled(600_000);
    const applyS = (performance.now() - applyStart) / 1000;
    const workerCpuS = (processCpuMs(worker) - cpu) / 1000;
    const natsApplyCpuS = (processCpuMs(natsPid) - natsCpu) / 1000;
    const applied = events / applyS;

    // both sides hold the same profiles
    phase = 'comparing segment sizes';
    for (const [code] of SEGMENTS) {
      const path = `/v1/segments/${code}/size`;
      const ours = (await call(api.target, 'GET', path, api.key)).body as { size: number };
      const peer = (await call(ref.target, 'GET', path, ref.key)).body as { size: number };
      sameAnswer(`size of ${code}`, ours.size, peer.size);
    }
    const fullRss = { worker: rssBytes(worker), embedded: rssBytes(embedded) };
    const perProfile = {
      worker: (fullRss.worker - emptyRss.worker) / sizes.visitors,
      embedded: (fullRss.embedded - emptyRss.embedded) / sizes.visitors,
    };

    // 3. the extra hop: one request at a time, alternating sides, after a warm-up
    phase = 'timing lookups and segment sizes';
    const uid = (i: number) => uidOf((i * 7919) % sizes.visitors);
    const segment = (i: number) => `/v1/segments/${SEGMENTS[i % SEGMENTS.length]?.[0] ?? 'everyone'}/size`;
    await latencies(Math.min(200, sizes.lookups), [api, ref], (i) => `/v1/profiles/${uid(i)}`);
    const [lookupOurs, lookupPeer] = await latencies(
      sizes.lookups,
      [api, ref],
      (i) => `/v1/profiles/${uid(i)}`,
    );
    const sizeAsks = Math.max(50, Math.floor(sizes.lookups / 4));
    await latencies(Math.min(50, sizeAsks), [api, ref], segment);
    const [sizeOurs, sizePeer] = await latencies(sizeAsks, [api, ref], segment);

    const size = `${count(sizes.visitors)} visitors, ${count(events)} events`;
    const sent = `${size}, batches of ${BATCH}, ${sizes.senders} senders`;
    const ms = (samples: number[] | undefined, p: number) => percentile(samples ?? [], p);
    const hop = (what: string, ours: number[] | undefined, peer: number[] | undefined, n: number) =>
      [50, 99].map((p) =>
        row({
          path: `scale-out: ${what} via API server p${p}`,
          size: `${count(n)} requests, one at a time`,
          ours: ms(ours, p),
          peer: ms(peer, p),
          unit: 'ms',
          better: 'lower',
          target: TARGET,
          note: `ours: API server -> worker (${PARTITIONS} partitions); peer: the embedded server`,
        }),
      );
    return [
      row({
        path: 'scale-out: collector accept',
        size: sent,
        ours: collected,
        peer: ingested,
        unit: 'events/s',
        better: 'higher',
        target: TARGET,
        note: "ours: one collector, 202 after JetStream's ack (R1); peer: the embedded server, 202 after append and apply",
      }),
      row({
        path: 'scale-out: collector accept per CPU-second',
        size: sent,
        ours: events / collectorCpuS,
        peer: events / embeddedCpuS,
        unit: 'events/cpu-s',
        better: 'higher',
        target: TARGET,
        note: `the collector process's CPU time alone; NATS used ${Math.round((natsCollectCpuS * 1e6) / events)} us of CPU per event besides (${Math.round(events / natsCollectCpuS)} events/cpu-s); peer: the embedded server's`,
      }),
      row({
        path: 'scale-out: worker apply',
        size: `${size}, ${PARTITIONS} partitions`,
        ours: applied,
        peer: ingested,
        unit: 'events/s',
        better: 'higher',
        target: TARGET,
        note: "ours: one worker following a stream that already holds them; peer: the embedded server's ingestion (202 after append and apply)",
      }),
      row({
        path: 'scale-out: worker apply per CPU-second',
        size: `${size}, ${PARTITIONS} partitions`,
        ours: events / workerCpuS,
        peer: events / embeddedCpuS,
        unit: 'events/cpu-s',
        better: 'higher',
        target: TARGET,
        note: `the worker process's CPU time alone; NATS used ${Math.round((natsApplyCpuS * 1e6) / events)} us of CPU per event delivering them; peer: the embedded server's whole ingestion`,
      }),
      ...hop('profile lookup', lookupOurs, lookupPeer, sizes.lookups),
      ...hop(`segment size (${PARTITIONS}-way)`, sizeOurs, sizePeer, sizeAsks),
      row({
        path: 'scale-out: memory per profile',
        size: `${count(sizes.visitors)} profiles`,
        ours: perProfile.worker,
        peer: perProfile.embedded,
        unit: 'bytes',
        better: 'lower',
        target: TARGET,
        note: `RSS growth of the worker (${PARTITIONS} engines) vs the embedded server; empty: ${(emptyRss.worker / 2 ** 20).toFixed(0)} MiB vs ${(emptyRss.embedded / 2 ** 20).toFixed(0)} MiB`,
      }),
    ];
  } catch (error) {
    const processes = [
      ...(deployment === undefined
        ? []
        : [
            ['worker', deployment.workers[0]],
            ['collector', deployment.collectors[0]],
            ['API server', deployment.apis[0]],
          ]),
      ...(reference === undefined ? [] : [['embedded server', reference.process]]),
    ] as [string, ChildProcess | undefined][];
    const states = processes.map(([name, child]) => `${name} ${stateOf(child)}`).join(', ');
    throw new Error(`${phase}: ${reasonOf(error)}${states === '' ? '' : ` (${states})`}`, { cause: error });
  } finally {
    if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
    await Promise.allSettled([reference?.stop(), deployment?.stop()]);
    await nats?.stop();
  }
}
