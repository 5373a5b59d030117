/**
 * `dmp serve --role worker` (ADR 0035): a process that owns partitions through leases (`PartitionLeases`)
 * and runs one embedded engine per partition it owns (`PartitionEngine`), all fed by one follower of the
 * stream: each record, in stream order, goes to every engine (its own partition's records and the
 * shared ones are applied; the rest only move the engine's position). Its HTTP server, for the fronts on
 * the private network, answers `/internal/partitions/<n>/<public API path>` by handing the request to
 * partition n's engine, which checks the caller's own key or session as an embedded server does; a
 * partition it does not serve answers 503 with `X-DMP-Partition: not-here`, and the front asks again.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { App } from '../app.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { openEnricher } from '../app/open-stores.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { JetStreamEventLog } from '../log/nats/nats-event-log.ts';
import type { StreamFollower } from '../log/nats/stream-follower.ts';
import { INTERNAL_TOKEN_HEADER, isInternalToken } from './internal-token.ts';
import { PartitionLeases } from './partition-leases.ts';
import { PartitionEngine } from './partition-engine.ts';
import { openSharedStream } from './shared-stream.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { RunStateBucket } from './run-state-bucket.ts';
import { ExportErasures } from './export-erasures.ts';
import { OnboardJobBoard } from './onboard-job-board.ts';
import type { CampaignCountsAsk, IdHoldersAsk, MembersAsk, OnboardProgressAsk } from './worker-client.ts';
import type { EngineDeps } from './partition-engine.ts';

/** How a worker is reached and named. */
export interface WorkerOptions {
  /** this worker's id, unique in the deployment */
  id: string;
  /** lease length (default 6000 ms): a dead worker's partitions move after about this long */
  leaseTtlMs?: number;
}

/** What a worker says of itself (`GET /internal/status`). */
export interface WorkerStatus {
  worker: string;
  /** the last stream seq handed to the engines */
  position: number;
  /** the partitions it serves (recovered), and those it is recovering */
  serving: number[];
  recovering: number[];
  /** how each served partition was recovered: the snapshot's seq (0: none), the records replayed, the time */
  recovered: Record<string, { snapshotSeq: number; replayed: number; ms: number }>;
}

/** An opt-out a front asks an engine to carry out. */
interface OptOutAsk {
  tenant: string;
  idType: string;
  id: string;
  actor: string;
}

/** request headers the engine should not see again (the worker's own hop sets them) */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * Example:
 * ```ts
 * const worker = await Worker.open(config, { id: 'w1' });
 * await worker.server.listen({ port: 8081, host: '127.0.0.1' });
 * await worker.start('http://127.0.0.1:8081'); // takes leases, recovers partitions
 * ...
 * await worker.close(); // releases its leases for the others to take at once
 * ```
 */
export class Worker {
  private readonly engines = new Map<number, PartitionEngine>();
  private position = 0;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  private follower: StreamFollower | undefined;
  private leases: PartitionLeases | undefined;

  private constructor(
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly options: WorkerOptions,
    private readonly stream: JetStreamEventLog,
    private readonly catalog: Catalog,
    private readonly deps: EngineDeps,
    readonly server: FastifyInstance,
  ) {}

  /** Opens the stream (as one of its writers), the catalog and the enricher, and builds the HTTP server. */
  static async open(config: Config, options: WorkerOptions, clock: Clock = systemClock): Promise<Worker> {
    const { stream, where } = await openSharedStream(config, 'a worker');
    const catalog = await openCatalog(config.catalog);
    const enrich = await openEnricher();
    const snapshots = await SnapshotStore.open({ servers: where.servers, replicas: where.replicas });
    const runState = await RunStateBucket.open({ servers: where.servers, replicas: where.replicas });
    const erasures = await ExportErasures.open({ servers: where.servers, replicas: where.replicas });
    const onboardJobs = await OnboardJobBoard.open({ servers: where.servers, replicas: where.replicas });
    const server = Fastify({ bodyLimit: 16 * 1024 * 1024 });
    const follower = { worker: undefined as Worker | undefined };
    const deps: EngineDeps = {
      config,
      clock,
      stream,
      shared: { catalog, enrich },
      snapshots,
      runState,
      erasures,
      onboardJobs,
      applied: (seq) => follower.worker?.appliedThrough(seq) ?? Promise.resolve(),
    };
    const worker = new Worker(config, clock, options, stream, catalog, deps, server);
    follower.worker = worker;
    worker.routes();
    return worker;
  }

