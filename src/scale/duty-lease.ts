/**
 * A duty that one process of a scaled-out deployment does at a time (ADR 38: the run schedules, done by
 * one API server). Its lease is the key `<duty>` of the JetStream KV bucket `dmp-duties`, holding
 * `{ holder, until }` (epoch ms, as the partition leases: nats-server 2.9 has no per-key TTL). Every
 * candidate tries each ttl/3 to take it by compare-and-set (create when absent, update at the revision
 * read once `until` has passed) and its holder renews it; a holder that cannot renew gives the duty up a
 * ttl/6 before its lease ends, so two processes never do it at once while their clocks agree within
 * ttl/6. A clean stop deletes the key, so another candidate takes it at its next try.
 */
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { retryFor } from '../log/nats/retry.ts';
import { isWrongRevision } from './lease-value.ts';

/** The bucket of the duties' leases. */
export const DUTY_BUCKET = 'dmp-duties';

/** What a duty's lease needs. Example: `{ servers, duty: 'schedules', holder: 'api-1', ttlMs: 6000, take, give }` */
export interface DutyLeaseOptions {
  servers: string | string[];
  replicas?: number;
  bucket?: string;
  /** the duty's name, a KV key: `schedules` */
  duty: string;
  /** this process's name, unique in the deployment */
  holder: string;
  ttlMs: number;
  /** called when this process takes the duty */
  take: () => void;
  /** called when it must stop doing it (lost, or stopping) */
  give: () => void;
  now?: () => number;
}

interface Held {
  revision: number;
  until: number;
}

/**
 * Example:
 * ```ts
 * const lease = await DutyLease.open({ servers, duty: 'schedules', holder: 'api-1', ttlMs: 6000,
 *   take: () => runner.startSchedules(tenants), give: () => runner.stopSchedules() });
 * lease.start(); ... await lease.stop();
 * ```
 */
export class DutyLease {
  private held: Held | undefined;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly now: () => number;

  private constructor(
    private readonly options: DutyLeaseOptions,
    private readonly nc: NatsConnection,
    private readonly kv: KV,
  ) {
    this.now = options.now ?? Date.now;
  }

  static async open(options: DutyLeaseOptions): Promise<DutyLease> {
    if (!(options.ttlMs >= 30)) throw new RangeError(`ttlMs must be from 30 ms, not ${options.ttlMs}`);
    return onNatsConnection(options.servers, async (nc) => {
      // a request gives up after a renewal period, so the loop keeps its pace while NATS is away
      const js = jetstream(nc, { timeout: Math.max(Math.round(options.ttlMs / 3), 100) });
      const kv = await retryFor(15_000, () =>
        new Kvm(js).create(options.bucket ?? DUTY_BUCKET, {
          replicas: options.replicas ?? 1,
          history: 1,
          allow_direct: false,
        }),
      );
      return new DutyLease(options, nc, kv);
    });
  }

  /** Whether this process holds the duty now. */
  holds(): boolean {
    return this.held !== undefined;
  }

  /** Tries now, then every ttl/3. */
  start(): void {
    if (this.timer !== undefined || this.stopping) return;
    const tick = (): void => {
      this.round = this.round.then(() => this.try()).catch(() => undefined);
    };
    this.timer = setInterval(tick, Math.max(Math.round(this.options.ttlMs / 3), 10));
    tick();
  }

  /** Gives the duty up (`give`), deletes the lease so another takes it at once, and closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.round;
    const held = this.held;
    if (held !== undefined) {
      this.lose();
      await this.kv.delete(this.options.duty, { previousSeq: held.revision }).catch(() => undefined);
    }
    await this.nc.close();
  }

  private async try(): Promise<void> {
    if (this.stopping) return;
    const now = this.now();
    const until = now + this.options.ttlMs;
    const value = JSON.stringify({ holder: this.options.holder, until });
    const held = this.held;
    if (held !== undefined && now >= held.until - this.options.ttlMs / 6) {
      this.lose(); // not renewed in time: another may take it from its end on
      return;
    }
    try {
      if (held !== undefined) {
        this.held = { revision: await this.kv.update(this.options.duty, value, held.revision), until };
        return;
      }
      const entry = await this.kv.get(this.options.duty);
      const current = entry?.operation === 'PUT' ? parseUntil(entry.string()) : undefined;
      if (current !== undefined && current >= now) return; // another holds it
      const revision =
        entry === null
          ? await this.kv.create(this.options.duty, value)
          : await this.kv.update(this.options.duty, value, entry.revision);
      if (this.stopping) return;
      this.held = { revision, until };
      this.options.take();
    } catch (error) {
      // another took it meanwhile: ours no more; NATS away: the lease holds until its end
      if (isWrongRevision(error) && this.held !== undefined) this.lose();
    }
  }

  private lose(): void {
    this.held = undefined;
    this.options.give();
  }
}

function parseUntil(text: string): number | undefined {
  try {
    const until = (JSON.parse(text) as { until?: unknown }).until;
    return typeof until === 'number' ? until : undefined;
  } catch {
    return undefined;
  }
}
