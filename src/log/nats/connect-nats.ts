import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Connects to NATS as every process of a deployment does (reconnecting for ever, every 250 ms) and builds
 * on the connection; if `build` throws, the connection is closed before the error goes on.
 *
 * Example: `const store = await onNatsConnection(servers, async (nc) => new Store(nc, await bucketOf(nc)));`
 */
export async function onNatsConnection<T>(
  servers: string | string[],
  build: (nc: NatsConnection) => Promise<T>,
): Promise<T> {
  const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  try {
    return await build(nc);
  } catch (error) {
    await nc.close();
    throw error;
  }
}
