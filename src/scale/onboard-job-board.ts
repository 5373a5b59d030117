/**
 * The onboarding jobs' specs of a scaled-out deployment (ADR 0039) in the JetStream KV bucket
 * `dmp-onboard-jobs`, one key per job: every API server reports every job, and a partition's engine
 * finds the unfinished jobs whose chunks its snapshot already holds.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import { FAILOVER_MS, retryFor } from '../log/nats/retry.ts';
import type { JobSpec } from '../onboard/job-files.ts';
import type { JobSpecBoard } from '../onboard/onboard-elsewhere.ts';

/** The bucket of the onboarding jobs' specs. */
export const ONBOARD_JOBS_BUCKET = 'dmp-onboard-jobs';

/** A key the bucket takes; job ids are UUIDs, so anything else names no job. */
const KEY = /^[-A-Za-z0-9_]{1,128}$/;

/**
 * Example:
 * ```ts
 * const board = await OnboardJobBoard.open({ servers: 'nats://127.0.0.1:4222', replicas: 3 });
 * await board.save(spec); await board.get(spec.job); // the spec, from any process
 * ```
 */
export class OnboardJobBoard implements JobSpecBoard {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly kv: KV,
  ) {}

  /** Connects and opens the bucket, creating it (with `replicas`) if it is missing. */
  static async open(options: {
    servers: string | string[];
    replicas?: number;
    bucket?: string;
  }): Promise<OnboardJobBoard> {
    return onNatsConnection(options.servers, async (nc) => {
      const kv = await retryFor(FAILOVER_MS, () =>
        new Kvm(nc).create(options.bucket ?? ONBOARD_JOBS_BUCKET, {
          replicas: options.replicas ?? 1,
          history: 1,
        }),
      );
      return new OnboardJobBoard(nc, kv);
    });
  }

  async save(spec: JobSpec): Promise<void> {
    if (!KEY.test(spec.job)) throw new RangeError(`job id '${spec.job}' cannot be a key of the bucket`);
    await retryFor(FAILOVER_MS, () => this.kv.put(spec.job, JSON.stringify(spec)));
  }

  async get(job: string): Promise<JobSpec | undefined> {
    if (!KEY.test(job)) return undefined;
    const entry = await retryFor(FAILOVER_MS, () => this.kv.get(job));
    return entry?.operation === 'PUT' ? entry.json<JobSpec>() : undefined;
  }

  async list(tenant?: string): Promise<JobSpec[]> {
    const keys: string[] = [];
    for await (const key of await retryFor(FAILOVER_MS, () => this.kv.keys())) keys.push(key);
    const specs = await Promise.all(keys.map((key) => this.get(key)));
    return specs.filter(
      (spec): spec is JobSpec => spec !== undefined && (tenant === undefined || spec.tenant === tenant),
    );
  }

  /** Removes the bucket and everything in it (a test's own bucket, when it ends). */
  async destroy(): Promise<void> {
    await this.kv.destroy();
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
