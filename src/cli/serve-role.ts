import type { Config } from '../config/config.ts';
import { processName } from '../config/config.ts';
import { openFront } from '../scale/front.ts';
import { systemClock } from '../core/clock.ts';
import { Worker } from '../scale/worker.ts';

/** The roles of `dmp serve --role` (ADR 0035); `all` is the embedded server. */
export const ROLES = ['all', 'collector', 'worker', 'api'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Checks a role and what it needs: the NATS log, a PostgreSQL catalog and one server secret for every
 * process of the deployment. Returns the role, or a message saying what is wrong and how to fix it.
 *
 * Example: `roleOf('worker', config)` -> `{ role: 'worker' }`; `roleOf('boss', config)` -> `{ error: '...' }`.
 */
export function roleOf(text: string | undefined, config: Config): { role: Role } | { error: string } {
  const role = (text ?? 'all') as Role;
  if (!ROLES.includes(role)) return { error: `--role ${text ?? ''} is not one of ${ROLES.join(', ')}` };
  if (role === 'all') return { role };
  const missing: string[] = [];
  if (config.log.kind !== 'nats') missing.push('--log nats://HOST:4222 (DMP_LOG)');
  if (!config.catalog.startsWith('postgres')) missing.push('--catalog postgres://... (DMP_CATALOG)');
  if (config.serverSecret === undefined) missing.push('DMP_SERVER_SECRET, the same on every process');
  if (missing.length > 0)
    return {
      error: `--role ${role} runs in a scaled-out deployment and needs ${missing.join(', ')}; see docs/scale-out.md`,
    };
  return { role };
}

/**
 * `dmp serve --role worker|api|collector`: runs until SIGINT or SIGTERM. A worker advertises
 * `DMP_ADVERTISE_URL` (default `http://HOST:PORT` it listens on) to the fronts, is named by
 * `DMP_WORKER_ID` (default `<hostname>-<pid>`), and holds leases of `DMP_LEASE_TTL_MS` (default 6000).
 *
 * Example: `await serveRole(config, 'worker')`
 */
export async function serveRole(config: Config, role: Exclude<Role, 'all'>): Promise<number> {
  let close: () => Promise<void>;
  let address: string;
  if (role === 'worker') {
    const { leaseTtlMs, advertiseUrl } = config.scaleOut;
    const id = processName(config.scaleOut);
    const worker = await Worker.open(config, { id, ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }) });
    address = await worker.server.listen({ port: config.port, host: config.host });
    await worker.start(advertiseUrl ?? address);
    close = () => worker.close();
  } else {
    const front = await openFront(config, systemClock, role);
    address = await front.server.listen({ port: config.port, host: config.host });
    close = () => front.close();
  }
  // the line `dmp serve` prints, so that programs that started us on --port 0 learn the port from it
  process.stdout.write(`opendmp is running at ${address}  (role ${role})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return stopWithin(close, config.scaleOut.stopLimitMs ?? STOP_LIMIT_MS, role);
}

/** The longest a clean stop may take by default (a worker's last snapshots and lease releases need NATS). */
export const STOP_LIMIT_MS = 20_000;

/**
 * Runs `close`, and answers 0 once it is done; after `limitMs` (NATS or PostgreSQL unreachable, so the
 * last snapshots or lease releases wait for ever) says so and ends the process with 1: what was not
 * released expires, and another worker replays the stream after the partitions' last snapshots.
 */
export async function stopWithin(close: () => Promise<void>, limitMs: number, role: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  const outcome = await Promise.race([close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'closed') return 0;
  process.stderr.write(
    `dmp serve --role ${role}: could not stop cleanly within ${limitMs / 1000} s (is NATS or PostgreSQL unreachable?); ` +
      'exiting now: its leases expire and another worker takes its partitions over from their last snapshots\n',
  );
  process.exit(1);
}
