/**
 * `dmp serve --role api|collector` (ADR 0035): a front holds no profiles. It is the embedded server's
 * HTTP surface over the shared catalog and the stream: collection validates, enriches, checks consent
 * and publishes to the stream, answering once JetStream acknowledged (a worker applies the events);
 * catalog routes (traits, segments, destinations, users, keys, identity settings) are answered here; the
 * routes that read profiles are forwarded to the workers that own them (`Forwarder`). A collector and an
 * API server run the same program; the role says which routes a load balancer should send to it.
 */
import { join } from 'node:path';
import type { App } from '../app.ts';
import { createApp } from '../app.ts';
import { openEnricher } from '../app/open-stores.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import type { Config } from '../config/config.ts';
import { processName } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { EraseFilter, EraseResult, EventLog, LogRecord } from '../log/event-log.ts';
import type { JetStreamEventLog } from '../log/nats/nats-event-log.ts';
import { Forwarder } from './forwarder.ts';
import { PartitionAsks } from './partition-asks.ts';
import { internalToken } from './internal-token.ts';
import { openSharedStream } from './shared-stream.ts';
import { LeaseTable } from './lease-table.ts';
import { RunStateBucket } from './run-state-bucket.ts';
import { ExportErasures } from './export-erasures.ts';
import { DutyLease } from './duty-lease.ts';
import { OnboardJobBoard } from './onboard-job-board.ts';
import { placeChunk } from './onboard-placement.ts';
import { STOPPED_BY_DELETION } from '../activate/runs/batch-runner.ts';
import { eraseExportRows } from '../privacy/erase-export-rows.ts';

/** How often a front learns the stream's last seq (new traits start after it, as on an embedded server). */
const SYNC_EVERY_MS = 200;

/**
 * The stream as a front uses it: appends go to the stream; nothing is replayed into the front (it holds
 * no profiles); `lastSeq` is the stream's own, learnt every 200 ms and after each append.
 */
class FrontLog implements EventLog {
  private readonly timer: NodeJS.Timeout;
  private last: number;

  constructor(
    private readonly stream: JetStreamEventLog,
    last: number,
  ) {
    this.last = last;
    this.timer = setInterval(() => {
      this.stream.syncLastSeq().then(
        (seq) => (this.last = Math.max(this.last, seq)),
        () => undefined,
      );
    }, SYNC_EVERY_MS);
    this.timer.unref();
  }

  async append(records: readonly LogRecord[]): Promise<number> {
    const seq = await this.stream.append(records);
    this.last = Math.max(this.last, seq);
    return seq;
  }

  replay(): Promise<void> {
    return Promise.resolve();
  }

  lastSeq(): number {
    return this.last;
  }

  dropOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }

  erase(drop: EraseFilter): Promise<EraseResult> {
    return this.stream.erase(drop);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.stream.close();
  }
}

/**
 * Opens a front: the stream (as one of its writers), the catalog, the lease table, and the embedded
 * server's services over them with no profiles. `close()` closes all of it.
 *
 * Example: `const front = await openFront(config); await front.server.listen({ port: 8080 });`
 */
export async function openFront(
  config: Config,
  clock: Clock = systemClock,
  role: 'api' | 'collector' = 'api',
): Promise<App> {
  const { stream, where } = await openSharedStream(config, 'an API server or collector');
  const log = new FrontLog(stream, await stream.syncLastSeq());
  const catalog = await openCatalog(config.catalog);
  const owners = await LeaseTable.open({ servers: where.servers, partitions: where.partitions });
  const forwarder = new Forwarder(owners, where.partitions, internalToken(config.serverSecret ?? ''));
  const asks = new PartitionAsks(forwarder, where.partitions);
  const runState = await RunStateBucket.open({ servers: where.servers, replicas: where.replicas });
  const onboardJobs = await OnboardJobBoard.open({ servers: where.servers, replicas: where.replicas });
  const app = await createApp(config, clock, {
    scaleOut: {
      stores: { catalog, log, enrich: await openEnricher() },
      applied: () => Promise.resolve(),
      front: true,
      forwarder,
      optOutElsewhere: (tenant, idType, id, actor) => asks.optOut(tenant, idType, id, actor),
      gatherSizes: (tenant) => asks.sizesOfAll(tenant),
      runState,
      realtimeElsewhere: (tenant, campaign, destinations) =>
        asks.campaignCounts(tenant, campaign, destinations),
      gatherMembers: (tenant, destination, now, segments) =>
        asks.membersOf(tenant, destination, now, segments),
      onboardElsewhere: {
        place: (record) => placeChunk(record, where.partitions, (tenant, ids) => asks.idHolders(tenant, ids)),
        progress: (tenant, job) => asks.onboardProgress(tenant, job),
        board: onboardJobs,
      },
    },
  });
  // a deletion a worker carried out reaches the export files this server wrote, as on the embedded server
  const name = processName(config.scaleOut);
  const erasures = await ExportErasures.open({ servers: where.servers, replicas: where.replicas });
  await erasures.follow(
    name,
    async ({ tenant, ids }) => {
      await app.runner.cancelTenant(tenant, STOPPED_BY_DELETION);
      await eraseExportRows(join(config.dataDir, 'exports', tenant), new Set(ids));
    },
    (error) =>
      app.server.log.error(
        { err: error },
        'erasing a deleted visitor from the export files failed; again in 5 s',
      ),
  );
  // the run schedules are one API server's duty at a time (ADR 38)
  const schedules =
    role === 'api'
      ? await DutyLease.open({
          servers: where.servers,
          replicas: where.replicas,
          duty: 'schedules',
          holder: name,
          ttlMs: config.scaleOut.leaseTtlMs ?? 6_000,
          take: () => {
            app.server.log.info('this API server runs the run schedules now');
            app.runner.startSchedules(async () => (await catalog.listTenants()).map((t) => t.id));
          },
          give: () => app.runner.stopSchedules(),
        })
      : undefined;
  schedules?.start();
  forwarder.useTraitIds((tenant) => {
    const ids = new Map<string, number>();
    for (const [id, trait] of app.qualify.rules(tenant).traitsById) ids.set(trait.code, id);
    return ids;
  });
  return {
    ...app,
    async close() {
      await schedules?.stop();
      await erasures.close();
      await app.close();
      await owners.close();
      await runState.close();
      await onboardJobs.close();
      await log.close();
      await catalog.close();
    },
  };
}
