/**
 * Partition snapshots in the JetStream Object Store (ADR 35): each engine's snapshot file (ADR 15's
 * format, as `Snapshots` writes it) is put under the object `p<n>` of the bucket `dmp-snapshots`, with
 * its file name and the seq it holds in the object's metadata, replacing the one before. A worker that
 * takes a partition over fetches `p<n>` into the engine's snapshot folder before the engine recovers, so
 * it restores the snapshot and replays only the stream after it. A snapshot is put before the deletion
 * records it covers are erased (background.ts), so a visitor deleted after an older snapshot is deleted
 * again by the replay of its `delete` record.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import { FAILOVER_MS, retryFor } from '../log/nats/retry.ts';
import type { ObjectStore } from '@nats-io/obj';

/** The bucket of the partition snapshots. */
export const SNAPSHOT_BUCKET = 'dmp-snapshots';

/** What a fetched snapshot holds: the file written and the log seq it holds. */
export interface FetchedSnapshot {
  file: string;
  seq: number;
}

/**
 * Example:
 * ```ts
 * const store = await SnapshotStore.open({ servers, replicas: 3 });
 * await store.put(5, '/data/partitions/5/snapshots/000000001200.snap', 1200);
 * await store.fetch(5, '/data/partitions/5/snapshots'); // { file: '...', seq: 1200 } on another worker
 * ```
 */
export class SnapshotStore {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly bucket: ObjectStore,
  ) {}

  /** Connects and opens the bucket, creating it (with `replicas`) if it is missing. */
  static async open(options: { servers: string | string[]; replicas?: number }): Promise<SnapshotStore> {
    return onNatsConnection(options.servers, async (nc) => {
      // a cluster busy making a deployment's streams may not answer at once: asked again
      const bucket = await retryFor(FAILOVER_MS, () =>
        new Objm(nc).create(SNAPSHOT_BUCKET, { replicas: options.replicas ?? 1 }),
      );
      return new SnapshotStore(nc, bucket);
    });
  }

  /** Puts partition `partition`'s snapshot `file` (holding the log through `seq`), replacing the last one. */
  async put(partition: number, file: string, seq: number): Promise<void> {
    const data = Readable.toWeb(createReadStream(file)) as unknown as globalThis.ReadableStream<Uint8Array>;
    await this.bucket.put(
      {
        name: objectName(partition),
        description: `partition ${partition} through seq ${seq}`,
        metadata: { file: basename(file), seq: String(seq) },
      },
      data,
    );
  }

  /**
   * Writes partition `partition`'s newest snapshot into `dir` under its own file name, or returns
   * undefined when there is none (a partition never snapshotted: the engine replays the whole stream).
   */
  fetch(partition: number, dir: string): Promise<FetchedSnapshot | undefined> {
    // while the cluster elects a leader after a lost server, the bucket does not answer: ask again
    return retryFor(FAILOVER_MS, () => this.fetchOnce(partition, dir));
  }

  private async fetchOnce(partition: number, dir: string): Promise<FetchedSnapshot | undefined> {
    const info = await this.bucket.info(objectName(partition));
    if (info === null || info.deleted) return undefined;
    const name = info.metadata?.file;
    const seq = Number(info.metadata?.seq);
    if (name === undefined || !Number.isInteger(seq)) return undefined;
    const result = await this.bucket.get(objectName(partition));
    if (result === null) return undefined;
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    const partial = `${file}.part`;
    await pipeline(Readable.fromWeb(result.data), createWriteStream(partial));
    // resolves to null or undefined when the object was read whole and its digest matched
    const error = await result.error;
    if (error) throw error;
    await rename(partial, file);
    return { file, seq };
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}

function objectName(partition: number): string {
  return `p${partition}`;
}
