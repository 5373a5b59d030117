/**
 * A deletion's reach into the file exports of a scaled-out deployment (ADR 38). The engine that carries
 * a deletion out has no export files: they are under the data folders of the API servers that ran the
 * file destinations. So it publishes the visitor's IDs on the JetStream stream `DMP_ERASURES` (subject
 * `dmp.erasures`), and every API server follows that stream with a durable consumer of its own: it
 * stops the tenant's runs in progress (as the embedded server does on a deletion) and rewrites its
 * export files without the visitor's rows, then acknowledges. The stream keeps a message only until
 * every consumer has acknowledged it (interest retention), at most 30 days; an API server's consumer
 * is dropped after 7 days without it (it is named by `DMP_WORKER_ID`, so keep that fixed per server).
 */
import { onNatsConnection } from '../log/nats/connect-nats.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient } from '@nats-io/jetstream';
import { FAILOVER_MS, retryFor } from '../log/nats/retry.ts';

/** The stream of the erasures, and its subject. */
export const ERASURE_STREAM = 'DMP_ERASURES';
const SUBJECT = 'dmp.erasures';
const DAY_NS = 86_400 * 1e9;

/** One deletion's IDs, for the API servers' export files. Example: `{ tenant: 'acme', ids: ['v-1', '6d92'] }` */
export interface ExportErasure {
  tenant: string;
  ids: string[];
}

/**
 * Example:
 * ```ts
 * const erasures = await ExportErasures.open({ servers, replicas: 3 });
 * await erasures.publish('acme', new Set(['v-1']));                // an engine, after a deletion
 * erasures.follow('api-1', (e) => eraseMine(e.tenant, e.ids));  // each API server
 * ```
 */
export class ExportErasures {
  private messages: ConsumerMessages | undefined;
  private following: Promise<void> | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
  ) {}

  /** Connects and makes the stream if it is missing (with `replicas`). */
  static async open(options: { servers: string | string[]; replicas?: number }): Promise<ExportErasures> {
    return onNatsConnection(options.servers, async (nc) => {
      const jsm = await retryFor(FAILOVER_MS, () => jetstreamManager(nc));
      await retryFor(FAILOVER_MS, async () => {
        try {
          await jsm.streams.info(ERASURE_STREAM);
        } catch (error) {
          if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
            throw error;
          await jsm.streams.add({
            name: ERASURE_STREAM,
            subjects: [SUBJECT],
            retention: RetentionPolicy.Interest,
            max_age: 30 * DAY_NS,
            num_replicas: options.replicas ?? 1,
          });
        }
      });
      return new ExportErasures(nc, jetstream(nc));
    });
  }

  /** Publishes one deletion's IDs; resolves once JetStream stored it. */
  async publish(tenant: string, ids: ReadonlySet<string>): Promise<void> {
    const erasure: ExportErasure = { tenant, ids: [...ids] };
    await retryFor(FAILOVER_MS, () => this.js.publish(SUBJECT, JSON.stringify(erasure)));
  }

  /**
   * Hands every erasure published from now on (and those published while this `name` was away) to
   * `erase`, one at a time, acknowledging each once `erase` resolved; one that fails is told to
   * `failed` and handed again 5 s later. Resolves once the consumer exists.
   */
  async follow(
    name: string,
    erase: (erasure: ExportErasure) => Promise<void>,
    failed: (error: unknown) => void,
  ): Promise<void> {
    const durable = `front-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const jsm = await jetstreamManager(this.nc);
    await retryFor(FAILOVER_MS, async () => {
      try {
        await jsm.consumers.info(ERASURE_STREAM, durable);
      } catch (error) {
        if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound))
          throw error;
        await jsm.consumers.add(ERASURE_STREAM, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.New,
          inactive_threshold: 7 * DAY_NS,
        });
      }
    });
    const consumer = await this.js.consumers.get(ERASURE_STREAM, durable);
    const messages = await consumer.consume({ max_messages: 16 });
    this.messages = messages;
    this.following = (async () => {
      for await (const message of messages) {
        try {
          await erase(message.json<ExportErasure>());
          message.ack();
        } catch (error) {
          failed(error);
          message.nak(5_000);
        }
      }
    })();
  }

  async close(): Promise<void> {
    await this.messages?.close();
    await this.following?.catch(() => undefined);
    await this.nc.close();
  }
}
