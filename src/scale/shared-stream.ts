import type { Config } from '../config/config.ts';
import type { JetStreamEventLog } from '../log/nats/nats-event-log.ts';
import { openNatsEventLog } from '../log/nats/nats-event-log.ts';
import type { LogLocation } from '../config/log-location.ts';

/** The NATS stream's location. */
type NatsLogLocation = Extract<LogLocation, { kind: 'nats' }>;

/**
 * Opens the deployment's stream as one of its several writers (collectors, API servers and workers all
 * append to it), or throws saying that `role` needs the NATS log.
 *
 * Example: `const { stream, where } = await openSharedStream(config, 'a worker');`
 */
export async function openSharedStream(
  config: Config,
  role: string,
): Promise<{ stream: JetStreamEventLog; where: NatsLogLocation }> {
  const where = config.log;
  if (where.kind !== 'nats')
    throw new Error(`${role} needs the NATS log: --log nats://HOST:4222 (DMP_LOG); see docs/scale-out.md`);
  const stream = await openNatsEventLog({
    servers: where.servers,
    stream: where.stream,
    replicas: where.replicas,
    partitions: where.partitions,
    shared: true,
  });
  return { stream, where };
}