  /** Follows the stream from its end and starts taking leases; `url`: where the fronts reach this worker. */
  async start(url: string): Promise<void> {
    this.position = await this.stream.syncLastSeq();
    this.follower = this.stream.follow(this.position + 1, ({ seq, record, appendedAt, partition }) => {
      for (const engine of this.engines.values()) engine.deliver(seq, record, appendedAt, partition);
      this.position = seq;
      this.wake();
    });
    const where = this.config.log;
    this.leases = await PartitionLeases.open({
      servers: where.kind === 'nats' ? where.servers : [],
      replicas: where.kind === 'nats' ? where.replicas : 1,
      partitions: this.stream.partitions,
      worker: this.options.id,
      url,
      ...(this.options.leaseTtlMs === undefined ? {} : { ttlMs: this.options.leaseTtlMs }),
      onGained: (partition) => this.serve(partition),
      onLost: (partition) => this.drop(partition),
    });
    this.leases.start();
  }

  /** Resolves once the follower has handed the engines every record up to `seq`. */
  appliedThrough(seq: number): Promise<void> {
    if (this.position >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  status(): WorkerStatus {
    const serving: number[] = [];
    const recovering: number[] = [];
    const recovered: WorkerStatus['recovered'] = {};
    for (const [partition, engine] of this.engines) {
      const app = engine.app;
      if (app === undefined) {
        recovering.push(partition);
        continue;
      }
      serving.push(partition);
      const { used, replayed, ms } = app.startup;
      recovered[partition] = { snapshotSeq: used?.seq ?? 0, replayed, ms: Math.round(ms) };
    }
    serving.sort((a, b) => a - b);
    return { worker: this.options.id, position: this.position, serving, recovering, recovered };
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter !== undefined && waiter.seq <= this.position) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** A lease won: partition `n`'s engine recovers from the stream up to the follower's position. */
  private async serve(partition: number): Promise<void> {
    const engine = PartitionEngine.start(this.deps, partition, this.position);
    this.engines.set(partition, engine);
    const started = this.clock.now();
    await engine.ready;
    engine.app?.server.log.info(
      { partition, worker: this.options.id, ms: this.clock.now() - started },
      'partition taken over: recovered from the stream',
    );
  }

  private async drop(partition: number): Promise<void> {
    const engine = this.engines.get(partition);
    this.engines.delete(partition);
    await engine?.close();
  }

  private routes(): void {
    const server = this.server;
    server.removeAllContentTypeParsers();
    server.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    server.get('/healthz', async () => ({ ok: true }));
    server.get('/readyz', async () => ({ ready: true, serving: this.status().serving.length }));
    server.get('/internal/status', async () => this.status());
    // the workers' own routes, only with the deployment's internal token: each answers for one engine
    const own = <T>(path: string, answer: (app: App, asked: T) => unknown): void => {
      server.post(`/internal/partitions/:n/${path}`, async (request, reply) => {
        const app = this.internalCall(request, reply);
        if (app === undefined) return reply;
        return answer(app, JSON.parse(String(request.body)) as T);
      });
    };
    // an opt-out a front carries out here (the public opt-out page, POST /v1/optouts): the engine registers
    // it and deletes the visitor if it holds one; the front that asked records the one audit entry
    own<OptOutAsk>('opt-out', (app, a) =>
      app.privacy.optOut(a.tenant, a.idType, a.id, a.actor, { audited: false }),
    );
    // every segment's size on this partition, which a front adds up and records for the trends
    own<{ tenant: string }>('sizes', (app, a) => app.segments.sizesOfAll(a.tenant).sizes);
    // this partition's part of an API server's batch run (ADR 0038): its members of the destination
    own<MembersAsk>('members', (app, a) =>
      app.runner.membersHere(a.tenant, a.destination, a.now, a.segments),
    );
    // this partition's real-time decisions of a campaign, which an API server's report adds up
    own<CampaignCountsAsk>('campaign-counts', (app, a) =>
      app.campaignDelivery.realtimeHere(a.tenant, a.campaign, a.destinations),
    );
    // a chunk of a file an API server onboards (ADR 0039): which of its IDs this partition's profiles hold
    own<IdHoldersAsk>('id-holders', (app, a) => {
      const profiles = app.qualify.profilesOf(a.tenant);
      const held: number[] = [];
      a.ids.forEach(([type, id], i) => {
        if (profiles.find(type, id) !== undefined) held.push(i);
      });
      return held;
    });
    // this partition's part of an onboarding job's progress, which the API server adds up
    own<OnboardProgressAsk>(
      'onboard-progress',
      (app, a) => app.onboarding.progressHere(a.tenant, a.job) ?? null,
    );
    server.all('/internal/partitions/:n/*', async (request, reply) => {
      const partition = Number((request.params as { n: string }).n);
      const app = this.engines.get(partition)?.app;
      if (app === undefined)
        return reply
          .code(503)
          .header('x-dmp-partition', 'not-here')
          .send({
            error: 'partition_not_here',
            detail: `worker ${this.options.id} does not serve partition ${partition}`,
          });
      const answer = await passThrough(app, request, `/internal/partitions/${partition}`);
      for (const [name, value] of Object.entries(answer.headers))
        if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
      return reply.code(answer.statusCode).send(answer.rawPayload);
    });
    // one request of a front for several partitions this worker serves (`0.3.5`): each engine's answer,
    // or `notHere` for a partition it does not serve (the front asks that one's owner on its own)
    server.all('/internal/group/:list/*', async (request) => {
      const list = (request.params as { list: string }).list;
      const partitions = list.split('.').map(Number);
      const answers = await Promise.all(
        partitions.map(async (partition) => {
          const app = this.engines.get(partition)?.app;
          if (app === undefined) return { partition, notHere: true };
          const answer = await passThrough(app, request, `/internal/group/${list}`);
          return {
            partition,
            status: answer.statusCode,
            headers: endToEnd(answer.headers),
            body: answer.rawPayload.toString('base64'),
          };
        }),
      );
      return { answers };
    });
  }

  /**
   * The engine a front's internal call is for, or undefined once the answer is sent: 403 without the
   * deployment's internal token, 503 `not-here` for a partition this worker does not serve.
   */
  private internalCall(request: FastifyRequest, reply: FastifyReply): App | undefined {
    const secret = this.config.serverSecret ?? '';
    if (secret === '' || !isInternalToken(request.headers[INTERNAL_TOKEN_HEADER], secret)) {
      void reply.code(403).send({ error: 'forbidden', detail: 'the internal token is missing or wrong' });
      return undefined;
    }
    const partition = Number((request.params as { n: string }).n);
    const app = this.engines.get(partition)?.app;
    if (app === undefined) void reply.code(503).header('x-dmp-partition', 'not-here').send({});
    return app;
  }

  /** Releases the leases (the engines stop, with a snapshot each), then closes the stream and catalog. */
  async close(): Promise<void> {
    await this.leases?.stop();
    for (const partition of [...this.engines.keys()]) await this.drop(partition);
    await this.follower?.stop();
    await this.server.close();
    await this.stream.close();
    await this.deps.snapshots.close();
    await this.deps.runState.close?.();
    await this.deps.erasures.close();
    await this.deps.onboardJobs.close();
    await this.catalog.close();
  }
}

/** A front's request, as received under `prefix`, asked of one partition's engine. */
function passThrough(app: App, request: FastifyRequest, prefix: string) {
  const body = request.body;
  return app.server.inject({
    method: request.method as HTTPMethods &
      ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'),
    url: request.url.slice(prefix.length),
    headers: endToEnd(request.headers),
    ...(Buffer.isBuffer(body) ? { payload: body } : {}),
    remoteAddress: request.ip,
  });
}

/** The headers of one hop that are meant for the next one too (text ones only). */
function endToEnd(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (typeof value === 'string' && !HOP_HEADERS.has(name)) kept[name] = value;
  return kept;
}
