/**
 * The batch runs' member state of a scaled-out deployment (ADR 0038) in the JetStream Object Store:
 * each file `MemberState` keeps (`state.json.gz`, `previous.json.gz`) is the object
 * `<tenant>/<destination>/<name>` of the bucket `dmp-run-state`, so that a delta run on one API server
 * is based on the last good run of another, and a deletion carried out by a worker's engine erases the
 * visitor's IDs where every API server reads them. An object is replaced whole: a reader gets the old
 * bytes or the new.
 */
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import type { ObjectStore } from '@nats-io/obj';
import type { RunStateStore } from '../activate/runs/run-state-store.ts';
import { FAILOVER_MS, retryFor } from '../log/nats/retry.ts';

/** The bucket of the runs' member state. */
export const RUN_STATE_BUCKET = 'dmp-run-state';

/**
 * Example:
 * ```ts
 * const store = await RunStateBucket.open({ servers: 'nats://127.0.0.1:4222', replicas: 3 });
 * await store.write('acme', 'crm', 'state.json.gz', bytes);
 * await store.read('acme', 'crm', 'state.json.gz'); // the bytes, from any process
 * ```
 */
export class RunStateBucket implements RunStateStore {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly bucket: ObjectStore,
  ) {}

  /** Connects and opens the bucket, creating it (with `replicas`) if it is missing. */
  static async open(options: {
    servers: string | string[];
    replicas?: number;
    bucket?: string;
  }): Promise<RunStateBucket> {
    return onNatsConnection(options.servers, async (nc) => {
      // a cluster busy making a deployment's streams may not answer at once: asked again
      const bucket = await retryFor(FAILOVER_MS, () =>
        new Objm(nc).create(options.bucket ?? RUN_STATE_BUCKET, { replicas: options.replicas ?? 1 }),
      );
      return new RunStateBucket(nc, bucket);
    });
  }

  async read(tenant: string, destination: string, name: string): Promise<Buffer | undefined> {
    // while the cluster elects a leader after a lost server, the bucket does not answer: ask again
    const bytes = await retryFor(FAILOVER_MS, () =>
      this.bucket.getBlob(objectName(tenant, destination, name)),
    );
    return bytes === null ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async write(tenant: string, destination: string, name: string, bytes: Uint8Array): Promise<void> {
    await retryFor(FAILOVER_MS, () =>
      this.bucket.putBlob({ name: objectName(tenant, destination, name) }, bytes),
    );
  }

  async destinations(tenant: string): Promise<string[]> {
    const prefix = `${tenant}/`;
    const infos = await retryFor(FAILOVER_MS, () => this.bucket.list());
    const found = new Set<string>();
    for (const info of infos) {
      if (info.deleted || !info.name.startsWith(prefix)) continue;
      const destination = info.name.slice(prefix.length).split('/')[0];
      if (destination !== undefined && destination !== '') found.add(destination);
    }
    return [...found];
  }

  /** Removes the bucket and everything in it (a test's own bucket, when it ends). */
  async destroy(): Promise<void> {
    await this.bucket.destroy();
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}

function objectName(tenant: string, destination: string, name: string): string {
  return `${tenant}/${destination}/${name}`;
}
