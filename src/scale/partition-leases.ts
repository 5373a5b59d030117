/**
 * A worker's partition leases (ADR 35, issue 18): the worker heartbeats `w.<worker>` and holds leases
 * `p.<n>` in a JetStream KV bucket (`dmp-leases`), each value the holder and its end (`lease-value.ts`).
 *
 * - Taking: `create` when the key is absent, or `update` at the revision read when the stored lease has
 *   expired (`until < now`) or was deleted. The compare-and-set makes the take fail if anyone wrote the
 *   key since it was read, so a partition is never gained before its previous lease ended.
 * - Renewing: every ttl/3, `update` at the revision this worker last wrote. A renewal refused because
 *   the key is at another revision means the lease was taken: lost. A renewal that cannot reach NATS is
 *   retried; once the lease's own end has passed (less a clock margin of ttl/6), it is lost locally too,
 *   so no two workers count one partition as theirs at the same time.
 * - Balance: live workers are the heartbeats not expired; each aims at ceil(P / live) partitions, takes
 *   the lowest free ones while it has fewer, and releases its highest ones while it has more (a worker
 *   joined): `onLost` first, then the key is deleted so that another takes it at once.
 * - `onGained` and `onLost` are awaited one at a time, in order; renewals go on while they run (restoring
 *   a partition may take longer than a lease). A partition counts as owned only once `onGained` resolved.
 */
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { retryFor } from '../log/nats/retry.ts';
import { LeaseBoard, checkPartitions } from './lease-table.ts';
import type { BoardChange } from './lease-table.ts';
import {
  DEFAULT_LEASE_BUCKET,
  beatKey,
  checkWorkerId,
  isWrongRevision,
  leaseKey,
  parseLeaseHolder,
} from './lease-value.ts';
import type { LeaseHolder, WorkerBeat } from './lease-value.ts';

export type { LeaseHolder } from './lease-value.ts';

/** How a worker takes part in the leases. */
export interface PartitionLeasesOptions {
  /** the NATS servers, e.g. `['nats://10.0.0.1:4222']` (a connection of its own, closed by `stop()`) */
  servers: string | string[];
  /** the lease bucket (default `dmp-leases`) */
  bucket?: string;
  /** the bucket's replicas when this call creates it: 1, or 3 on a cluster (default 1) */
  replicas?: number;
  /** P, the partitions of the deployment: 0..P-1 */
  partitions: number;
  /** this worker's id, unique among live workers; letters, digits, `-_=/`, in words joined by dots */
  worker: string;
  /** where this worker's HTTP server answers (stored in its leases) */
  url: string;
  /** how long a lease lasts unless renewed (default 6000 ms); renewed every ttl/3 */
  ttlMs?: number;
  /** the clock of the lease ends (default `Date.now`); workers' clocks must agree within ttl/6 */
  now?: () => number;
  /** a lease was won: awaited, one callback at a time; the partition is owned once it resolves */
  onGained(partition: number): Promise<void>;
  /** a lease was lost (not renewed in time, taken) or is being released: stop serving the partition */
  onLost(partition: number): Promise<void>;
}

type LeaseState = 'gaining' | 'serving' | 'releasing' | 'released';

/** One lease this worker won. */
interface Lease {
  partition: number;
  state: LeaseState;
  /** the revision of this worker's last confirmed write of the key */
  revision: number;
  /** the lease end of that write */
  until: number;
  /** when that write was made */
  writtenAt: number;
  /** the lease end of a renewal whose answer never came (it may have been written) */
  unconfirmedUntil?: number;
  gainedCalled: boolean;
  lostCalled: boolean;
}

/**
 * A worker's leases on the partitions: see the top of this file.
 *
 * Example:
 * ```ts
 * const leases = await PartitionLeases.open({
 *   servers: ['nats://127.0.0.1:4222'], partitions: 8, worker: 'w1', url: 'http://10.0.0.5:8080',
 *   onGained: (n) => engines.start(n), // restore and replay partition n
 *   onLost: (n) => engines.stop(n),
 * });
 * leases.start();
 * leases.owned(); // e.g. [0, 1, 2] once the engines started
 * await leases.stop(); // onLost for each, then the leases are deleted for others to take
 * ```
 */
