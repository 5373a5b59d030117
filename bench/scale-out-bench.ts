/**
 * The scale-out engines beside the embedded ones (issue 18, docs/scale-out.md): the event log on NATS
 * JetStream (one local server, an R1 stream) against the file log, appending and replaying the same
 * records; the catalog on PostgreSQL (the local server, a database of its own) against SQLite, writing
 * traits and reading segments. The figures are the cost of the network hop each engine adds, measured on
 * this machine, not a verdict on the engines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BenchResult } from './bench-result.ts';
import { count, row } from './bench-result.ts';
import type { EventLog } from '../src/log/event-log.ts';
import { openFileEventLog } from '../src/log/file-event-log.ts';
import { openNatsEventLog } from '../src/log/nats/nats-event-log.ts';
import { sampleRecord } from '../src/log/testing/sample-records.ts';
import type { Catalog } from '../src/catalog/catalog.ts';
import { openSqliteCatalog } from '../src/catalog/sqlite-catalog.ts';
import { openPostgresCatalog } from '../src/catalog/postgres/pg-catalog.ts';
import { startNatsServer } from '../test/helpers/nats-servers.ts';

/** Records per append: a collection batch of this many events. */
const BATCH = 100;

/** Appends `records` sample records in batches, then replays them all; answers records per second of each. */
async function logRates(log: EventLog, records: number): Promise<{ append: number; replay: number }> {
  let t = performance.now();
  for (let n = 0; n < records; n += BATCH)
    await log.append(Array.from({ length: Math.min(BATCH, records - n) }, (_, i) => sampleRecord(n + i)));
  const append = records / ((performance.now() - t) / 1000);
  t = performance.now();
  let seen = 0;
  await log.replay(1, () => {
    seen++;
  });
  if (seen !== records) throw new Error(`replay gave ${seen} records of ${records}`);
  return { append, replay: records / ((performance.now() - t) / 1000) };
}

/**
 * The event log: NATS JetStream (ours, the scale-out adapter) against the file log (the peer: the
 * embedded adapter), `records` records appended in batches of 100, then replayed.
 */
export async function logBench(records: number): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-bench-log-'));
  const nats = await startNatsServer();
  try {
    const file = await openFileEventLog(join(dir, 'log'));
    const fileRates = await logRates(file, records).finally(() => file.close());
    const stream = await openNatsEventLog({ servers: nats.urls, stream: 'BENCH_LOG' });
    const natsRates = await logRates(stream, records).finally(() => stream.close());
    const size = `${count(records)} events, batches of ${BATCH}`;
    const note = 'ours: NATS JetStream (one local server, R1); peer: the file log; the cost of the hop';
    return [
      row({
        path: 'scale-out: log append',
        size,
        ours: natsRates.append,
        peer: fileRates.append,
        unit: 'events/s',
        better: 'higher',
        target: 'measured (docs/scale-out.md)',
        note,
      }),
      row({
        path: 'scale-out: log replay',
        size,
        ours: natsRates.replay,
        peer: fileRates.replay,
        unit: 'events/s',
        better: 'higher',
        target: 'measured (docs/scale-out.md)',
        note,
      }),
    ];
  } finally {
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Traits written one by one, then a segment read `reads` times; answers operations per second of each. */
async function catalogRates(catalog: Catalog, writes: number, reads: number) {
  const { tenant } = await catalog.createTenant('bench');
  let t = performance.now();
  for (let i = 0; i < writes; i++)
    await catalog.createTrait(
      tenant,
      {
        code: `t${i}`,
        name: `Trait ${i}`,
        rule: 'url.path == "/"',
        ruleJson: { op: '==', path: 'url.path', value: '/' },
      },
      1,
    );
  const write = writes / ((performance.now() - t) / 1000);
  await catalog.createSegment(tenant, { code: 's', name: 'S', rule: 'trait:t0', ruleJson: { trait: 't0' } });
  t = performance.now();
  for (let i = 0; i < reads; i++)
    if ((await catalog.getSegment(tenant, 's')) === undefined) throw new Error('no segment');
  return { write, read: reads / ((performance.now() - t) / 1000) };
}

/**
 * The catalog: PostgreSQL (ours, the scale-out adapter, on a database made for the run and dropped after)
 * against SQLite (the peer: the embedded adapter), trait writes and segment reads.
 */
export async function catalogBench(writes: number, reads: number): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-bench-catalog-'));
  const server =
    process.env.DMP_TEST_POSTGRES_URL ?? `postgres://${process.env.USER ?? 'root'}@127.0.0.1:5432/postgres`;
  const name = `opendmp_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const sqlite = await openSqliteCatalog(join(dir, 'catalog.sqlite'));
    const lite = await catalogRates(sqlite, writes, reads).finally(() => sqlite.close());
    const url = new URL(server);
    url.pathname = `/${name}`;
    const postgres = await openPostgresCatalog(url.toString());
    const pgRates = await catalogRates(postgres, writes, reads).finally(() => postgres.close());
    const note = 'ours: PostgreSQL (local server); peer: SQLite; one call at a time: the cost of the hop';
    return [
      row({
        path: 'scale-out: catalog write',
        size: `${count(writes)} traits`,
        ours: pgRates.write,
        peer: lite.write,
        unit: 'writes/s',
        better: 'higher',
        target: 'measured (docs/scale-out.md)',
        note,
      }),
      row({
        path: 'scale-out: catalog read',
        size: `${count(reads)} reads`,
        ours: pgRates.read,
        peer: lite.read,
        unit: 'reads/s',
        better: 'higher',
        target: 'measured (docs/scale-out.md)',
        note,
      }),
    ];
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}
