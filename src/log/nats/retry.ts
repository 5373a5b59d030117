/**
 * Retrying a JetStream request for a while: after a server is lost, the cluster takes seconds to elect
 * new leaders, and requests meanwhile time out or find no responder. What cannot get better by waiting
 * (`final`) is thrown at once.
 */

/** How long reads and maintenance requests are retried while the cluster elects leaders (ms). */
export const FAILOVER_MS = 30_000;

/**
 * Runs `attempt` until it resolves, every 250 ms, for up to `ms`; then, or when `final(error)` says so,
 * throws its last error.
 *
 * Example: `const info = await retryFor(15_000, () => jsm.streams.info('DMP_LOG'));`
 */
export async function retryFor<T>(
  ms: number,
  attempt: () => Promise<T>,
  final: (error: unknown) => boolean = () => false,
): Promise<T> {
  for (const deadline = Date.now() + ms; ;) {
    try {
      return await attempt();
    } catch (error) {
      if (final(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
