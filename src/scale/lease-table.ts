/**
 * Reading the lease bucket (ADR 35): `LeaseBoard` keeps a current copy of every lease and heartbeat of a
 * bucket (a KV watch, plus full re-reads on demand); `LeaseTable` is the read-only view that front
 * processes (API servers, collectors) and tests open on their own connection to learn which worker owns
 * which partition. The workers themselves take and renew leases with `PartitionLeases`.
 */
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { FAILOVER_MS, retryFor } from '../log/nats/retry.ts';
import type { KV, KvEntry } from '@nats-io/kv';
import {
  DEFAULT_LEASE_BUCKET,
  isMissingBucket,
  leaseKey,
  parseLeaseHolder,
  parseWorkerBeat,
  partitionOfKey,
  workerOfKey,
} from './lease-value.ts';
import type { LeaseHolder, WorkerBeat } from './lease-value.ts';

/** One key's newest known state: its revision, and its value (undefined once deleted or unreadable). */
export interface BoardSlot<T> {
  revision: number;
  value: T | undefined;
}

/** What `LeaseBoard` tells its listener: which key changed, and whether it was deleted. */
export interface BoardChange {
  key: string;
  deleted: boolean;
  /** true when the key had no live value before (absent, deleted or unreadable) */
  appeared: boolean;
}

/**
 * The newest known state of a lease bucket's keys, for `LeaseTable` and `PartitionLeases`. Each key only
 * ever moves forward (a lower revision than the one held is ignored), so the watch and `refresh()` can
 * deliver in any order.
 *
 * Example:
 * ```ts
 * const board = new LeaseBoard({ kv, jsm, bucket: 'dmp-leases', partitions: 8 });
 * await board.refresh();
 * board.watch();
 * board.leases[3]?.value?.worker; // the worker holding p.3, expired or not
 * await board.close();
 * ```
 */
export class LeaseBoard {
  /** index = partition; undefined when the key was never seen */
  readonly leases: (BoardSlot<LeaseHolder> | undefined)[];
  /** by worker id */
  readonly beats = new Map<string, BoardSlot<WorkerBeat>>();
  #closed = false;
  #stopWatch: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;

  readonly partitions: number;
  readonly #kv: KV;
  readonly #jsm: JetStreamManager;
  readonly #bucket: string;
  readonly #onChange: (change: BoardChange) => void;

  constructor(options: {
    kv: KV;
    /** to list the heartbeat keys (a stream-info request, no consumer) */
    jsm: JetStreamManager;
    bucket: string;
    partitions: number;
    onChange?: (change: BoardChange) => void;
  }) {
    this.#kv = options.kv;
    this.#jsm = options.jsm;
    this.#bucket = options.bucket;
    this.partitions = options.partitions;
    this.#onChange = options.onChange ?? (() => {});
    this.leases = Array.from({ length: options.partitions }, () => undefined);
  }

  /** Takes in one entry (from the watch or a read) unless a newer one of its key is already held. */
  apply(entry: KvEntry): void {
    const live = entry.operation === 'PUT';
    const partition = partitionOfKey(entry.key);
    if (partition !== undefined && partition < this.partitions) {
      const slot = this.leases[partition];
      if (slot !== undefined && slot.revision >= entry.revision) return;
      const value = live ? parseLeaseHolder(entry.string()) : undefined;
      this.leases[partition] = { revision: entry.revision, value };
      this.#onChange({ key: entry.key, deleted: !live, appeared: slot?.value === undefined });
      return;
    }
    const worker = workerOfKey(entry.key);
    if (worker === undefined) return;
    const slot = this.beats.get(worker);
    if (slot !== undefined && slot.revision >= entry.revision) return;
    const value = live ? parseWorkerBeat(entry.string()) : undefined;
    this.beats.set(worker, { revision: entry.revision, value });
    this.#onChange({ key: entry.key, deleted: !live, appeared: slot?.value === undefined });
  }

  /** Re-reads one key now (a missing key leaves what is held). Throws when NATS cannot be asked. */
  async refreshKey(key: string): Promise<void> {
    const entry = await this.#kv.get(key);
    if (entry !== null) this.apply(entry);
  }

  /** Re-reads every lease and every heartbeat now. Throws when NATS cannot be asked. */
  async refresh(): Promise<void> {
    const keys = new Set<string>();
    for (let n = 0; n < this.partitions; n++) keys.add(leaseKey(n));
    for (const worker of this.beats.keys()) keys.add(`w.${worker}`);
    // the bucket's heartbeat subjects, from stream info: kv.keys() would start a consumer each time
    const prefix = `$KV.${this.#bucket}.`;
    const info = await this.#jsm.streams.info(`KV_${this.#bucket}`, { subjects_filter: `${prefix}w.>` });
    for (const subject of Object.keys(info.state.subjects ?? {})) keys.add(subject.slice(prefix.length));
    await Promise.all([...keys].map((key) => this.refreshKey(key)));
  }