export class PartitionLeases {
  readonly #options: PartitionLeasesOptions;
  readonly #nc: NatsConnection;
  readonly #kv: KV;
  readonly #board: LeaseBoard;
  readonly #now: () => number;
  readonly #ttl: number;
  /** how often the loop runs, and leases and the heartbeat are renewed: ttl/3 */
  readonly #period: number;
  /** a lease counts as this worker's until its end less this (clocks of workers may disagree a little) */
  readonly #margin: number;
  readonly #held = new Map<number, Lease>();
  /** lease ends of takes whose answer never came, by partition: adopted if the write turns out to have landed */
  readonly #unconfirmedTakes = new Map<number, number>();
  #beatWrittenAt = -Infinity;
  #startedAt: number | undefined;
  #ticks = 0;
  #stopping = false;
  #halted = false;
  #timer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #callbacks: Promise<void> = Promise.resolve();
  #pendingCallbacks = 0;
  #stopped: Promise<void> | undefined;

  private constructor(options: PartitionLeasesOptions, nc: NatsConnection, kv: KV, jsm: JetStreamManager) {
    this.#options = options;
    this.#nc = nc;
    this.#kv = kv;
    this.#now = options.now ?? Date.now;
    this.#ttl = options.ttlMs ?? 6000;
    this.#period = this.#ttl / 3;
    this.#margin = this.#ttl / 6;
    this.#board = new LeaseBoard({
      kv,
      jsm,
      bucket: options.bucket ?? DEFAULT_LEASE_BUCKET,
      partitions: options.partitions,
      onChange: (change) => this.#changed(change),
    });
  }

  /**
   * Connects, creates the bucket if it is missing (history 1), and reads the leases. Nothing is taken
   * before `start()`.
   *
   * Example: `const leases = await PartitionLeases.open({ servers, partitions: 8, worker, url, onGained, onLost });`
   */
  static async open(options: PartitionLeasesOptions): Promise<PartitionLeases> {
    checkPartitions(options.partitions);
    checkWorkerId(options.worker);
    const ttl = options.ttlMs ?? 6000;
    if (!Number.isFinite(ttl) || ttl < 30)
      throw new RangeError(`ttlMs must be a number of milliseconds from 30, not ${ttl}`);
    const replicas = options.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)
      throw new RangeError(`replicas must be 1, 3 or 5, not ${replicas}`);
    if (options.url === '') throw new RangeError(`url must say where worker ${options.worker} answers`);
    const nc = await connect({
      servers: options.servers,
      name: `dmp-worker-${options.worker}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    try {
      // requests give up after a renewal period, so that the loop keeps its pace while NATS is away
      const js = jetstream(nc, { timeout: Math.max(Math.round(ttl / 3), 100) });
      const bucket = options.bucket ?? DEFAULT_LEASE_BUCKET;
      const kv = await retryFor(15_000, () =>
        new Kvm(js).create(bucket, { replicas, history: 1, allow_direct: false }),
      );
      const jsm = await retryFor(15_000, () => js.jetstreamManager());
      const leases = new PartitionLeases(options, nc, kv, jsm);
      await retryFor(15_000, () => leases.#board.refresh());
      leases.#board.watch();
      return leases;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /**
   * Begins the loop: heartbeat, renew, take and balance, every ttl/3. The first takes wait one period,
   * so that workers started together see each other's heartbeats and share out at once.
   *
   * Example: `leases.start();`
   */
  start(): void {
    if (this.#startedAt !== undefined || this.#stopping) return;
    this.#startedAt = this.#now();
    this.#expiryTimer = setInterval(() => this.#expire(), Math.max(this.#period / 4, 5));
    this.#kick();
  }

  /**
   * The partitions this worker holds and has finished `onGained` for, sorted.
   *
   * Example: `leases.owned() // [0, 1, 2]`
   */
  owned(): number[] {
    const now = this.#now();
    return [...this.#held.values()]
      .filter((lease) => lease.state === 'serving' && now < lease.until - this.#margin)
      .map((lease) => lease.partition)
      .sort((a, b) => a - b);
  }

  /**
   * Stops taking, deletes the heartbeat, calls `onLost` for each held partition (leases still renewed
   * meanwhile), then deletes the lease keys so that other workers take them at once, and closes the
   * connection. Leases that cannot be deleted (NATS away) expire after the ttl.
   *
   * Example: `process.on('SIGTERM', () => void leases.stop().then(() => process.exit(0)));`
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    await this.#kv.delete(beatKey(this.#options.worker)).catch(() => {});
    await this.#running;
    for (const lease of this.#held.values())
      if (lease.state === 'gaining' || lease.state === 'serving') this.#release(lease);
    while (this.#pendingCallbacks > 0) await this.#callbacks;
    await this.#halt();
    await Promise.all(
      [...this.#held.values()].map((lease) =>
        this.#kv.delete(leaseKey(lease.partition), { previousSeq: lease.revision }).catch(() => {}),
      ),
    );
    this.#held.clear();
    this.#board.close();
    await this.#nc.close();
  }

  /**
   * For tests: ends like `kill -9` would, with no callback, no release and no delete: the loop stops and
   * the connection closes, so the leases and the heartbeat expire after the ttl.
   *
   * Example: `await leases.crash(); // the others take its partitions within ttl + ttl/3`
   */
  async crash(): Promise<void> {
    this.#stopping = true;
    this.#stopped ??= Promise.resolve();
    await this.#halt();
    this.#held.clear();
    this.#board.close();
    await this.#nc.close();
  }

  // ---- the loop

  /** Runs the loop now (or right after the running round), then every period. */
  #kick(): void {
    if (this.#halted || this.#startedAt === undefined) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#round().finally(() => {
      this.#running = undefined;
      if (this.#halted) return;
      const delay = this.#again ? 0 : this.#period;
      this.#again = false;
      this.#timer = setTimeout(() => this.#kick(), delay);
    });
  }

  async #halt(): Promise<void> {
    this.#halted = true;
    clearTimeout(this.#timer);
    clearInterval(this.#expiryTimer);
    await this.#running;
  }

  /** One round; every step survives NATS being away (it is tried again next round). */
  async #round(): Promise<void> {
    this.#ticks++;
    this.#expire();
    if (!this.#stopping) await this.#beat().catch(() => {});
    await this.#renewAll();
    this.#expire();
    await this.#deleteReleased();
    if (!this.#stopping) {
      this.#balance();
      await this.#take();
    }
    if (this.#ticks % 3 === 0) await this.#board.refresh().catch(() => {}); // in case the watch missed a change
  }

  /** Renews the heartbeat when due. */
  async #beat(): Promise<void> {
    const now = this.#now();
    if (now < this.#beatWrittenAt + this.#period * 0.75) return;
    const beat: WorkerBeat = { url: this.#options.url, until: now + this.#ttl };
    await this.#kv.put(beatKey(this.#options.worker), JSON.stringify(beat));
    this.#beatWrittenAt = now;
  }

  async #renewAll(): Promise<void> {
    const now = this.#now();
    const due = [...this.#held.values()].filter(
      (lease) => lease.state !== 'released' && now >= lease.writtenAt + this.#period * 0.75,
    );
    await Promise.all(due.map((lease) => this.#renew(lease)));
  }

  async #renew(lease: Lease): Promise<void> {
    const key = leaseKey(lease.partition);
    const now = this.#now();
    const until = now + this.#ttl;
    try {
      const revision = await this.#kv.update(key, this.#value(until), lease.revision);
      this.#confirm(lease, revision, until, now);
    } catch (error) {
      if (!isWrongRevision(error)) {
        lease.unconfirmedUntil = until; // NATS away or slow: the lease holds until its end
        return;
      }
      // another revision: ours if an unanswered renewal landed after all, else someone took the key
      const entry = await this.#kv.get(key).catch(() => undefined);
      if (entry === undefined) return; // cannot read it now: next round
      if (entry !== null) this.#board.apply(entry);
      const holder = entry?.operation === 'PUT' ? parseLeaseHolder(entry.string()) : undefined;
      if (
        entry !== null &&
        holder?.worker === this.#options.worker &&
        holder.until === lease.unconfirmedUntil
      )
        this.#confirm(lease, entry.revision, holder.until, holder.until - this.#ttl);
      else if (this.#held.get(lease.partition) === lease) this.#lose(lease);
    }
  }

  #confirm(lease: Lease, revision: number, until: number, writtenAt: number): void {
    lease.revision = revision;
    if (until > lease.until) lease.until = until;
    lease.writtenAt = writtenAt;
    lease.unconfirmedUntil = undefined;
  }

  /** Drops leases whose end (less the margin) has passed without a renewal. */
  #expire(): void {
    const now = this.#now();
    for (const lease of [...this.#held.values()]) if (now >= lease.until - this.#margin) this.#lose(lease);
  }

  /** The lease is gone (expired, or taken): forget it, and call onLost if onGained was called. */
  #lose(lease: Lease): void {
    if (this.#held.get(lease.partition) === lease) this.#held.delete(lease.partition);
    if (lease.state === 'released') return;
    this.#enqueue(async () => {
      if (lease.gainedCalled && !lease.lostCalled) {
        lease.lostCalled = true;
        await this.#options.onLost(lease.partition);
      }
    });
  }

  /** Gives a lease up: onLost, then the next round deletes the key. */
  #release(lease: Lease): void {
    lease.state = 'releasing';
    this.#enqueue(async () => {
      try {
        if (lease.gainedCalled && !lease.lostCalled) {
          lease.lostCalled = true;
          await this.#options.onLost(lease.partition);
        }
      } finally {
        lease.state = 'released';
        this.#kick();
      }
    });
  }

  async #deleteReleased(): Promise<void> {
    if (this.#stopping) return; // stop() deletes them once its callbacks are done
    const released = [...this.#held.values()].filter((lease) => lease.state === 'released');
    await Promise.all(
      released.map(async (lease) => {
        try {
          await this.#kv.delete(leaseKey(lease.partition), { previousSeq: lease.revision });
        } catch (error) {
          if (!isWrongRevision(error)) return; // tried again next round; the lease expires meanwhile
        }
        if (this.#held.get(lease.partition) === lease) this.#held.delete(lease.partition);
      }),
    );
  }

  /** How many live workers (heartbeats not expired, this one included) share the partitions. */
  #target(): number {
    const now = this.#now();
    const live = new Set([this.#options.worker]);
    for (const [worker, slot] of this.#board.beats)
      if (slot.value !== undefined && slot.value.until >= now) live.add(worker);
    return Math.ceil(this.#options.partitions / live.size);
  }

  #active(): Lease[] {
    return [...this.#held.values()].filter((lease) => lease.state === 'gaining' || lease.state === 'serving');
  }

  /** Releases the highest partitions beyond this worker's share. */
  #balance(): void {
    const active = this.#active().sort((a, b) => b.partition - a.partition);
    const extra = active.length - this.#target();
    for (const lease of active.slice(0, Math.max(extra, 0))) this.#release(lease);
  }

  /** Takes the lowest free or expired partitions while this worker holds fewer than its share. */
  async #take(): Promise<void> {
    if (this.#startedAt === undefined || this.#now() < this.#startedAt + this.#period) return;
    let active = this.#active().length;
    const target = this.#target();
    for (let partition = 0; partition < this.#options.partitions && active < target; partition++) {
      if (this.#stopping) return;
      if (this.#held.has(partition)) continue;
      const now = this.#now();
      const slot = this.#board.leases[partition];
      const holder = slot?.value;
      if (slot !== undefined && holder !== undefined && holder.until >= now) {
        // held; ours only when a take whose answer never came was written after all
        if (
          holder.worker === this.#options.worker &&
          this.#unconfirmedTakes.get(partition) === holder.until
        ) {
          this.#unconfirmedTakes.delete(partition);
          this.#gained(partition, slot.revision, holder.until, now);
          active++;
        }
        continue;
      }
      const key = leaseKey(partition);
      const until = now + this.#ttl;
      try {
        const revision =
          slot === undefined
            ? await this.#kv.create(key, this.#value(until))
            : await this.#kv.update(key, this.#value(until), slot.revision);
        this.#unconfirmedTakes.delete(partition);
        this.#gained(partition, revision, until, now);
        active++;
      } catch (error) {
        if (!isWrongRevision(error)) {
          this.#unconfirmedTakes.set(partition, until);
          return; // NATS away or slow: the next round tries again (a round must not wait P timeouts)
        }
        await this.#board.refreshKey(key).catch(() => {});
      }
    }
  }

  #gained(partition: number, revision: number, until: number, now: number): void {
    const lease: Lease = {
      partition,
      state: 'gaining',
      revision,
      until,
      writtenAt: now,
      gainedCalled: false,
      lostCalled: false,
    };
    this.#held.set(partition, lease);
    this.#enqueue(async () => {
      if (this.#held.get(partition) !== lease || lease.state !== 'gaining') return;
      lease.gainedCalled = true;
      try {
        await this.#options.onGained(partition);
      } catch (error) {
        console.warn(`worker ${this.#options.worker}: onGained(${partition}) failed, releasing it:`, error);
        if (this.#held.get(partition) === lease && lease.state === 'gaining') this.#release(lease);
        return;
      }
      if (this.#held.get(partition) === lease && lease.state === 'gaining') lease.state = 'serving';
    });
  }

  /** Runs callbacks one at a time, in order; a failing onLost is reported and the queue goes on. */
  #enqueue(job: () => Promise<void>): void {
    this.#pendingCallbacks++;
    this.#callbacks = this.#callbacks
      .then(job)
      .catch((error: unknown) => console.warn(`worker ${this.#options.worker}: onLost failed:`, error))
      .finally(() => this.#pendingCallbacks--);
  }

  /** A lease was deleted or a worker appeared: balance now rather than at the next round. */
  #changed(change: BoardChange): void {
    if (change.deleted || (change.appeared && change.key.startsWith('w.'))) this.#kick();
  }

  #value(until: number): string {
    const holder: LeaseHolder = { worker: this.#options.worker, url: this.#options.url, until };
    return JSON.stringify(holder);
  }
}