  /**
   * Follows the bucket's changes until `close()`: a watch (every key's last value, then each change),
   * started again 250 ms after it fails or ends (NATS unreachable, or the bucket not created yet).
   */
  watch(): void {
    void this.#follow();
  }

  async #follow(): Promise<void> {
    while (!this.#closed) {
      try {
        const iterator = await this.#kv.watch();
        if (this.#closed) {
          iterator.stop();
          return;
        }
        this.#stopWatch = () => iterator.stop();
        for await (const entry of iterator) this.apply(entry);
      } catch {
        // NATS is reconnecting or the bucket is missing: the next attempt will tell
      }
      this.#stopWatch = undefined;
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#retry = setTimeout(resolve, 250)));
    }
  }

  /** Stops following the bucket. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#stopWatch?.();
  }
}

/** How to open a `LeaseTable`. */
export interface LeaseTableOptions {
  /** the NATS servers, e.g. `['nats://10.0.0.1:4222']` */
  servers: string | string[];
  /** the lease bucket (default `dmp-leases`) */
  bucket?: string;
  /** P, the partitions of the deployment: 0..P-1 */
  partitions: number;
  /** the clock that decides which leases have expired (default `Date.now`) */
  now?: () => number;
}

/**
 * Who owns each partition, read from the lease bucket and kept current by a KV watch, for front
 * processes that forward a visitor's requests to the owner of its partition. Read-only: it never takes,
 * renews or deletes a lease. An expired lease reads as no owner.
 *
 * Example:
 * ```ts
 * const table = await LeaseTable.open({ servers: ['nats://127.0.0.1:4222'], partitions: 8 });
 * const owner = table.ownerOf(partitionOf(tenant, uid, 8)); // { worker, url, until } or undefined
 * // the forward failed because the lease moved: read again and retry once
 * await table.refresh();
 * await table.close();
 * ```
 */
export class LeaseTable {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly board: LeaseBoard,
    private readonly now: () => number,
  ) {}

  /**
   * Connects, reads every lease, and follows the bucket from then on. A bucket that does not exist yet
   * (no worker has started) reads as no owners, and is picked up once a worker creates it.
   */
  static async open(options: LeaseTableOptions): Promise<LeaseTable> {
    checkPartitions(options.partitions);
    return onNatsConnection(options.servers, async (nc) => {
      const bucket = options.bucket ?? DEFAULT_LEASE_BUCKET;
      const js: JetStreamClient = jetstream(nc);
      const kv = await retryFor(FAILOVER_MS, () => new Kvm(js).open(bucket));
      const board = new LeaseBoard({
        kv,
        jsm: await retryFor(FAILOVER_MS, () => js.jetstreamManager()),
        bucket,
        partitions: options.partitions,
      });
      await board.refresh().catch((error: unknown) => {
        if (!isMissingBucket(error)) throw error;
      });
      board.watch();
      return new LeaseTable(nc, board, options.now ?? Date.now);
    });
  }

  /**
   * The holder of partition n's lease, or undefined when the lease is missing or expired.
   *
   * Example: `table.ownerOf(3)?.url // 'http://10.0.0.5:8080'`
   */
  ownerOf(partition: number): LeaseHolder | undefined {
    const holder = this.board.leases[partition]?.value;
    return holder !== undefined && holder.until >= this.now() ? holder : undefined;
  }

  /**
   * Every partition's holder (index = partition), undefined where none.
   *
   * Example: `table.owners().map((h) => h?.worker) // ['w1', 'w2', undefined, ...]`
   */
  owners(): (LeaseHolder | undefined)[] {
    return this.board.leases.map((_, partition) => this.ownerOf(partition));
  }

  /**
   * Re-reads every lease now, e.g. after a forward failed because the lease moved. Throws when NATS
   * cannot be asked.
   *
   * Example: `await table.refresh(); const owner = table.ownerOf(n);`
   */
  async refresh(): Promise<void> {
    await this.board.refresh();
  }

  /**
   * Stops following the bucket and closes the connection.
   *
   * Example: `await table.close();`
   */
  async close(): Promise<void> {
    this.board.close();
    await this.nc.close();
  }
}

/**
 * Throws unless `partitions` is a whole number from 1.
 *
 * Example: `checkPartitions(8)`
 */
export function checkPartitions(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new RangeError(`partitions must be a whole number from 1, not ${partitions}`);
}
